import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noRoles, type ClusterHost, type HostRoles } from '../../../electron/common/cluster-plan';
import { AirsprayError } from '../../../electron/common/errors';
import {
  lifecycleProcedure,
  manualStepText,
  type LifecycleProcedure,
  type LifecycleRequest,
} from '../../../electron/common/node-lifecycle';
import { recoverLoss } from '../../../electron/common/recover-control-plane';
import { formatCoreMessage, inEnglish } from '../../../electron/node/i18n/format-core-message';
import { requireKubesprayRelease } from '../../support/kubespray-release-path';

const run = promisify(execFile);

const host = (name: string, roles: Partial<HostRoles>): ClusterHost => ({
  name,
  address: `10.0.0.${name.replace(/\D/g, '') || '1'}`,
  roles: { ...noRoles, ...roles },
});
const member = { controlPlane: true, etcd: true, worker: true };
/** Three control planes with etcd, two workers: the shape most plans have. */
const cluster = [host('cp1', member), host('cp2', member), host('cp3', member), host('w1', { worker: true })];

const runsOf = (procedure: LifecycleProcedure) =>
  procedure.runs.map(({ options }) => [options.playbook, options.limit ?? '', options.extraVars ?? {}]);

function refusal(hosts: ClusterHost[], request: LifecycleRequest): AirsprayError {
  try {
    lifecycleProcedure(hosts, request);
  } catch (error) {
    if (error instanceof AirsprayError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('lifecycleProcedure: adding', () => {
  it('adds workers with facts.yml over every host, then scale.yml limited to them', () => {
    const plan = [...cluster, host('w2', { worker: true }), host('w3', { worker: true })];
    expect(runsOf(lifecycleProcedure(plan, { action: 'add', hosts: ['w2', 'w3'] }))).toEqual([
      ['playbooks/facts.yml', '', {}],
      ['scale.yml', 'w2,w3', {}],
    ]);
  });

  it('adds a control plane with cluster.yml over the whole cluster, then says to restart nginx-proxy everywhere', () => {
    const plan = [...cluster, host('cp4', { controlPlane: true }), host('w2', { worker: true })];
    const procedure = lifecycleProcedure(plan, { action: 'add', hosts: ['cp4', 'w2'] });
    expect(runsOf(procedure)).toEqual([['cluster.yml', '', {}]]);
    expect(procedure.manualSteps).toEqual([
      { kind: 'restart-nginx-proxy', when: 'after', hosts: ['cp1', 'cp2', 'cp3', 'w1', 'cp4', 'w2'] },
    ]);
  });

  it('adds etcd members with cluster.yml then upgrade-cluster.yml on etcd,kube_control_plane, asserts ignored', () => {
    const plan = [...cluster, host('e4', { etcd: true }), host('e5', { etcd: true })];
    const procedure = lifecycleProcedure(plan, { action: 'add', hosts: ['e4', 'e5'] });
    expect(runsOf(procedure)).toEqual([
      ['cluster.yml', 'etcd,kube_control_plane', { ignore_assert_errors: true, etcd_retries: 10 }],
      ['upgrade-cluster.yml', 'etcd,kube_control_plane', { ignore_assert_errors: true }],
    ]);
    const servers = procedure.manualSteps.find((step) => step.kind === 'etcd-servers');
    expect(servers).toEqual({
      kind: 'etcd-servers',
      when: 'after',
      hosts: ['cp1', 'cp2', 'cp3'],
      members: ['cp1', 'cp2', 'cp3', 'e4', 'e5'],
    });
    expect(manualStepText(servers!)).toContain('--etcd-servers in /etc/kubernetes/manifests/kube-apiserver.yaml');
  });

  it('keeps the default etcd retries for one member, and runs cluster.yml unlimited for a control plane with etcd', () => {
    const plan = [...cluster.slice(0, 2), host('w1', { worker: true }), host('cp3', member)];
    const procedure = lifecycleProcedure(plan, { action: 'add', hosts: ['cp3'] });
    expect(runsOf(procedure)).toEqual([
      ['cluster.yml', 'etcd,kube_control_plane', { ignore_assert_errors: true }],
      ['upgrade-cluster.yml', 'etcd,kube_control_plane', { ignore_assert_errors: true }],
      ['cluster.yml', '', {}],
    ]);
    expect(procedure.manualSteps.map((step) => [step.kind, step.when])).toEqual([
      ['remove-before-etcd', 'before'],
      ['restart-nginx-proxy', 'after'],
      ['etcd-servers', 'after'],
    ]);
  });

  it('refuses an even number of etcd members, a first control plane and a host without a role', () => {
    const even = refusal([...cluster, host('e4', { etcd: true })], { action: 'add', hosts: ['e4'] });
    expect([even.code, even.i18n]).toEqual(['conflict', { id: 'nodes.etcd-even', params: { count: 4 } }]);
    const first = refusal([host('cp0', { controlPlane: true }), ...cluster], { action: 'add', hosts: ['cp0'] });
    expect(first.i18n).toEqual({
      id: 'nodes.first-host',
      params: { verb: 'add', group: 'kube_control_plane', host: 'cp0' },
    });
    const bare = refusal([...cluster, host('x', {})], { action: 'add', hosts: ['x'] });
    expect([bare.field, bare.i18n]).toEqual(['hosts', { id: 'nodes.not-in-plan', params: { host: 'x' } }]);
  });
});

describe('lifecycleProcedure: removing and replacing', () => {
  it('removes a worker with remove-node.yml alone, confirmed, reset unless it is down', () => {
    expect(runsOf(lifecycleProcedure(cluster, { action: 'remove', hosts: ['w1'] }))).toEqual([
      ['remove-node.yml', '', { node: 'w1', skip_confirmation: true }],
    ]);
    const down = lifecycleProcedure(cluster, { action: 'remove', hosts: ['w1'], offline: true });
    expect(down.runs[0]!.options.extraVars).toEqual({
      node: 'w1',
      skip_confirmation: true,
      reset_nodes: false,
      allow_ungraceful_removal: true,
    });
  });

  it('removes two etcd members with remove-node.yml, then cluster.yml for the remaining configuration', () => {
    const five = [...cluster, host('cp4', member), host('cp5', member)];
    const procedure = lifecycleProcedure(five, { action: 'remove', hosts: ['cp4', 'cp5'] });
    expect(runsOf(procedure)).toEqual([
      ['remove-node.yml', '', { node: 'cp4,cp5', skip_confirmation: true }],
      ['cluster.yml', '', {}],
    ]);
    expect(procedure.manualSteps).toEqual([
      { kind: 'etcd-servers', when: 'after', hosts: ['cp1', 'cp2', 'cp3'], members: ['cp1', 'cp2', 'cp3'] },
      { kind: 'shut-down', when: 'after', hosts: ['cp4', 'cp5'] },
    ]);
  });

  it('refuses to remove the first control plane, naming the host and the re-ordering', () => {
    const error = refusal(cluster, { action: 'remove', hosts: ['cp1'] });
    expect([error.code, error.field]).toEqual(['conflict', 'hosts']);
    expect(error.i18n).toEqual({
      id: 'nodes.first-host',
      params: { verb: 'remove', group: 'kube_control_plane', host: 'cp1' },
    });
    // The CLI's English, once electron/node ran the rule.
    expect(() => inEnglish(() => lifecycleProcedure(cluster, { action: 'remove', hosts: ['cp1'] }))).toThrow(
      "kubespray cannot remove the first host of kube_control_plane (cp1): put another kube_control_plane host first in the plan's host order, run cluster.yml so the cluster has the new order, then remove cp1.",
    );
  });

  it('refuses a removal that leaves an even number of etcd members, and removing the only one', () => {
    expect(refusal(cluster, { action: 'remove', hosts: ['cp3'] }).i18n).toEqual({
      id: 'nodes.etcd-even',
      params: { count: 2 },
    });
    const single = [host('cp1', { controlPlane: true, worker: true }), host('e2', { etcd: true })];
    expect(refusal(single, { action: 'remove', hosts: ['e2'] }).i18n).toEqual({
      id: 'nodes.first-host',
      params: { verb: 'remove', group: 'etcd', host: 'e2' },
    });
  });

  it('replaces an etcd member: the new one joins, then the old one leaves, the count odd at the end', () => {
    const plan = [...cluster, host('cp4', member)];
    const procedure = lifecycleProcedure(plan, { action: 'replace', hosts: ['cp4'], replacing: ['cp3'] });
    expect(runsOf(procedure)).toEqual([
      ['cluster.yml', 'etcd,kube_control_plane', { ignore_assert_errors: true }],
      ['upgrade-cluster.yml', 'etcd,kube_control_plane', { ignore_assert_errors: true }],
      ['cluster.yml', '', {}],
      ['remove-node.yml', '', { node: 'cp3', skip_confirmation: true }],
      ['cluster.yml', '', {}],
    ]);
    expect(procedure.manualSteps.find((step) => step.kind === 'etcd-servers')?.members).toEqual(['cp1', 'cp2', 'cp4']);
    expect(refusal(plan, { action: 'replace', hosts: ['cp4'] })).toMatchObject({
      field: 'replacing',
      i18n: { id: 'nodes.replacing-missing' },
    });
    expect(refusal(plan, { action: 'replace', hosts: ['cp4'], replacing: ['cp4'] }).i18n).toEqual({
      id: 'nodes.replace-itself',
      params: { host: 'cp4' },
    });
  });
});

describe('lifecycleProcedure: recovering broken members (docs/recover-control-plane.md)', () => {
  const five = [...cluster, host('cp4', member), host('cp5', member)];
  const groupsOf = (procedure: LifecycleProcedure) => procedure.runs[0]!.options.recoverGroups;

  it('rebuilds a broken member in place: survivors first, it after them and in both broken groups', () => {
    const procedure = lifecycleProcedure(cluster, { action: 'recover', hosts: ['cp1'] });
    expect(runsOf(procedure)).toEqual([['recover-control-plane.yml', 'etcd,kube_control_plane', { etcd_retries: 10 }]]);
    expect(groupsOf(procedure)).toEqual({
      etcd: ['cp2', 'cp3', 'cp1'],
      controlPlane: ['cp2', 'cp3', 'cp1'],
      brokenEtcd: ['cp1'],
      brokenControlPlane: ['cp1'],
      // The names the cluster was built with (the plan's order), not the run's order.
      etcdMemberNames: { cp1: 'etcd1', cp2: 'etcd2', cp3: 'etcd3' },
    });
    expect(procedure.manualSteps.map((step) => [step.kind, step.when, step.hosts])).toEqual([
      ['etcd-backup', 'before', ['cp2']],
      ['provision-again', 'before', ['cp1']],
      ['etcd-servers', 'after', ['cp2', 'cp3', 'cp1']],
    ]);
  });

  it("puts new hosts in the broken ones' places, after the survivors; the broken ones then leave the plan", () => {
    const plan = [...cluster, host('cp4', member)];
    const procedure = lifecycleProcedure(plan, { action: 'recover', hosts: ['cp2'], newHosts: ['cp4'] });
    expect(groupsOf(procedure)).toMatchObject({
      etcd: ['cp1', 'cp3', 'cp4'],
      controlPlane: ['cp1', 'cp3', 'cp4'],
      brokenEtcd: ['cp2'],
      etcdMemberNames: { cp1: 'etcd1', cp2: 'etcd2', cp3: 'etcd3', cp4: 'etcd4' },
    });
    expect(procedure.manualSteps.map((step) => step.kind)).toEqual(['etcd-backup', 'etcd-servers', 'leave-plan']);
    expect(procedure.manualSteps.at(-1)?.hosts).toEqual(['cp2']);
  });

  it('puts a broken control plane that is no etcd member in broken_kube_control_plane only', () => {
    const plan = [...cluster, host('cp4', { controlPlane: true })];
    expect(groupsOf(lifecycleProcedure(plan, { action: 'recover', hosts: ['cp4'] }))).toMatchObject({
      brokenEtcd: [],
      brokenControlPlane: ['cp4'],
    });
  });

  it('refuses without a surviving etcd member or control plane, naming why and what to do instead', () => {
    const etcdGone = refusal(cluster, { action: 'recover', hosts: ['cp1', 'cp2', 'cp3'] });
    expect([etcdGone.code, etcdGone.i18n]).toEqual([
      'conflict',
      { id: 'nodes.recover-no-survivor', params: { role: 'etcd', broken: 'cp1, cp2, cp3' } },
    ]);
    const plan = [host('cp1', { controlPlane: true }), host('e1', { etcd: true }), host('w1', { worker: true })];
    expect(refusal(plan, { action: 'recover', hosts: ['cp1'] }).i18n).toEqual({
      id: 'nodes.recover-no-survivor',
      params: { role: 'controlPlane', broken: 'cp1' },
    });
  });

  it('refuses a broken host that is no etcd member or control plane, naming it', () => {
    for (const name of ['w1', 'nowhere']) {
      const refused = refusal(cluster, { action: 'recover', hosts: [name] });
      expect([refused.field, refused.i18n]).toEqual([
        'hosts',
        { id: 'nodes.recover-not-member', params: { host: name } },
      ]);
    }
    expect(refusal(cluster, { action: 'recover', hosts: ['cp1'], newHosts: ['w1'] }).field).toBe('newHosts');
    expect(refusal(cluster, { action: 'recover', hosts: ['cp1'], newHosts: ['cp1'] })).toMatchObject({
      field: 'newHosts',
      i18n: { id: 'nodes.recover-broken-and-new', params: { host: 'cp1' } },
    });
  });

  it('refuses an even etcd count after the recovery, as kubespray would', () => {
    const refused = refusal(five, { action: 'recover', hosts: ['cp1'], newHosts: ['cp2'] });
    expect([refused.field, refused.i18n]).toEqual([
      'newHosts',
      { id: 'nodes.recover-etcd-even', params: { count: 4, members: 'cp3, cp4, cp5, cp2' } },
    ]);
    const four = [...cluster, host('e4', { etcd: true })];
    expect(refusal(four, { action: 'recover', hosts: ['cp1'] }).field).toBe('hosts');
    expect(
      groupsOf(lifecycleProcedure(five, { action: 'recover', hosts: ['cp1', 'cp2'], newHosts: ['cp3'] }))?.etcd,
    ).toEqual(['cp4', 'cp5', 'cp3']);
  });

  it('names what may be lost: the broken members, the snapshot member, disruptions, no guarantees, a backup first', () => {
    const groups = groupsOf(lifecycleProcedure(cluster, { action: 'recover', hosts: ['cp1'] }))!;
    const loss = recoverLoss(groups, false);
    expect(loss).toEqual({
      id: 'nodes.recover-loss',
      params: { broken: 'cp1', brokenEtcd: 1, hasFirst: 'yes', first: 'cp2', confirm: 'no', snapshot: 'no' },
    });
    expect(formatCoreMessage(loss.id, loss.params)).toMatch(
      /what is left on cp1 \(their etcd data.*snapshot of cp2.*disrupted.*"absolutely no guarantees".*airspray etcd backup\)\.$/,
    );
  });
});

describe("every playbook and variable the procedures use is in kubespray v2.23.3's release", () => {
  let release: string;
  beforeAll(async () => {
    release = await mkdtemp(join(tmpdir(), 'airspray-lifecycle-'));
    await run('tar', ['-xzf', requireKubesprayRelease(), '-C', release]);
    release = join(release, 'kubespray-2.23.3');
  });
  afterAll(() => rm(join(release, '..'), { recursive: true, force: true }));

  const five = [...cluster, host('cp4', member), host('cp5', member), host('w2', { worker: true })];
  const procedures = [
    lifecycleProcedure(five, { action: 'add', hosts: ['cp4', 'cp5', 'w2'] }),
    lifecycleProcedure([...cluster, host('w2', { worker: true })], { action: 'add', hosts: ['w2'] }),
    lifecycleProcedure(five, { action: 'remove', hosts: ['cp4', 'cp5', 'w2'], offline: true }),
    lifecycleProcedure(five, { action: 'recover', hosts: ['cp1', 'cp2'] }),
  ];
  const used = procedures.flatMap((procedure) => procedure.runs.map((entry) => entry.options));

  it('the playbooks are in the release where the runs name them', async () => {
    const playbooks = [...new Set(used.map((options) => options.playbook))].sort();
    expect(playbooks).toEqual([
      'cluster.yml',
      'playbooks/facts.yml',
      'recover-control-plane.yml',
      'remove-node.yml',
      'scale.yml',
      'upgrade-cluster.yml',
    ]);
    for (const playbook of playbooks)
      expect(await readFile(join(release, playbook), 'utf8')).toMatch(/import_playbook|hosts:/);
  });

  it('the variables are read by its playbooks or roles, the limit groups are its groups', async () => {
    const variables = [...new Set(used.flatMap((options) => Object.keys(options.extraVars ?? {})))].sort();
    expect(variables).toEqual([
      'allow_ungraceful_removal',
      'etcd_retries',
      'ignore_assert_errors',
      'node',
      'reset_nodes',
      'skip_confirmation',
    ]);
    const groups = [...new Set(used.flatMap((options) => options.limit?.split(',') ?? []))].filter(
      (name) => !name.match(/\d$/),
    );
    expect(groups.sort()).toEqual(['etcd', 'kube_control_plane']);
    // recover-control-plane.yml's inventory groups, and the member name it matches broken members by.
    const recovered = used.find((options) => options.recoverGroups)?.recoverGroups;
    expect(recovered && Object.keys(recovered)).toEqual([
      'etcd',
      'controlPlane',
      'brokenEtcd',
      'brokenControlPlane',
      'etcdMemberNames',
    ]);
    groups.push('broken_etcd', 'broken_kube_control_plane');
    variables.push('etcd_member_name');
    // A variable read in a Jinja expression (`node | default(…)`, `not ignore_assert_errors`); a group as groups['x'].
    const patterns = [
      ...variables.map((name) => `(^|[^A-Za-z0-9_.])${name} *(\\||\\}\\}|is |$|\\)| and| or)`),
      ...groups.map((group) => `groups\\['${group}'\\]`),
    ];
    for (const pattern of patterns) {
      const found = await run('grep', ['-rlE', pattern, join(release, 'playbooks'), join(release, 'roles')]).catch(
        () => ({ stdout: '' }),
      );
      expect(found.stdout.trim(), pattern).not.toBe('');
    }
  });
});
