import { readFile, stat } from 'node:fs/promises';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { PlanFileSchema, planFileVersion, type PlanFile } from '../../common/plan-file';
import { coreError, planFindingMessage } from '../i18n/format-core-message';
import { validateExtraVariables } from '../inventory/extra-variables';
import { keyTypeOf } from '../ssh/known-hosts';

export type FieldPath = readonly (string | number)[];

/** One thing wrong with the file, where it is: `plan.yaml:12:5: hosts[1].address: …`. */
export interface PlanFileProblem {
  line: number;
  column: number;
  field: string;
  message: string;
}

export interface ParsedPlanFile {
  plan: PlanFile;
  /** "plan.yaml:3:3: bundle.id", for errors found after parsing (a bundle the project does not have). */
  where: (path: FieldPath) => string;
}

/** A plan file is a few pages of text; anything far larger is not one. */
const planFileMaxBytes = 4 * 1024 * 1024;

/** "hosts[1].address" from ['hosts', 1, 'address']. */
export function formatFieldPath(path: FieldPath): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`))
    .join('');
}

/** Key names that hold secrets; the *Env and *File fields that only name where a secret is are allowed. */
function isSecretKey(key: string): boolean {
  return /(password|passwd|passphrase|secret|token|private_?key|credential)/i.test(key) && !/(env|file)$/i.test(key);
}

const privateKeyBlock = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

const inlineSecretAdvice =
  "the plan file never holds a secret: put it in an environment variable and write that variable's NAME under login (passwordEnv, sudoPasswordEnv, passphraseEnv), or a key file's path under login.keyFile.";

type PathIssue = { path: FieldPath; message: string };

/** Secrets written into the file, found before the schema so the refusal says what it is. */
function findInlineSecrets(value: unknown, path: FieldPath = []): PathIssue[] {
  if (typeof value === 'string')
    return privateKeyBlock.test(value)
      ? [{ path, message: `a private key is written inline: ${inlineSecretAdvice}` }]
      : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => findInlineSecrets(item, [...path, index]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    isSecretKey(key) && (child === null || typeof child !== 'object')
      ? [{ path: [...path, key], message: `"${key}" is a secret written inline: ${inlineSecretAdvice}` }]
      : findInlineSecrets(child, [...path, key]),
  );
}

/** Expert variables that look like secrets are refused here as the window refuses them. */
function extraVariableSecrets(value: unknown): PathIssue[] {
  const text = (value as { settings?: { extraVarsYaml?: unknown } } | null)?.settings?.extraVarsYaml;
  if (typeof text !== 'string') return [];
  return validateExtraVariables(text)
    .filter((finding) => finding.rule === 'extra-vars-secret')
    .map((finding) => ({ path: ['settings', 'extraVarsYaml'], message: planFindingMessage(finding) }));
}

const valueAt = (value: unknown, path: FieldPath) =>
  path.reduce<unknown>(
    (node, segment) =>
      node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined,
    value,
  );

/** Each zod issue as path + message; an unknown key points at the key itself, a missing one says it is missing. */
function schemaIssues(error: z.ZodError, raw: unknown): PathIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path as FieldPath;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `unknown key "${key}": check its spelling against docs/plan-file.md, or remove it.`,
      }));
    }
    const missing = issue.code === 'invalid_type' && path.length > 0 && valueAt(raw, path) === undefined;
    return [
      {
        path,
        message: missing ? `required field "${String(path.at(-1))}" is missing (${issue.message})` : issue.message,
      },
    ];
  });
}

/** Pinned keys must be SSH public key blobs of the type they claim. */
function hostKeyIssues(plan: PlanFile): PathIssue[] {
  return plan.hostKeys.flatMap((hostKey, index) => {
    const inBlob = keyTypeOf(Buffer.from(hostKey.key, 'base64'));
    return inBlob === hostKey.type
      ? []
      : [
          {
            path: ['hostKeys', index, 'key'],
            message: `the key is of type "${inBlob || 'unknown'}", not "${hostKey.type}": copy type and key from the same known_hosts line.`,
          },
        ];
  });
}

/** The node a field path leads to, or the nearest one that is there (a missing field points at its parent). */
function nodeAt(document: Document, path: FieldPath): Node | null {
  let node = document.contents as Node | null;
  let found = node;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(document) ?? null;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      found = pair.key as Node;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) break;
      found = item;
      node = item;
    } else break;
  }
  return found;
}

function refuse(fileName: string, problems: PlanFileProblem[]): never {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
  const lines = sorted.map(
    (problem) =>
      `  ${fileName}:${problem.line}:${problem.column}: ${problem.field ? `${problem.field}: ` : ''}${problem.message}`,
  );
  throw coreError(
    'invalid_params',
    'planFile.refused',
    { file: fileName, count: sorted.length, problems: lines.join('\n') },
    sorted[0]?.field || 'file',
  );
}

/**
 * Reads a plan file's text: YAML errors, a newer version, inline secrets, then the schema, each refusal with its
 * file, line and field. Nothing here writes anything.
 */
export function parsePlanFile(text: string, fileName: string): ParsedPlanFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (document.errors.length > 0) {
    refuse(
      fileName,
      document.errors.map((error) => ({
        ...lineColumn(at(error.pos[0])),
        field: '',
        message: `not valid YAML: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const problemAt = (issue: PathIssue): PlanFileProblem => {
    const range = nodeAt(document, issue.path)?.range;
    return { ...lineColumn(at(range?.[0] ?? 0)), field: formatFieldPath(issue.path), message: issue.message };
  };
  const where = (path: FieldPath) => {
    const problem = problemAt({ path, message: '' });
    return `${fileName}:${problem.line}:${problem.column}${problem.field ? `: ${problem.field}` : ''}`;
  };
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    refuse(fileName, [{ line: 1, column: 1, field: '', message: `not usable YAML: ${(error as Error).message}` }]);
  }
  if (raw === null || raw === undefined)
    refuse(fileName, [
      { line: 1, column: 1, field: '', message: 'the file is empty: start from the output of airspray plan export.' },
    ]);
  const version = (raw as { planFileVersion?: unknown }).planFileVersion;
  if (typeof version === 'number' && version > planFileVersion) {
    refuse(fileName, [
      problemAt({
        path: ['planFileVersion'],
        message: `the file is plan-file version ${version}, and this Airspray reads version ${planFileVersion}: use a newer Airspray, or export the plan again with this one.`,
      }),
    ]);
  }
  const secrets = [...findInlineSecrets(raw), ...extraVariableSecrets(raw)];
  if (secrets.length > 0) refuse(fileName, secrets.map(problemAt));
  const parsed = PlanFileSchema.safeParse(raw);
  if (!parsed.success) refuse(fileName, schemaIssues(parsed.error, raw).map(problemAt));
  const keyProblems = hostKeyIssues(parsed.data);
  if (keyProblems.length > 0) refuse(fileName, keyProblems.map(problemAt));
  return { plan: parsed.data, where };
}

const lineColumn = (position: { line: number; col: number }) => ({ line: position.line, column: position.col });

/** Reads and parses the file at `path`; `fileName` is how problems name it (as the operator typed it). */
export async function readPlanFile(path: string, fileName = path): Promise<ParsedPlanFile> {
  const size = await stat(path).then(
    (info) => info.size,
    (error: NodeJS.ErrnoException) => {
      throw coreError('not_found', 'planFile.unreadable', { file: fileName, code: error.code ?? 'error' }, 'file');
    },
  );
  if (size > planFileMaxBytes) {
    throw coreError('invalid_params', 'planFile.too-large', { file: fileName, size, limit: planFileMaxBytes }, 'file');
  }
  return parsePlanFile(await readFile(path, 'utf8'), fileName);
}
