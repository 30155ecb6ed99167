// The security gate of issue #7: Electronegativity over the compiled main, preload and renderer (dist/) and over
// their TypeScript sources, failing on any finding that docs/security.md does not accept, with its reason, in its
// "Accepted Electronegativity findings" table.
// Usage: node build/electronegativity-gate.mjs [--dist DIR] [--sources DIR] [--accepted FILE] [--report FILE]
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { transform } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const { values: options } = parseArgs({
  options: {
    dist: { type: 'string', default: join(root, 'dist') },
    sources: { type: 'string', default: root },
    accepted: { type: 'string', default: join(root, 'docs', 'security.md') },
    report: { type: 'string', default: join(root, 'test-results', 'electronegativity.csv') },
  },
});

// Downloads Electron's release list: impossible offline, and the pinned Electron is reviewed by hand instead.
const onlineChecks = ['AvailableSecurityFixesGlobalCheck'];

/** Rows of the table under the "Accepted Electronegativity findings" heading: | Check | File | Reason |. */
function parseAcceptedFindings(markdown) {
  const section = markdown.split(/^## /m).find((part) => part.startsWith('Accepted Electronegativity findings'));
  if (!section) throw new Error('docs/security.md has no "## Accepted Electronegativity findings" section');
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`|`$/g, '')),
    );
  const accepted = [];
  for (const [check, file, reason] of rows.slice(2)) {
    if (!check || !file || !reason)
      throw new Error(`Accepted finding "${check ?? ''}" needs a check, a file and a reason`);
    accepted.push({ check, file, reason });
  }
  return accepted;
}

/**
 * Electronegativity reads only .js/.html files and its parsers predate ES2022 (class static blocks), so the
 * compiled .cjs files are lowered to ES2020 syntax (same code, older spelling) under .js names.
 */
async function stageCompiledApp(distDir, stageDir) {
  await mkdir(join(stageDir, 'compiled', 'electron'), { recursive: true });
  for (const name of ['main', 'preload']) {
    const source = await readFile(join(distDir, 'electron', `${name}.cjs`), 'utf8');
    const lowered = await transform(source, { loader: 'js', target: 'es2020', logLevel: 'silent' });
    await writeFile(join(stageDir, 'compiled', 'electron', `${name}.js`), lowered.code);
  }
  await cp(join(distDir, 'renderer'), join(stageDir, 'compiled', 'renderer'), { recursive: true });
  const electronVersion = JSON.parse(await readFile(require.resolve('electron/package.json'), 'utf8')).version;
  await writeFile(
    join(stageDir, 'package.json'),
    JSON.stringify({ name: 'airspray', main: 'electron/main.js', devDependencies: { electron: electronVersion } }),
  );
  return electronVersion;
}

/**
 * The tool matches `new BrowserWindow(...)` by its bare name and `true` as a literal, so in a bundle
 * (`new e.BrowserWindow`, `!0`) it is blind to the window settings; the sources are scanned as well.
 */
async function stageSources(sourceRoot, stageDir) {
  for (const folder of ['electron/main', 'electron/preload', 'renderer']) {
    await cp(join(sourceRoot, folder), join(stageDir, 'source', folder), { recursive: true });
  }
}

/** The tool fetches translations on every run; answer its HTTP client with 404 so it never touches the network. */
function loadOfflineRunner() {
  const toolDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const gotPath = require.resolve('got', { paths: [toolDir] });
  const refuse = async () => ({ statusCode: 404, headers: {}, body: '' });
  refuse.head = refuse;
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: refuse };
  return require(join(toolDir, 'dist', 'runner.js'));
}

async function main() {
  const accepted = parseAcceptedFindings(await readFile(options.accepted, 'utf8'));
  const stageDir = await mkdtemp(join(tmpdir(), 'airspray-electronegativity-'));
  try {
    const electronVersion = await stageCompiledApp(resolve(options.dist), stageDir);
    await stageSources(resolve(options.sources), stageDir);
    const runElectronegativity = loadOfflineRunner();
    const csvPath = join(stageDir, 'findings.csv');
    const result = await runElectronegativity({
      input: stageDir,
      output: csvPath,
      isRelative: true,
      excludeFromScan: onlineChecks,
      electronVersionOverride: electronVersion,
    });
    await mkdir(dirname(resolve(options.report)), { recursive: true });
    await copyFile(csvPath, resolve(options.report));

    const problems = [];
    for (const error of result.errors.filter((e) => !e.tolerable)) {
      problems.push(`could not parse ${error.file}: ${error.message} (an unscanned file is a failure)`);
    }
    const used = new Set();
    for (const issue of result.issues) {
      const match = accepted.find((entry) => entry.check === issue.id && entry.file === issue.file);
      const where = `${issue.file}:${issue.location.line}:${issue.location.column}`;
      if (match) {
        used.add(match);
        console.log(`accepted  ${issue.id} ${where}: ${match.reason}`);
      } else {
        problems.push(
          `${issue.id} at ${where} (${issue.severity.name}, ${issue.confidence.name}): ${issue.description}`,
        );
      }
    }
    for (const entry of accepted.filter((e) => !used.has(e))) {
      problems.push(
        `${entry.check} in ${entry.file} is accepted in docs/security.md but no longer found: remove its row`,
      );
    }
    console.log(
      `electronegativity ${result.atomicChecks} atomic + ${result.globalChecks} global checks over ${options.dist} and the sources ` +
        `(not run offline: ${onlineChecks.join(', ')}); report: ${options.report}`,
    );
    if (problems.length > 0) {
      for (const problem of problems) console.error(`FAIL  ${problem}`);
      console.error(
        'Fix each finding, or accept it with its reason in docs/security.md ("Accepted Electronegativity findings").',
      );
      process.exitCode = 1;
    } else {
      console.log(`no unaccepted findings (${result.issues.length} accepted)`);
    }
  } finally {
    await rm(stageDir, { recursive: true, force: true });
  }
}

await main().catch((error) => {
  console.error(`FAIL  ${error.message}`);
  process.exitCode = 1;
});
