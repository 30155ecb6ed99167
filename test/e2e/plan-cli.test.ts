import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethodName, ApiParams, ApiResult } from '../../electron/common/api';
import { createAirsprayCore } from '../../electron/node/api/airspray-core';
import { dispatchApiCall } from '../../electron/node/api/dispatch-api-call';
import { writeBundleFolder } from '../support/bundle-fixtures';
import { buildAirsprayCli, type BundleCli } from '../support/bundle-cli';

const exec = promisify(execFile);

let root: string;
let dataDir: string;
let bundlesDir: string;
let cli: BundleCli;

/** The CLI against the test's data folder; `--project dc1` unless the arguments name one. */
const airspray = (...args: string[]) => cli(...args, '--data-dir', dataDir);
const plan = (...args: string[]) =>
  airspray('plan', ...args, ...(args.includes('--project') ? [] : ['--project', 'dc1']));

/** The core the window talks to, over the same data folder: what the UI would read and write. */
function core() {
  const instance = createAirsprayCore({
    shell: 'browser',
    version: '0.0.0-test',
    dataDir: { dir: dataDir, source: 'option' },
    bundleLocations: [{ path: bundlesDir, source: 'option' }],
  });
  return async <M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> => {
    const reply = await dispatchApiCall(instance.handlers, method, params, () => undefined);
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
    return reply.result as ApiResult<M>;
  };
}

async function uiProject(name: string) {
  const call = core();
  const summary = (await call('projects.list', {})).find((project) => project.name === name);
  if (!summary) throw new Error(`no project ${name} in the UI's list`);
  return call('projects.open', { id: summary.id });
}

const projectFile = async (name: string) =>
  readFile(join(dataDir, 'projects', (await uiProject(name)).id, 'project.json'), 'utf8');

/** A refused command: exit 1, the message on stderr, and project.json exactly as it was. */
async function expectRefused(
  run: Promise<{ code: number; stderr: string }>,
  message: RegExp,
  project = 'dc1',
): Promise<void> {
  const before = await projectFile(project);
  const result = await run;
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(await projectFile(project)).toBe(before);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airspray-plan-cli-'));
  dataDir = join(root, 'data');
  bundlesDir = join(root, 'bundles');
  await writeBundleFolder(bundlesDir, 'ks', {
    bundleId: 'ks-2.23.3',
    kubesprayVersion: '2.23.3',
    kubernetesVersions: ['1.27.10'],
  });
  cli = await buildAirsprayCli(root);
}, 120_000);

// Each step runs the CLI several times: generous on a loaded two-core machine.
describe('airspray project and plan: from nothing to an exported inventory', { timeout: 120_000 }, () => {
  it('creates a project the UI lists and opens, and refuses a taken or malformed name', async () => {
    const created = await airspray('project', 'create', 'dc1', '--json');
    expect(created.code).toBe(0);
    const document = JSON.parse(created.stdout) as { id: string; revision: number };
    expect(await uiProject('dc1')).toMatchObject({
      id: document.id,
      revision: 0,
      cluster: { hosts: [], deployNode: null },
    });

    const taken = await airspray('project', 'create', 'dc1');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/A project named "dc1" exists already/);
    const malformed = await airspray('project', 'create', 'DC_1');
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/"DC_1": Cluster name may hold only lowercase letters/);

    expect((await airspray('project', 'list')).stdout).toContain(`dc1\t${document.id}`);
    expect(JSON.parse((await airspray('project', 'list', '--json')).stdout)).toEqual([
      expect.objectContaining({ id: document.id, name: 'dc1' }),
    ]);
    expect((await airspray('project', 'show', 'dc1')).stdout).toMatch(
      /dc1\t.*revision 0[\s\S]*0 host\(s\), deploy node none, bundle none/,
    );
  });

  it('adds hosts singly and by range, and refuses a duplicate name or address, a port other than 22 and unpaired ranges', async () => {
    expect((await plan('hosts', 'add', '10.0.0.[11:13]', 'node[1:3]')).code).toBe(0);
    expect((await plan('hosts', 'add', '10.0.0.14:22', 'node4')).code).toBe(0);
    expect((await uiProject('dc1')).cluster.hosts.map((host) => `${host.name}@${host.address}`)).toEqual([
      'node1@10.0.0.11',
      'node2@10.0.0.12',
      'node3@10.0.0.13',
      'node4@10.0.0.14',
    ]);

    await expectRefused(
      plan('hosts', 'add', '10.0.0.20', 'node1'),
      /A host named node1 is in the plan already \(at 10\.0\.0\.11\): choose another name/,
    );
    await expectRefused(
      plan('hosts', 'add', '10.0.0.11', 'node9'),
      /Address 10\.0\.0\.11 is in the plan already \(host node1\)/,
    );
    await expectRefused(
      plan('hosts', 'add', '10.0.0.21:2222', 'node9'),
      /Port 2222 for node9: the plan reaches every host on SSH port 22/,
    );
    await expectRefused(
      plan('hosts', 'add', '10.0.0.[21:23]', 'node[9:10]'),
      /stands for 3 address\(es\) but node\[9:10\] for 2 name\(s\)/,
    );
    await expectRefused(plan('hosts', 'add', '10.0.0.300', 'node9'), /"10\.0\.0\.300" is not an IPv4 address/);
    await expectRefused(plan('hosts', 'add', '10.0.0.21', 'Node_9'), /Host name "Node_9" is not a node name/);
    // The second of two would collide with the first: neither is saved.
    await expectRefused(
      plan('hosts', 'add', '10.0.0.[21:22]', 'node[9:9]'),
      /stands for 2 address\(es\) but node\[9:9\] for 1/,
    );
  });

  it('gives and takes roles by name, address, range and pattern, and refuses hosts that are not in the plan', async () => {
    expect((await plan('roles', 'node[1:3]', '--control-plane', '--etcd')).code).toBe(0);
    expect((await plan('roles', 'node*', '--worker')).code).toBe(0);
    expect((await plan('roles', '10.0.0.[11:12]', '--no-worker')).code).toBe(0);
    const roles = Object.fromEntries((await uiProject('dc1')).cluster.hosts.map((host) => [host.name, host.roles]));
    expect(roles).toEqual({
      node1: { controlPlane: true, etcd: true, worker: false, calicoRr: false },
      node2: { controlPlane: true, etcd: true, worker: false, calicoRr: false },
      node3: { controlPlane: true, etcd: true, worker: true, calicoRr: false },
      node4: { controlPlane: false, etcd: false, worker: true, calicoRr: false },
    });

    await expectRefused(
      plan('roles', 'node9', '--worker'),
      /No host named or at node9 \(the plan has node1, node2, node3, node4\): add it first with `airspray plan hosts add/,
    );
    await expectRefused(
      plan('roles', 'node[01:05]', '--worker'),
      /No host named or at node01, node02, node03, node04, node05/,
    );
    await expectRefused(plan('roles', 'db*', '--worker'), /No host named or at db\*/);
    await expectRefused(plan('roles', 'node1'), /Say which roles: --control-plane, --etcd, --worker/);
  });

  it('chooses the deploy node and the bundle, and removing the deploy node clears it', async () => {
    expect((await plan('hosts', 'add', '10.0.0.15', 'spare')).code).toBe(0);
    expect((await plan('deploy-node', 'spare')).code).toBe(0);
    expect((await uiProject('dc1')).cluster.deployNode).toBe('spare');
    expect((await plan('hosts', 'remove', '10.0.0.15')).code).toBe(0);
    expect((await uiProject('dc1')).cluster).toMatchObject({ deployNode: null });
    expect((await uiProject('dc1')).cluster.hosts.map((host) => host.name)).toEqual([
      'node1',
      'node2',
      'node3',
      'node4',
    ]);
    await expectRefused(plan('hosts', 'remove', 'spare'), /No host named or at spare/);
    await expectRefused(plan('deploy-node', 'node*'), /"node\*" names 4 hosts .*: the deploy node is one host/);
    expect((await plan('deploy-node', 'node1')).code).toBe(0);

    const listed = await airspray('bundle', 'list', '--bundles-dir', bundlesDir);
    expect(listed.stdout).toMatch(/^ks-2\.23\.3\tkubespray 2\.23\.3\tKubernetes 1\.27\.10\tunsigned\t/m);
    await expectRefused(
      plan('bundle', 'ks-9', '--bundles-dir', bundlesDir),
      /No bundle "ks-9" in .*\(bundles found: ks-2\.23\.3\)/,
    );
    expect((await plan('bundle', 'ks-2.23.3', '--bundles-dir', bundlesDir)).code).toBe(0);
    expect((await uiProject('dc1')).cluster.bundle).toMatchObject({
      bundleId: 'ks-2.23.3',
      kubesprayVersion: '2.23.3',
      kubernetesVersions: ['1.27.10'],
    });
  });

  it('sets settings by dotted key with their types, switches a choice with its own fields, and refuses what the schema refuses', async () => {
    const set = await plan(
      'set',
      'kubernetesVersion=1.27.10',
      'dns.nodeLocalDns=false',
      'nodePrefix=25',
      'ntpServers=10.0.0.1,10.0.0.2',
      'apiLoadBalancing.mode=kube-vip',
      'apiLoadBalancing.address=10.0.0.100',
    );
    expect(set.stderr).toBe('');
    const { settings } = (await uiProject('dc1')).cluster;
    expect(settings).toMatchObject({
      kubernetesVersion: '1.27.10',
      nodePrefix: 25,
      ntpServers: ['10.0.0.1', '10.0.0.2'],
      dns: { mode: 'coredns', nodeLocalDns: false },
      apiLoadBalancing: { mode: 'kube-vip', address: '10.0.0.100' },
    });

    await expectRefused(
      plan('set', 'colour=blue'),
      /Unknown setting "colour": the settings are clusterName, kubernetesVersion/,
    );
    await expectRefused(
      plan('set', 'dns.colour=blue'),
      /Unknown setting "dns\.colour": the settings under dns are dns\.mode, dns\.domain, dns\.nodeLocalDns/,
    );
    await expectRefused(plan('set', 'nodePrefix=big'), /Setting "nodePrefix" refused \("big"\): .*expected number/);
    await expectRefused(plan('set', 'networkPlugin=weave'), /Setting "networkPlugin" refused \("weave"\): .*calico/);
    await expectRefused(
      plan('set', 'apiLoadBalancing.mode=external'),
      /Setting "apiLoadBalancing\.address" is needed with this choice: add apiLoadBalancing\.address=VALUE/,
    );
    await expectRefused(plan('set', 'nodePrefix'), /"nodePrefix" is not KEY=VALUE/);
    // Both are refused together: the valid first assignment is not saved without the second.
    await expectRefused(plan('set', 'networkPlugin=cilium', 'dns.mode=bogus'), /Setting "dns\.mode" refused/);
  });

  it('shows, validates and exports the plan; the UI opens the same document', async () => {
    const shown = await plan('show', '--json');
    expect(JSON.parse(shown.stdout)).toEqual(await uiProject('dc1'));
    expect((await plan('show')).stdout).toMatch(
      /Deploy node: node1[\s\S]*node3\t10\.0\.0\.13\tcontrol-plane,etcd,worker[\s\S]*apiLoadBalancing\.mode=kube-vip/,
    );

    const validated = await plan('validate', '--json');
    expect(validated.code).toBe(0);
    expect(JSON.parse(validated.stdout)).toMatchObject({ errors: 0 });
    const uiFindings = await core()('inventory.validate', { id: (await uiProject('dc1')).id });
    expect(JSON.parse(validated.stdout).findings).toEqual(uiFindings.findings);

    const out = join(root, 'inventory');
    const exported = await airspray('inventory', 'export', '--project', 'dc1', '--out', out);
    expect(exported.stderr).toBe('');
    expect((await readdir(out)).sort()).toEqual(['group_vars', 'hosts.yaml', 'inventory.ini']);
    expect(await readFile(join(out, 'inventory.ini'), 'utf8')).toContain('[kube_control_plane]\nnode1\nnode2\nnode3\n');
  });

  it('refuses a CLI write made after a concurrent save through the API, keeping that save', async () => {
    const seen = (JSON.parse((await plan('show', '--json')).stdout) as { revision: number }).revision;
    const call = core();
    const current = await uiProject('dc1');
    const saved = await call('projects.savePlan', {
      id: current.id,
      revision: seen,
      hosts: current.cluster.hosts,
      deployNode: 'node2',
      settings: current.cluster.settings,
    });
    expect(saved.revision).toBe(seen + 1);

    await expectRefused(
      plan('deploy-node', 'node3', '--revision', String(seen)),
      new RegExp(
        `Project "dc1" was saved elsewhere \\(revision ${seen + 1}, you had ${seen}\\): reopen it and repeat the change`,
      ),
    );
    expect((await uiProject('dc1')).cluster.deployNode).toBe('node2');
    expect((await plan('deploy-node', 'node3', '--revision', String(seen + 1))).code).toBe(0);
    expect((await uiProject('dc1')).cluster.deployNode).toBe('node3');
  });

  it('renames and deletes a project, refusing a delete without --yes', async () => {
    expect((await airspray('project', 'rename', 'dc1', 'dc2')).code).toBe(0);
    expect(await uiProject('dc2')).toMatchObject({
      name: 'dc2',
      cluster: { settings: { clusterName: 'dc2' }, deployNode: 'node3' },
    });
    expect((await airspray('project', 'show', 'dc1')).stderr).toMatch(
      /No project named "dc1" in this data folder \(projects: dc2\)/,
    );

    await expectRefused(airspray('project', 'delete', 'dc2'), /add --yes to confirm/, 'dc2');
    expect((await airspray('project', 'delete', 'dc2', '--yes')).code).toBe(0);
    expect(await core()('projects.list', {})).toEqual([]);
  });
});

describe('airspray completion', { timeout: 60_000 }, () => {
  /** What bash offers after the words typed so far, through the printed script and bash's own completion machinery. */
  async function complete(shell: 'bash', ...words: string[]): Promise<string[]> {
    const script = (await cli('completion', shell)).stdout;
    const program = `${script}\nCOMP_WORDS=(airspray ${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length}; _airspray; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return (await exec('bash', ['-c', program])).stdout.split('\n').filter(Boolean).sort();
  }

  it('completes commands, plan subcommands and their options from the program itself', async () => {
    expect(await complete('bash', 'pl')).toEqual(['plan']);
    expect(await complete('bash', 'plan', '')).toEqual(
      expect.arrayContaining(['bundle', 'deploy-node', 'hosts', 'roles', 'set', 'show', 'validate']),
    );
    expect(await complete('bash', 'plan', 'hosts', '')).toEqual(expect.arrayContaining(['add', 'remove']));
    expect(await complete('bash', 'plan', 'roles', 'node1', '--no-')).toEqual([
      '--no-calico-rr',
      '--no-control-plane',
      '--no-etcd',
      '--no-worker',
    ]);
    expect(await complete('bash', 'project', '--data-dir', '/tmp', '')).toEqual(
      expect.arrayContaining(['create', 'delete', 'list', 'rename', 'show']),
    );
  });

  it('prints a zsh script that loads the same completion and refuses other shells', async () => {
    expect((await cli('completion', 'zsh')).stdout).toMatch(
      /bashcompinit[\s\S]*complete -o default -F _airspray airspray/,
    );
    const fish = await cli('completion', 'fish');
    expect(fish.code).not.toBe(0);
    expect(fish.stderr).toMatch(/the shell is one of bash, zsh/);
  });
});
