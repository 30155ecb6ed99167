import type { etcdApiMethods } from '../../common/etcd-api';
import type { ApiHandlers } from '../api/dispatch-api-call';
import type { CertsDependencies } from '../certs/certs-handlers';
import { openVaultKeySession } from '../deploy/key-session';
import { backUpEtcd, listEtcdBackups } from './etcd-backups';
import { collectEtcdSnapshots, scheduleEtcdSnapshots } from './etcd-timer';
import { restoreEtcd } from './restore-etcd';

/** etcd snapshots over the deploy key's session, kept in the project's folder. */
export function createEtcdHandlers(deps: CertsDependencies): Pick<ApiHandlers, keyof typeof etcdApiMethods> {
  return {
    'etcd.backup': async (call) => {
      const project = await deps.projects.open(call.projectId);
      const folder = deps.projects.projectFolder(call.projectId);
      return backUpEtcd(project, folder, await openVaultKeySession(deps, call), { member: call.member });
    },
    'etcd.restore': async ({ backup, confirm, ignoreMemberMismatch, ...call }) => {
      const project = await deps.projects.open(call.projectId);
      const folder = deps.projects.projectFolder(call.projectId);
      const session = await openVaultKeySession(deps, call);
      return restoreEtcd(project, folder, session, { backup, confirm, ignoreMemberMismatch });
    },
    'etcd.schedule': async ({ every, keep, ...call }) => {
      const project = await deps.projects.open(call.projectId);
      return scheduleEtcdSnapshots(project, await openVaultKeySession(deps, call), { every, keep });
    },
    'etcd.collect': async (call) => {
      const project = await deps.projects.open(call.projectId);
      const folder = deps.projects.projectFolder(call.projectId);
      return collectEtcdSnapshots(project, folder, await openVaultKeySession(deps, call));
    },
    'etcd.backups': async ({ projectId }) =>
      listEtcdBackups(await deps.projects.open(projectId), deps.projects.projectFolder(projectId)),
  };
}
