import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreLogFileName, FileCoreLog } from '../../../electron/node/core-log';

const tempDir = () => mkdtemp(join(tmpdir(), 'airspray-core-log-'));

describe('the core log', () => {
  it('appends one line per failure, saying what was being done and what went wrong', async () => {
    const dir = await tempDir();
    const log = new FileCoreLog(dir);
    log.failed(
      'Saving the push journal /x/push.json',
      Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }),
    );
    log.failed('Reading run r1 of project p', 'not JSON');
    const lines = (await readFile(join(dir, coreLogFileName), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\S+Z Saving the push journal \/x\/push\.json: Error ENOSPC: no space left on device$/,
    );
    expect(lines[1]).toMatch(/ Reading run r1 of project p: not JSON$/);
  });

  it('rotates by size: the current file and one older, neither past the limit', async () => {
    const dir = await tempDir();
    const log = new FileCoreLog(dir, () => [], 2000);
    for (let index = 0; index < 100; index += 1) log.failed(`Step ${index}`, new Error('x'.repeat(50)));
    expect((await readdir(dir)).sort()).toEqual([coreLogFileName, `${coreLogFileName}.1`]);
    const current = await readFile(join(dir, coreLogFileName), 'utf8');
    const older = await readFile(join(dir, `${coreLogFileName}.1`), 'utf8');
    expect(current.length).toBeLessThanOrEqual(2000);
    expect(older.length).toBeLessThanOrEqual(2000);
    expect(current).toMatch(/Step 99: /);
    // The newest lines survive the rotation, in order.
    expect(`${older}${current}`).toMatch(/Step 97: [^\n]*\n[^\n]*Step 98: [^\n]*\n[^\n]*Step 99: /);
  });

  it('never holds a secret the core holds, nor a private key, wherever the error put them', async () => {
    const dir = await tempDir();
    const marker = 'MARKER-SUDO-5e3c1a';
    const log = new FileCoreLog(dir, () => [marker]);
    const pem =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----';
    log.failed(`Running sudo -S with ${marker}`, new Error(`sudo said ${marker} was wrong; key was ${pem}`));
    // A long message cut to length must not leave a piece of the secret at the cut.
    log.failed('Long', new Error(`${'y'.repeat(975)}${marker}`));
    const text = await readFile(join(dir, coreLogFileName), 'utf8');
    expect(text).not.toContain(marker);
    expect(text).not.toContain('MARKER-SUDO');
    expect(text).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ');
    expect(text).toContain('[secret removed]');
    expect(text).toContain('[key removed]');
  });
});
