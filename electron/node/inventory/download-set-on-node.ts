import type { Client } from 'ssh2';
import { BundleManifestSchema, completeManifest } from '../../common/bundle-manifest';
import type { DownloadCheck } from '../../common/download-check';
import { AirsprayError } from '../../common/errors';
import type { ProjectDocument } from '../../common/project';
import { ansibleEnv, ansibleProblem, downloadDefaults, generalDefaults } from '../bundles/build/derive-kubespray-lists';
import { execCommand } from '../ssh/ssh-connection';
import { quoteShellArg as q, shellCommand } from '../ssh/shell-quote';
import { architecturesFor } from './download-check-service';
import { checkDownloadSet, renderDownloadSet, type RenderPlace } from './download-set';
import { coreError } from '../i18n/format-core-message';

/** What a command on the deploy node was for, as the refusal names it (`path`: the file or folder it touched). */
interface NodeStep {
  action: 'listDefaults' | 'listDownloadDefaults' | 'read' | 'readManifest' | 'makeWorkFolder' | 'write' | 'remove';
  path?: string;
}

async function run(client: Client, command: string, step: NodeStep, stdin?: string): Promise<string> {
  const result = await execCommand(client, command, stdin);
  if (result.code !== 0)
    throw coreError(
      'conflict',
      'inventory.node-step-failed',
      {
        action: step.action,
        path: step.path ?? '',
        detail: result.stderr.trim().split('\n').slice(-2).join(' / ') || `exit ${result.code}`,
      },
      'bundle',
    );
  return result.stdout;
}

/**
 * The same files kubesprayDefaultsFiles finds, listed by the deploy node's shell: a file itself, a folder's YAML
 * sorted.
 */
function defaultsListing(releaseDir: string, candidates: readonly string[]): string {
  const paths = candidates.map((candidate) => q(candidate)).join(' ');
  return `cd ${q(releaseDir)} && for p in ${paths}; do if [ -f "$p" ]; then echo "$PWD/$p"; elif [ -d "$p" ]; then ls "$p" | grep -E '[.]ya?ml$' | LC_ALL=C sort | sed "s|^|$PWD/$p/|"; fi; done`;
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/**
 * The deploy node, through the run's own login, with the run's own ansible-playbook (the bundle's venv or the node's).
 */
export function nodePlace(client: Client, ansiblePlaybook: readonly string[]): RenderPlace {
  return {
    defaultsFiles: async (releaseDir) => ({
      general: lines(await run(client, defaultsListing(releaseDir, generalDefaults), { action: 'listDefaults' })),
      download: lines(
        await run(client, defaultsListing(releaseDir, downloadDefaults), { action: 'listDownloadDefaults' }),
      ),
    }),
    readFile: (path) => run(client, `cat ${q(path)}`, { action: 'read', path }),
    makeWorkDir: async () =>
      (await run(client, 'mktemp -d /tmp/airspray-downloads-XXXXXX', { action: 'makeWorkFolder' })).trim(),
    writeFile: async (path, content) =>
      void (await run(
        client,
        `mkdir -p "$(dirname ${q(path)})" && cat > ${q(path)}`,
        { action: 'write', path },
        content,
      )),
    runPlaybook: async (workDir, args, failure) => {
      const env = Object.entries(ansibleEnv(workDir)).map(([name, value]) => `${name}=${q(value)}`);
      const result = await execCommand(
        client,
        `cd ${q(workDir)} && env ${env.join(' ')} ${shellCommand([...ansiblePlaybook, ...args])}`,
      );
      if (result.code !== 0)
        throw coreError(
          'conflict',
          failure.id,
          { ...failure.params, place: 'node', problem: ansibleProblem(`${result.stdout}\n${result.stderr}`) },
          'bundle',
        );
    },
    remove: async (workDir) => void (await run(client, `rm -rf ${q(workDir)}`, { action: 'remove', path: workDir })),
  };
}

/**
 * The download check made on the deploy node, for a machine without ansible-playbook (a Windows laptop): the pushed
 * bundle's kubespray and manifest.json, rendered by the Ansible the run is about to use.
 */
export async function checkDownloadsOnNode(
  client: Client,
  project: ProjectDocument,
  where: { kubesprayDir: string; bundleDir: string; ansiblePlaybook: readonly string[] },
  extraVars: Record<string, unknown> = {},
): Promise<DownloadCheck> {
  const text = await run(client, `cat ${q(`${where.bundleDir}/manifest.json`)}`, {
    action: 'readManifest',
    path: `${where.bundleDir}/manifest.json`,
  });
  // The node holds a delta's reused files too (the push sends the whole release).
  const manifest = completeManifest(BundleManifestSchema.parse(JSON.parse(text)));
  const place = nodePlace(client, where.ansiblePlaybook);
  try {
    const set = await renderDownloadSet(
      where.kubesprayDir,
      project.cluster,
      architecturesFor(project, manifest),
      place,
      extraVars,
    );
    return { checked: true, items: set.items, findings: checkDownloadSet(set, manifest) };
  } catch (error) {
    if (error instanceof AirsprayError && error.code === 'unsupported')
      return {
        checked: false,
        unreadable: true,
        reason: error.message,
        ...(error.i18n ? { reasonMessage: error.i18n } : {}),
        items: [],
        findings: [],
      };
    throw error;
  }
}
