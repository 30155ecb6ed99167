import { describe, expect, it } from 'vitest';
import { AirsprayError } from '../../../../electron/common/errors';
import { runUpStages, UpInputError, upExitCodes, type UpStage } from '../../../../electron/node/up/up-stages';

/** A deploy in miniature: each stage is done once its name is in `state`, and its work puts it there. */
function world(
  names: string[],
  hooks: { failIn?: string; failWith?: Error; interruptIn?: string; controller?: AbortController } = {},
) {
  const state = new Set<string>();
  const ran: string[] = [];
  const stages: UpStage[] = names.map((name) => ({
    name,
    input: name === 'apply',
    done: async () => (state.has(name) ? `${name} is there` : null),
    run: async () => {
      ran.push(name);
      if (hooks.failIn === name) throw hooks.failWith ?? new Error(`${name} broke`);
      if (hooks.interruptIn === name) {
        hooks.controller!.abort();
        throw new Error('The push was cancelled');
      }
      state.add(name);
      return `${name} made`;
    },
  }));
  return { state, ran, stages };
}

const names = ['apply', 'host keys', 'push', 'cluster.yml'];

async function up(stages: UpStage[], controller = new AbortController()) {
  const lines: string[] = [];
  const outcome = await runUpStages(stages, controller.signal, (line) => lines.push(line));
  return { outcome, lines };
}

describe('airspray up stages', () => {
  it.each<[string, string[]]>([
    ['runs every stage in order, one line each, and exits 0', []],
    ['skips the stages whose state says done, and runs only the rest', ['apply', 'push']],
  ])('%s', async (_case, done) => {
    const { stages, ran, state } = world(names);
    for (const name of done) state.add(name);
    const { outcome, lines } = await up(stages);
    expect(outcome).toEqual({ exitCode: upExitCodes.done });
    expect(ran).toEqual(names.filter((name) => !done.includes(name)));
    expect(lines).toEqual(
      names.map((name) => (done.includes(name) ? `${name}: skip (${name} is there)` : `${name}: done (${name} made)`)),
    );
  });

  it('stops at a failed stage, names it with the reason and exits 1; the stages after it are not touched', async () => {
    const { stages, ran } = world(names, { failIn: 'push' });
    const { outcome, lines } = await up(stages);
    expect(outcome).toEqual({ exitCode: 1, stage: 'push' });
    expect(ran).toEqual(['apply', 'host keys', 'push']);
    expect(lines.at(-1)).toBe('push: failed: push broke');
  });

  it('exits 2 when the input is refused: the apply stage, or a missing secret in any stage', async () => {
    expect((await up(world(names, { failIn: 'apply' }).stages)).outcome).toEqual({ exitCode: 2, stage: 'apply' });
    const missingSecret = world(names, {
      failIn: 'push',
      failWith: new UpInputError('login.passwordEnv names PW, which is not set'),
    });
    const { outcome, lines } = await up(missingSecret.stages);
    expect(outcome).toEqual({ exitCode: 2, stage: 'push' });
    expect(lines.at(-1)).toBe('push: failed: login.passwordEnv names PW, which is not set');
  });

  it("counts a refusal of the operator's settings as input (2), and the state of the world refusing as a failure (1)", async () => {
    const wrongPassphrase = world(names, {
      failIn: 'push',
      failWith: new AirsprayError('invalid_params', 'The deploy key passphrase is wrong.', 'keyPassphrase'),
    });
    expect((await up(wrongPassphrase.stages)).outcome).toEqual({ exitCode: 2, stage: 'push' });
    const busy = world(names, {
      failIn: 'push',
      failWith: new AirsprayError('conflict', 'The deploy node has no space left.'),
    });
    expect((await up(busy.stages)).outcome).toEqual({ exitCode: 1, stage: 'push' });
  });

  it('a done-test that fails is the stage failing', async () => {
    const { stages } = world(names);
    stages[1]!.done = () => Promise.reject(new Error('no route to host'));
    const { outcome, lines } = await up(stages);
    expect(outcome).toEqual({ exitCode: 1, stage: 'host keys' });
    expect(lines.at(-1)).toBe('host keys: failed: no route to host');
  });

  it('exits 130 when interrupted mid-stage, and the next up resumes at that stage', async () => {
    const controller = new AbortController();
    const first = world(names, { interruptIn: 'push', controller });
    const interrupted = await up(first.stages, controller);
    expect(interrupted.outcome).toEqual({ exitCode: 130, stage: 'push' });
    expect(interrupted.lines.at(-1)).toBe('push: interrupted; airspray up again resumes here');

    // The same world (its state as the interrupted up left it), a fresh up.
    const again = world(names);
    for (const name of first.state) again.state.add(name);
    const resumed = await up(again.stages);
    expect(resumed.outcome).toEqual({ exitCode: 0 });
    expect(again.ran).toEqual(['push', 'cluster.yml']);
    expect(resumed.lines.slice(0, 2)).toEqual(['apply: skip (apply is there)', 'host keys: skip (host keys is there)']);
  });

  it('an interrupt between stages starts no further stage', async () => {
    const controller = new AbortController();
    const { stages, ran } = world(names);
    stages[0]!.run = async () => {
      controller.abort();
      return 'applied';
    };
    const { outcome } = await up(stages, controller);
    expect(outcome).toEqual({ exitCode: 130, stage: 'host keys' });
    expect(ran).toEqual([]);
  });
});
