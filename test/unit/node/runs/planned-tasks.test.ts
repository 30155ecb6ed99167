import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { AnsibleOutputParser } from '../../../../electron/node/runs/ansible-output-parser';
import { countListedTasks } from '../../../../electron/node/runs/ansible-runtime';

// Debian's ansible-core on this machine; every host is 127.0.0.1 with connection local, and the tasks only set facts.
const ansiblePlaybook = '/usr/bin/ansible-playbook';
const run = promisify(execFile);
let dir: string;

const inventory = {
  all: {
    hosts: { node1: {}, node2: {}, node3: {} },
    vars: { ansible_connection: 'local', ansible_host: '127.0.0.1', ansible_python_interpreter: '/usr/bin/python3' },
    children: { kube_control_plane: { hosts: { node1: {} } }, kube_node: { hosts: { node2: {}, node3: {} } } },
  },
};
const fact = (name: string, tags?: string[]) => ({
  name,
  'ansible.builtin.set_fact': { marker: name },
  ...(tags ? { tags } : {}),
});
const playbook = [
  {
    name: 'Prepare every node',
    hosts: 'all',
    gather_facts: false,
    tasks: [fact('One'), fact('Two', ['etcd']), { name: 'A block', block: [fact('Three'), fact('Four', ['network'])] }],
  },
  {
    name: 'Control plane',
    hosts: 'kube_control_plane',
    gather_facts: false,
    roles: ['control'],
    tasks: [fact('Five', ['etcd'])],
  },
  { name: 'Workers', hosts: 'kube_node', gather_facts: false, tasks: [fact('Six'), fact('Seven', ['network'])] },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airspray-list-tasks-'));
  await writeFile(join(dir, 'hosts.yaml'), stringify(inventory));
  await writeFile(join(dir, 'site.yml'), stringify(playbook));
  await mkdir(join(dir, 'roles', 'control', 'tasks'), { recursive: true });
  await writeFile(
    join(dir, 'roles', 'control', 'tasks', 'main.yml'),
    stringify([fact('Role one'), fact('Role two', ['etcd'])]),
  );
});

async function ansible(args: string[]): Promise<string> {
  const { stdout } = await run(ansiblePlaybook, ['-i', 'hosts.yaml', 'site.yml', ...args], {
    cwd: dir,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false' },
  });
  return stdout;
}

/** The TASK headers a real run printed, as the run view counts them. */
async function tasksStarted(args: string[]): Promise<number> {
  const parser = new AnsibleOutputParser();
  parser.push(await ansible(args));
  return parser.end().tasksStarted;
}

describe('the progress estimate from ansible-playbook --list-hosts --list-tasks (real ansible-core)', () => {
  it.each([
    ['the whole playbook', []],
    ['--limit to workers', ['--limit', 'kube_node']],
    ['--tags=etcd', ['--tags=etcd']],
    ['--skip-tags=network', ['--skip-tags=network']],
  ])(
    'counts as many tasks as the run then starts: %s',
    async (_label, args) => {
      const listing = await ansible([...args, '--list-hosts', '--list-tasks']);
      const planned = countListedTasks(listing);
      expect(planned).toBeGreaterThan(0);
      expect(planned).toBe(await tasksStarted(args));
    },
    60_000,
  );

  it('counts the tasks of each play, roles and blocks included, and nothing else of the listing', async () => {
    const listing = await ansible(['--list-hosts', '--list-tasks']);
    expect(listing).toContain('play #3 (kube_node): Workers');
    // 4 in the first play (the block's two, not the block), 3 in the second (two of the role, one own), 2 in the last.
    expect(countListedTasks(listing)).toBe(9);
    expect(countListedTasks(await ansible(['--tags=etcd', '--list-hosts', '--list-tasks']))).toBe(3);
    // The control plane play matches no host under this limit: its three tasks will not run.
    expect(countListedTasks(await ansible(['--limit', 'node2', '--list-hosts', '--list-tasks']))).toBe(6);
  }, 60_000);
});
