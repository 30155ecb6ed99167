import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');

export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  stop(): Promise<void>;
  /** Kills the server with SIGKILL, as a crash or a closed laptop lid would end it. */
  crash(): Promise<void>;
  /** Everything the server printed so far, stdout and stderr: its log. */
  output(): string;
}

/** Starts the built `airspray serve` exactly as a user would (bin/airspray.cjs) and waits for its URL. */
export function startServe(args: string[]): Promise<ServeProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'bin', 'airspray.cjs'), 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stopWith = (signal: NodeJS.Signals) =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill(signal);
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`airspray serve printed no URL: ${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=(\S+))/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const url = match[1]!;
      resolve({
        url,
        origin: new URL(url).origin,
        token: match[2]!,
        stop: () => stopWith('SIGTERM'),
        crash: () => stopWith('SIGKILL'),
        output: () => output,
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`airspray serve exited with ${code}: ${output}`)));
  });
}
