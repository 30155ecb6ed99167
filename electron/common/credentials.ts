import { z } from 'zod';

const SecretText = z.string().max(16_384);

/** A credential profile as the operator enters it. Secrets stay in memory (and, in the desktop shell, safeStorage). */
export const CredentialInputSchema = z.strictObject({
  label: z.string().trim().min(1, 'Give the profile a name, such as "ops password".').max(80),
  user: z
    .string()
    .trim()
    .min(1, 'User is empty: type the SSH login, such as "ops".')
    .max(64)
    .regex(/^[a-z_][a-z0-9_.-]*\$?$/i, 'User may hold letters, digits, "_", "-" and ".", such as "ops".'),
  auth: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('password'), password: SecretText.min(1, 'Password is empty: type the SSH password.') }),
    z.strictObject({
      kind: z.literal('key'),
      privateKey: SecretText.min(1, 'Private key is empty: paste an OpenSSH or PEM private key.'),
      passphrase: SecretText.optional(),
    }),
  ]),
  sudoPassword: SecretText.optional(),
});
export type CredentialInput = z.infer<typeof CredentialInputSchema>;

/** What leaves the core about a profile: never a secret, only whether one is set. */
export const CredentialSummarySchema = z.object({
  id: z.string(),
  label: z.string(),
  user: z.string(),
  kind: z.enum(['password', 'key']),
  keyType: z.string().optional(),
  hasSudoPassword: z.boolean(),
  persisted: z.boolean(),
});
export type CredentialSummary = z.infer<typeof CredentialSummarySchema>;
