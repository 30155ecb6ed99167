import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord } from '../../electron/common/run';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { remoteRunDir } from '../../electron/node/runs/remote-run';
import { execOnHost, writeFileOnHost } from '../lab/lab';
import { hostAddress } from '../lab/lab-network';

/**
 * Puts a recorded log on lab host `hostIndex` as the finished runs `runIds` (each its own run folder with the same
 * log, hard-linked, and a status.json), and records them locally as still running and never followed: what a
 * server that was away for the whole run finds. Attaching streams each whole log from the host.
 */
export async function stageRecordedRuns(options: {
  dataDir: string;
  projectId: string;
  cluster: string;
  hostIndex: number;
  runIds: string[];
  log: string;
}): Promise<void> {
  const host = `lab${options.hostIndex}`;
  const [first, ...others] = options.runIds;
  if (!first) throw new Error('stageRecordedRuns needs at least one run id');
  await writeFileOnHost(host, `${remoteRunDir(first)}/log`, options.log, 'ops');
  const status = '{"exitCode": 0, "finishedAt": "2025-07-14T10:00:00Z", "cancelled": false}';
  const script = options.runIds
    .map((runId) =>
      [
        `mkdir -p ${remoteRunDir(runId)}`,
        runId === first ? '' : `ln -f ${remoteRunDir(first)}/log ${remoteRunDir(runId)}/log`,
        `echo '${status}' > ${remoteRunDir(runId)}/status.json`,
      ]
        .filter(Boolean)
        .join(' && '),
    )
    .join(' && ');
  await execOnHost(host, `${script} && chown -R ops: ${options.runIds.map(remoteRunDir).join(' ')}`);
  const folder = new ProjectStore(options.dataDir).projectFolder(options.projectId);
  for (const [index, runId] of [first, ...others].entries()) {
    const run: RunRecord = {
      id: runId,
      projectId: options.projectId,
      cluster: options.cluster,
      playbook: 'cluster.yml',
      commandLine: "'ansible-playbook' '-i' 'inventory/recorded/hosts.yaml' 'cluster.yml' '-b'",
      // The first id is the newest, so it is the one a view opens on.
      startedAt: new Date(Date.UTC(2025, 6, 14, 10, 0, 0) - index * 60_000).toISOString(),
      startedBy: 'bench',
      deployNode: hostAddress(options.hostIndex),
      inventoryDigest: '0'.repeat(64),
      state: 'running',
      logBytes: 0,
      digest: { tasksStarted: 0, hosts: {}, failures: [] },
    };
    await mkdir(join(folder, 'runs', runId), { recursive: true });
    await writeFile(join(folder, 'runs', runId, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
  }
}
