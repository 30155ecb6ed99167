import type { Publisher } from '../../common/bundle-verification';
import type { ClusterHost, HostRole } from '../../common/cluster-plan';
import type { HealthReport } from '../../common/health-api';
import type { ProjectDocument } from '../../common/project';
import type { VerificationCache } from '../bundles/verification-cache';
import { checkCertificates } from '../certs/read-certificates';
import type { KeySession } from '../deploy/deploy-operations';
import { listEtcdBackups } from '../etcd/etcd-backups';
import { groupNamesFor } from '../inventory/kubespray-names';
import type { RunService } from '../runs/run-service';
import { readMemberStatus } from '../etcd/member-status';
import type { ClusterAccessService } from '../cluster/cluster-access';

export interface HealthSources {
  project: ProjectDocument;
  projectFolder: string;
  session: KeySession;
  runs: Pick<RunService, 'list' | 'verifyRecords'>;
  /** Reads the nodes with kubectl on a control plane, as Operate's node readiness does. */
  cluster: Pick<ClusterAccessService, 'refreshNodes'>;
  verifications: Pick<VerificationCache, 'verifiedPublisher'>;
  now?: Date;
}

/** How many of the newest runs the report lists. */
const recentRuns = 10;

type Section<T> = ({ read: true } & T) | { read: false; error: string };

/** One part of the report: read from the plan's first host with `role`, or why it could not be. */
async function section<T>(
  host: ClusterHost | undefined,
  role: string,
  read: (host: ClusterHost) => Promise<T>,
): Promise<Section<T>> {
  if (!host) return { read: false, error: `The plan has no ${role}.` };
  try {
    return { read: true, ...(await read(host)) };
  } catch (error) {
    return { read: false, error: (error as Error).message };
  }
}

/**
 * Reads everything the health report shows: the live cluster over the deploy key (nodes from a control plane, etcd
 * from the first member, certificates from every host), the rest from the project's folder. A part that cannot be
 * read says why; the others are still shown. Changes nothing on the cluster (Operate's node list is refreshed).
 */
export async function readHealthReport(sources: HealthSources): Promise<HealthReport> {
  const { project, session } = sources;
  const hosts = project.cluster.hosts;
  const now = sources.now ?? new Date();
  const [nodes, etcd, certificates, backups, runs, chain, publisher] = await Promise.all([
    section(firstWith(hosts, 'controlPlane'), 'control plane', async () => {
      const { nodes } = await sources.cluster.refreshNodes(project.id, session);
      return { from: nodes?.fromHost.name ?? '', nodes: nodes?.nodes ?? [] };
    }),
    section(firstWith(hosts, 'etcd'), 'etcd member', async (host) => ({
      from: host.name,
      members: await readMemberStatus(host, session),
    })),
    checkCertificates(hosts, session, now).then(
      (report) => ({ read: true as const, ...report }),
      (error: unknown) => ({ read: false as const, error: (error as Error).message }),
    ),
    listEtcdBackups(project, sources.projectFolder),
    sources.runs.list(project.id),
    sources.runs.verifyRecords(project.id),
    project.cluster.bundle ? sources.verifications.verifiedPublisher(project.cluster.bundle.manifestSha256) : undefined,
  ]);
  return {
    madeAt: now.toISOString(),
    cluster: clusterOf(project),
    bundle: bundleOf(project, publisher),
    nodes,
    etcd,
    certificates,
    lastBackup: backups.backups[0] ?? null,
    runs: { recent: runs.slice(0, recentRuns).map(({ digest: _, invocation: __, ...run }) => run), chain },
  };
}

const firstWith = (hosts: readonly ClusterHost[], role: HostRole) => hosts.find((host) => host.roles[role]);

/** The plan's hosts with their kubespray groups, as the inventory names them. */
function clusterOf(project: ProjectDocument): HealthReport['cluster'] {
  const groups = groupNamesFor(project.cluster.bundle?.kubesprayVersion);
  return {
    name: project.cluster.settings.clusterName,
    kubernetesVersion: project.cluster.settings.kubernetesVersion,
    deployNode: project.cluster.deployNode,
    hosts: project.cluster.hosts.map((host) => ({
      name: host.name,
      address: host.address,
      roles: (Object.keys(host.roles) as HostRole[]).filter((role) => host.roles[role]).map((role) => groups[role]),
    })),
  };
}

function bundleOf(project: ProjectDocument, publisher: Publisher | undefined): HealthReport['bundle'] {
  const bundle = project.cluster.bundle;
  if (!bundle) return null;
  return {
    bundleId: bundle.bundleId,
    kubesprayVersion: bundle.kubesprayVersion,
    manifestSha256: bundle.manifestSha256,
    ...(publisher ? { publisher } : {}),
  };
}
