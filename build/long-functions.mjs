// Lists functions, methods and arrows longer than a screen (issue #20: none in electron/node over about 80 lines
// without a reason). A `// long-function: <why>` line directly above a function excuses it.
// Usage: node build/long-functions.mjs [--max LINES] [FOLDER...]   (default: 80, electron/node); exit 1 on any.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const reasonPattern = /^\s*\/\/ long-function: \S/;

/** The function's own name, or the variable, property or class member it is assigned to. */
function nameOf(node) {
  if (node.name) return node.name.getText();
  const { parent } = node;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText();
  return '<anonymous>';
}

/** The reason given in a `// long-function:` line right above the statement holding the function, if any. */
function reasonOf(node, source) {
  let statement = node;
  while (
    statement.parent &&
    !ts.isSourceFile(statement.parent) &&
    !ts.isBlock(statement.parent) &&
    !ts.isClassDeclaration(statement.parent)
  )
    statement = statement.parent;
  const lines = source.text.slice(0, statement.getStart(source)).split('\n');
  const above = lines.at(-2) ?? '';
  return reasonPattern.test(above) ? above.trim().replace(/^\/\/ long-function:\s*/, '') : undefined;
}

/** Every function in `text` over `max` lines: { name, line, lines, reason? }. */
export function longFunctionsIn(text, fileName, max) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const lines = source.getLineAndCharacterOfPosition(node.end).line - first + 1;
      if (lines > max) {
        const reason = reasonOf(node, source);
        found.push({ name: nameOf(node), line: first + 1, lines, ...(reason ? { reason } : {}) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

async function typeScriptFiles(folder) {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Every function over `max` lines in the folders' TypeScript files, longest first, paths relative to the repository.
 */
export async function longFunctions(folders, max) {
  const found = [];
  for (const folder of folders) {
    for (const file of await typeScriptFiles(join(root, folder))) {
      for (const entry of longFunctionsIn(await readFile(file, 'utf8'), file, max))
        found.push({ file: relative(root, file), ...entry });
    }
  }
  return found.sort((a, b) => b.lines - a.lines);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    options: { max: { type: 'string', default: '80' } },
    allowPositionals: true,
  });
  const found = await longFunctions(positionals.length > 0 ? positionals : ['electron/node'], Number(values.max));
  for (const entry of found)
    console.log(
      `${entry.lines}\t${entry.file}:${entry.line}\t${entry.name}${entry.reason ? `\t(${entry.reason})` : ''}`,
    );
  if (found.some((entry) => !entry.reason)) {
    console.error(
      `Functions over ${values.max} lines without a "// long-function: <why>" line above them: split them into named parts.`,
    );
    process.exitCode = 1;
  }
}
