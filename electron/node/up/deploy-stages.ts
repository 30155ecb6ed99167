import { stat } from 'node:fs/promises';
import { formatBytes } from '../../common/format-bytes';
import type { HealthReport } from '../../common/deploy-api';
import type { ProjectDocument } from '../../common/project';
import { pushItemsOf, type PushItem } from '../deploy/bundle-source';
import { planHosts } from '../deploy/deploy-context';
import {
  checkProjectServices,
  connectWithKey,
  pushProjectBundle,
  startProjectServices,
} from '../deploy/deploy-operations';
import { bootstrapDeployKey } from '../deploy/key-bootstrap';
import { pushRecordFile } from '../deploy/push-bundle';
import { RecordSchema } from '../deploy/push-plan';
import { execCommand } from '../ssh/ssh-connection';
import { quoteShellArg } from '../ssh/shell-quote';
import type { UpSession } from './up-session';
import type { UpStage } from './up-stages';

/** Logs in with the deploy key to every host, one at a time; the name of the first that refuses, or null. */
async function firstWithoutKeyLogin(session: UpSession, project: ProjectDocument): Promise<string | null> {
  const keySession = await session.keySession(project);
  for (const host of planHosts(project)) {
    try {
      (await connectWithKey(host, keySession)).end();
    } catch {
      return host.name;
    }
  }
  return null;
}

/** The project's deploy key on every host: done when the key is stored and logs in everywhere. */
export function deployKeyStage(session: UpSession): UpStage {
  return {
    name: 'deploy key',
    done: async () => {
      const project = await session.project();
      if (!(await session.keys.get(project.id, session.options.deployKeyPassphrase()))) return null;
      return (await firstWithoutKeyLogin(session, project)) === null
        ? `key login works on ${project.cluster.hosts.length} host(s)`
        : null;
    },
    run: async () => {
      const project = await session.project();
      const { key } = await session.keys.getOrCreate(project.id, project.name, session.options.deployKeyPassphrase());
      const outcomes = await bootstrapDeployKey(planHosts(project), {
        credential: await session.credential(),
        key,
        hostKeys: session.hostKeys(project),
      });
      const failed = outcomes.filter((outcome) => !outcome.ok);
      if (failed.length > 0)
        throw new Error(failed.map((outcome) => `${outcome.name}: ${outcome.message ?? 'no message'}`).join('; '));
      return `key ${key.fingerprint} on ${outcomes.length} host(s), ${outcomes.filter((outcome) => outcome.authorizedKey === 'added').length} newly added`;
    },
  };
}

/** Whether the node's record of its last complete push holds every file of the bundle with the bundle's sha256. */
export function recordHoldsBundle(recordText: string, items: readonly PushItem[]): boolean {
  let record;
  try {
    record = RecordSchema.safeParse(JSON.parse(recordText));
  } catch {
    return false;
  }
  return (
    record.success &&
    items.every(
      (item) =>
        record.data.files[item.path]?.sha256 === item.sha256 && record.data.files[item.path]?.size === item.size,
    )
  );
}

/**
 * The bundle on the deploy node: done when no push is half-way (its journal is gone) and the node's record holds
 * every file. A push resumes what an interrupted one left (the journal's acknowledged ranges, the files there).
 */
export function pushStage(session: UpSession): UpStage {
  return {
    name: 'push',
    done: async () => {
      const project = await session.project();
      if (
        await stat(session.journalPath(project)).then(
          () => true,
          () => false,
        )
      )
        return null;
      const context = await session.deployContext(project);
      const client = await connectWithKey(context.deployNode, await session.keySession(project));
      try {
        const record = await execCommand(
          client,
          `cat ${quoteShellArg(pushRecordFile(context.remoteBundleDir))} 2>/dev/null`,
        );
        const items = await pushItemsOf(context.bundleDir, context.manifest);
        return record.code === 0 && recordHoldsBundle(record.stdout, items)
          ? `${context.deployNode.name} holds all ${items.length} file(s) of ${context.manifest.bundleId}`
          : null;
      } finally {
        client.end();
      }
    },
    run: async (signal) => {
      const project = await session.project();
      const result = await pushProjectBundle(await session.deployContext(project), await session.keySession(project), {
        signal,
        journalPath: session.journalPath(project),
        ...(session.options.onPushProgress ? { onProgress: session.options.onPushProgress } : {}),
      });
      return `${result.filesSent} file(s) sent (${formatBytes(result.bytesToSend)}), ${result.filesSkipped} already there, ${result.reconnects} reconnect(s)`;
    },
  };
}

const failedChecks = (reports: readonly HealthReport[]) =>
  reports.flatMap((report) =>
    report.checks
      .filter((check) => !check.ok)
      .map((check) => `${check.name} from ${report.from}: ${check.detail || 'no answer'}`),
  );

/** The registry and file server on the deploy node: done when they answer from here and from every host. */
export function servicesStage(session: UpSession): UpStage {
  return {
    name: 'services',
    done: async () => {
      const project = await session.project();
      const health = await checkProjectServices(
        await session.deployContext(project),
        await session.keySession(project),
      );
      return health.ok ? `registry and file server answer from here and ${health.reports.length - 1} host(s)` : null;
    },
    run: async () => {
      const project = await session.project();
      const health = await startProjectServices(
        await session.deployContext(project),
        await session.keySession(project),
      );
      if (!health.ok) throw new Error(failedChecks(health.reports).join('; '));
      return `started; they answer from here and ${health.reports.length - 1} host(s)`;
    },
  };
}
