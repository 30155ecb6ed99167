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
    z.strictObject({
      kind: z.literal('password'),
      password: SecretText.min(1, 'Password is empty: type the SSH password.'),
    }),
    z.strictObject({
      kind: z.literal('key'),
      privateKey: SecretText.min(1, 'Private key is empty: paste an OpenSSH or PEM private key.'),
      passphrase: SecretText.optional(),
    }),
  ]),
  sudoPassword: SecretText.optional(),
});
export type CredentialInput = z.infer<typeof CredentialInputSchema>;

/** The NAME of an environment variable: where the command line finds a secret that a plan file only names. */
const EnvironmentVariableNameSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,127}$/,
    'Must be the name of an environment variable (letters, digits and "_", such as AIRSPRAY_SSH_PASSWORD), never the secret itself.',
  );

/**
 * How to log in to the hosts, by reference only: a private key file's path, or environment variables named for
 * passwords.
 */
export const CredentialReferenceSchema = z
  .strictObject({
    user: CredentialInputSchema.shape.user,
    keyFile: z
      .string()
      .trim()
      .min(1)
      .max(4096)
      .optional()
      .describe('Path of the private key file (never the key itself).'),
    passphraseEnv: EnvironmentVariableNameSchema.optional().describe(
      "Environment variable holding the key file's passphrase.",
    ),
    passwordEnv: EnvironmentVariableNameSchema.optional().describe('Environment variable holding the SSH password.'),
    sudoPasswordEnv: EnvironmentVariableNameSchema.optional().describe(
      'Environment variable holding the sudo password.',
    ),
  })
  .refine((login) => (login.keyFile === undefined) !== (login.passwordEnv === undefined), {
    message:
      "Give exactly one of keyFile (a private key file's path) or passwordEnv (the name of an environment variable holding the password).",
    path: ['keyFile'],
  })
  .refine((login) => login.passphraseEnv === undefined || login.keyFile !== undefined, {
    message: 'passphraseEnv goes with keyFile: remove it, or name the key file it unlocks.',
    path: ['passphraseEnv'],
  });
export type CredentialReference = z.infer<typeof CredentialReferenceSchema>;

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
