import { describe, expect, it } from 'vitest';
import type { AirsprayError } from '../../../../electron/common/errors';
import { parsePlanFile } from '../../../../electron/node/plan-file/parse-plan-file';

const ed25519Key = 'AAAAC3NzaC1lZDI1NTE5AAAAIPopTVLCoXymaK8tEAlCAtyq3wCCYzIeoSNzUpWtgwvj';

/** A valid plan file; the comments are its line numbers, which the refusals below name. */
const lines = [
  'planFileVersion: 1', //         1
  'project: lab', //               2
  'deployNode: node1', //          3
  'login:', //                     4
  '  user: ops', //                5
  '  keyFile: ~/.ssh/id_ed25519', // 6
  'hosts:', //                     7
  '  - name: node1', //            8
  '    address: 10.0.0.11', //     9
  '  - name: node2', //            10
  '    address: 10.0.0.12', //     11
  'roles:', //                     12
  '  controlPlane: [node1]', //    13
  '  etcd: [node1]', //            14
  '  worker: [node1, node2]', //   15
  'settings:', //                  16
  '  networkPlugin: cilium', //    17
  '  nodePrefix: 24', //           18
  'hostKeys:', //                  19
  '  - host: 10.0.0.11', //        20
  '    type: ssh-ed25519', //      21
  `    key: ${ed25519Key}`, //     22
];

/** The plan file with line `line` (1-based) replaced by `replacement` (several lines, or none). */
const withLine = (line: number, ...replacement: string[]) =>
  [...lines.slice(0, line - 1), ...replacement, ...lines.slice(line)].join('\n');

/** The problems a refused file lists, one a line (checked to be the plan file's refusal, by id). */
function refusal(text: string): string {
  try {
    parsePlanFile(text, 'plans/lab.plan.yaml');
  } catch (error) {
    const { i18n } = error as AirsprayError;
    expect(i18n).toMatchObject({ id: 'planFile.refused', params: { file: 'plans/lab.plan.yaml' } });
    return String(i18n?.params.problems);
  }
  throw new Error('the plan file was accepted');
}

describe('parsePlanFile', () => {
  it('reads a valid file and fills what it leaves out: empty roles, default-less settings stay partial', () => {
    const { plan } = parsePlanFile(lines.join('\n'), 'lab.plan.yaml');
    expect(plan.hosts).toEqual([
      { name: 'node1', address: '10.0.0.11' },
      { name: 'node2', address: '10.0.0.12' },
    ]);
    expect(plan.roles).toEqual({ controlPlane: ['node1'], etcd: ['node1'], worker: ['node1', 'node2'], calicoRr: [] });
    expect(plan.settings).toEqual({ networkPlugin: 'cilium', nodePrefix: 24 });
    expect(plan.login).toEqual({ user: 'ops', keyFile: '~/.ssh/id_ed25519' });
    expect(plan.hostKeys).toEqual([{ host: '10.0.0.11', type: 'ssh-ed25519', key: ed25519Key }]);
  });

  it('names where a field is, for refusals found after parsing', () => {
    expect(parsePlanFile(lines.join('\n'), 'lab.plan.yaml').where(['hosts', 1, 'address'])).toBe(
      'lab.plan.yaml:11:5: hosts[1].address',
    );
  });

  it.each([
    [
      'an unknown key',
      withLine(11, '    adress: 10.0.0.12'),
      'plans/lab.plan.yaml:11:5: hosts[1].adress: unknown key "adress"',
    ],
    [
      'a missing required field, at its parent',
      withLine(11),
      'plans/lab.plan.yaml:10:5: hosts[1].address: required field "address" is missing',
    ],
    [
      'a wrong type',
      withLine(18, '  nodePrefix: "24"'),
      'plans/lab.plan.yaml:18:3: settings.nodePrefix: Invalid input: expected number, received string',
    ],
    [
      'a value out of its set',
      withLine(17, '  networkPlugin: weave'),
      'plans/lab.plan.yaml:17:3: settings.networkPlugin: ',
    ],
    [
      'a host given twice',
      withLine(10, '  - name: node1'),
      'plans/lab.plan.yaml:10:5: hosts[1].name: Host "node1" is listed twice (first as hosts[0])',
    ],
    [
      'an address given twice',
      withLine(11, '    address: 10.0.0.11'),
      'plans/lab.plan.yaml:11:5: hosts[1].address: Address 10.0.0.11 is given twice',
    ],
    [
      'a role on a host not in the file',
      withLine(15, '  worker: [node1, node3]'),
      'plans/lab.plan.yaml:15:19: roles.worker[1]: "node3" is not a host in this file',
    ],
    [
      'a deploy node not in the file',
      withLine(3, 'deployNode: node7'),
      'plans/lab.plan.yaml:3:1: deployNode: Deploy node "node7" is not a host in this file',
    ],
    [
      'a port Airspray does not use',
      withLine(9, '    address: 10.0.0.11', '    port: 2222'),
      'plans/lab.plan.yaml:10:5: hosts[0].port: Airspray reaches every host on SSH port 22',
    ],
    [
      'both a key file and a password variable',
      withLine(6, '  keyFile: ~/.ssh/id_ed25519', '  passwordEnv: SSH_PASSWORD'),
      'plans/lab.plan.yaml:6:3: login.keyFile: Give exactly one of keyFile',
    ],
    [
      'a key of another type than it says',
      withLine(21, '    type: ssh-rsa'),
      'plans/lab.plan.yaml:22:5: hostKeys[0].key: the key is of type "ssh-ed25519", not "ssh-rsa"',
    ],
    [
      'a key given twice in one mapping',
      withLine(2, 'project: lab', 'project: lab2'),
      'plans/lab.plan.yaml:3:1: not valid YAML: Map keys must be unique',
    ],
    ['text that is not YAML', withLine(13, '  controlPlane: [node1'), 'plans/lab.plan.yaml:'],
  ])('refuses %s, naming file, line and field', (_case, text, expected) => {
    expect(refusal(text)).toContain(expected);
  });

  it('refuses a newer plan-file version and says which versions it reads', () => {
    expect(refusal(withLine(1, 'planFileVersion: 2'))).toContain(
      'plans/lab.plan.yaml:1:1: planFileVersion: the file is plan-file version 2, and this Airspray reads version 1: use a newer Airspray',
    );
  });

  it.each([
    ...['password', 'sudoPassword'].map((key) => [
      `a ${key} value`,
      withLine(6, '  keyFile: ~/.ssh/id_ed25519', `  ${key}: hunter2-secret`),
      `plans/lab.plan.yaml:7:3: login.${key}: "${key}" is a secret written inline`,
    ]),
    [
      'a private key block',
      withLine(
        6,
        '  keyFile: |',
        '    -----BEGIN OPENSSH PRIVATE KEY-----',
        '    hunter2-secret',
        '    -----END OPENSSH PRIVATE KEY-----',
      ),
      'plans/lab.plan.yaml:6:3: login.keyFile: a private key is written inline',
    ],
    [
      'a secret among the expert variables',
      withLine(18, '  nodePrefix: 24', '  extraVarsYaml: "ansible_become_password: hunter2-secret"'),
      'plans/lab.plan.yaml:19:3: settings.extraVarsYaml: ',
    ],
  ])('refuses %s written inline, and never repeats it', (_case, text, expected) => {
    const message = refusal(text);
    expect(message).toContain(expected);
    expect(message).not.toContain('hunter2');
  });

  it('accepts the names of environment variables where secrets are', () => {
    const text = withLine(6, '  passwordEnv: AIRSPRAY_SSH_PASSWORD', '  sudoPasswordEnv: AIRSPRAY_SUDO_PASSWORD');
    expect(parsePlanFile(text, 'lab.plan.yaml').plan.login).toEqual({
      user: 'ops',
      passwordEnv: 'AIRSPRAY_SSH_PASSWORD',
      sudoPasswordEnv: 'AIRSPRAY_SUDO_PASSWORD',
    });
  });

  it('lists every problem of the file in line order', () => {
    const text = withLine(18, '  nodePrefix: many')
      .replace('address: 10.0.0.12', 'address: 10.0.0.999')
      .replace('user: ops', 'user: ops\n  shell: bash');
    const problems = refusal(text).split('\n');
    expect(problems.map((line) => /:(\d+):\d+: (\S+):/.exec(line)?.slice(1).join(' '))).toEqual([
      '6 login.shell',
      '12 hosts[1].address',
      '19 settings.nodePrefix',
    ]);
  });

  it('checks names across the file once every field has its type', () => {
    const problems = refusal(
      withLine(3, 'deployNode: node7').replace('worker: [node1, node2]', 'worker: [node9]'),
    ).split('\n');
    expect(problems.map((line) => /:(\d+):\d+: (\S+):/.exec(line)?.slice(1).join(' '))).toEqual([
      '3 deployNode',
      '15 roles.worker[0]',
    ]);
  });

  it('refuses an empty file', () => {
    expect(refusal('# nothing yet\n')).toContain('plans/lab.plan.yaml:1:1: the file is empty');
  });
});
