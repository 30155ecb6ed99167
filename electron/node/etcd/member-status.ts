import { z } from 'zod';
import type { ClusterHost } from '../../common/cluster-plan';
import type { EtcdMemberStatus } from '../../common/etcd-api';
import { connectWithKey, type KeySession } from '../deploy/deploy-operations';
import { execAsRoot, sudoPasswordOf } from '../deploy/remote-shell';
import { quoteShellArg } from '../ssh/shell-quote';
// Real files beside this one: etcdctl with kubespray's certificates, then member list, health and status, as root.
import etcdctlEnv from './etcdctl-env.sh?raw';
import program from './member-status.sh?raw';

/** What the script printed, by section name (`members`, `health`, `status`). */
export function parseSections(stdout: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^(\w+) (.*)$/.exec(line);
    if (match) sections.set(match[1]!, match[2]!);
  }
  return sections;
}

const MemberListSchema = z.object({
  members: z.array(z.object({ name: z.string().optional(), clientURLs: z.array(z.string()).optional() })),
});
const HealthListSchema = z.array(z.object({ endpoint: z.string(), health: z.boolean(), error: z.string().optional() }));
const StatusListSchema = z.array(
  z.object({
    Endpoint: z.string(),
    Status: z.object({
      // etcd's member ids exceed 2^53: both sides of the leader comparison lose the same digits.
      header: z.object({ member_id: z.number() }),
      version: z.string(),
      dbSize: z.number().int(),
      leader: z.number(),
    }),
  }),
);

/** etcdctl's member list, endpoint health and endpoint status (all -w json) as one row per member. */
export function parseEtcdMembers(sections: Map<string, string>): EtcdMemberStatus[] {
  const members = MemberListSchema.parse(JSON.parse(sections.get('members') ?? '')).members;
  const health = HealthListSchema.safeParse(JSON.parse(sections.get('health') || '[]'));
  const status = StatusListSchema.safeParse(JSON.parse(sections.get('status') || '[]'));
  return members.flatMap((member) =>
    (member.clientURLs ?? []).slice(0, 1).map((endpoint) => {
      const answer = health.success ? health.data.find((entry) => entry.endpoint === endpoint) : undefined;
      const state = status.success ? status.data.find((entry) => entry.Endpoint === endpoint)?.Status : undefined;
      return {
        name: member.name || endpoint,
        endpoint,
        healthy: answer?.health ?? false,
        leader: state !== undefined && state.leader === state.header.member_id,
        ...(state ? { version: state.version, dbSizeBytes: state.dbSize } : {}),
        ...(answer?.health ? {} : { error: answer?.error || 'no answer to endpoint health' }),
      };
    }),
  );
}

const failureWords: Record<number, string> = {
  3: 'is not installed there',
  4: 'is missing there',
  5: 'failed',
};

/** The members of the etcd cluster `member` belongs to, read on it as root; an Error in the operator's words. */
export async function readMemberStatus(member: ClusterHost, session: KeySession): Promise<EtcdMemberStatus[]> {
  const client = await connectWithKey(member, session);
  try {
    const args = [member.name, member.address].map((arg) => quoteShellArg(arg)).join(' ');
    const result = await execAsRoot(
      client,
      `set -- ${args}\n${etcdctlEnv}\n${program}`,
      sudoPasswordOf(session.credential),
    );
    if (result.code === 0) return parseEtcdMembers(parseSections(result.stdout));
    const detail = result.stderr.trim().split('\n').slice(-2).join(' / ');
    const words = (result.code !== null && failureWords[result.code]) || `(exit ${result.code})`;
    throw new Error(`on ${member.name}: ${detail || 'no output'} ${words}`);
  } finally {
    client.end();
  }
}
