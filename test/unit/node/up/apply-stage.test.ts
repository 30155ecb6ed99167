import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyStage } from '../../../../electron/node/up/prepare-stages';
import { UpSession } from '../../../../electron/node/up/up-session';
import { projectKnownHostsFile } from '../../../../electron/node/ssh/host-key-store';

const plan = (roles: string) =>
  [
    'planFileVersion: 1',
    'project: dc1',
    'login: { user: ops, passwordEnv: PW }',
    'hosts:',
    '  - { name: node1, address: 10.0.0.11 }',
    `roles: ${roles}`,
    '',
  ].join('\n');

async function sessionFor(text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'airspray-up-apply-'));
  await writeFile(join(dir, 'plan.yaml'), text);
  const session = new UpSession({
    planFile: join(dir, 'plan.yaml'),
    dataDir: join(dir, 'data'),
    bundleLocations: [],
    env: {},
    version: 'test',
    acceptNew: false,
    despiteChecks: false,
    run: { playbook: 'cluster.yml' },
    deployKeyPassphrase: () => 'not used here',
    note: () => undefined,
  });
  return { session, dir };
}

describe('the apply stage', () => {
  it("applies a new project's file once and refuses a plan with errors as input; the next up finds it applied and refuses it again", async () => {
    const { session } = await sessionFor(plan('{ controlPlane: [node1], etcd: [node1], worker: [node1] }'));
    const stage = applyStage(session);
    expect(await stage.done()).toBeNull();
    await expect(stage.run(new AbortController().signal)).rejects.toThrow(/the plan has \d+ error\(s\)/);
    // Saved all the same, as `airspray apply` saves a plan mid-edit: the next up finds it applied, and still refuses
    // it.
    expect((await session.project()).cluster.hosts.map((host) => host.name)).toEqual(['node1']);
    const again = applyStage(session);
    await expect(again.done()).rejects.toThrow(/the plan has \d+ error\(s\)/);
    expect(again.input).toBe(true);
  });

  it('refuses a file with a problem as input, naming the line and field', async () => {
    const { session } = await sessionFor(plan('{ controlPlane: [node9] }'));
    const stage = applyStage(session);
    expect(stage.input).toBe(true);
    await expect(stage.done()).rejects.toThrow(
      /plan\.yaml:\d+:\d+: roles\.controlPlane\[0\]: "node9" is not a host in this file/,
    );
  });

  it('with --accept-new keeps the keys recorded for hosts the file does not pin; without it they are a change to apply', async () => {
    const roles = '{ controlPlane: [node1], etcd: [node1], worker: [node1] }';
    const { session, dir } = await sessionFor(plan(roles));
    const first = applyStage(session);
    expect(await first.done()).toBeNull();
    await expect(first.run(new AbortController().signal)).rejects.toThrow(/the plan has/);
    const project = await session.project();
    // As logging in with --accept-new records it.
    await writeFile(
      projectKnownHostsFile(join(dir, 'data'), project.id),
      '10.0.0.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\n',
    );
    // Without --accept-new the file is the whole truth: forgetting the key is a change.
    expect(await applyStage(session).done()).toBeNull();
    // With it nothing changes, so the stage goes on to judge the plan itself (which has errors here: no bundle).
    const kept = applyStage(new UpSession({ ...session.options, acceptNew: true }));
    await expect(kept.done()).rejects.toThrow(/the plan has \d+ error\(s\)/);
  });
});
