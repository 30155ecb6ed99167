import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  clockCommand,
  factsProbeScript,
  kubesprayModules,
  parseDropRules,
  parseFactsOutput,
  parsePeerOutput,
  peerProbe,
} from '../../../../electron/node/access/facts-probe';

/** Runs a command in this machine's sh with stdin, as the probe runs on a host over SSH. */
function runLocally(command: string, stdin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('sh', ['-c', command], (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin?.end(stdin);
  });
}

/** Listens with a backlog of none and never accepts; prints its port. */
const fullListener = [
  'import socket, sys, time',
  'server = socket.socket()',
  "server.bind(('127.0.0.1', 0))",
  'server.listen(0)',
  'print(server.getsockname()[1], flush=True)',
  'time.sleep(60)',
].join('\n');

const listen = (): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer((socket) => socket.destroy()).listen(0, '127.0.0.1', () => resolve(server));
  });

describe('the facts probe', () => {
  it('reports every module kubespray loads, the sysctls it sets and the /proc/sys mounts', async () => {
    const output = await runLocally('sh -s', factsProbeScript);
    // The clock is read by its own short command, so the probe's run time never counts as clock offset.
    expect(output).not.toContain('now=');
    expect(await runLocally(clockCommand, '')).toMatch(/^now=\d{19}\n$/);
    const facts = parseFactsOutput(output, { sentAtMs: Date.now(), receivedAtMs: Date.now() }, 'works');
    expect(Object.keys(facts.kernelModules ?? {}).sort()).toEqual(Object.keys(kubesprayModules).sort());
    expect(
      Object.values(facts.kernelModules ?? {}).every((state) => ['loaded', 'available', 'missing'].includes(state)),
    ).toBe(true);
    expect(facts.sysctls?.['net.ipv4.ip_forward']).toMatch(/^[01]$/);
    // A module built into the kernel (br_netfilter here, when its bridge sysctls exist) counts as loaded.
    if (existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables'))
      expect(facts.kernelModules?.br_netfilter).toBe('loaded');
  });

  it('parses modules, sysctls and read-only /proc/sys mounts', () => {
    const output = [
      'module=br_netfilter available',
      'module=ip_vs missing',
      'sysctl=net.ipv4.ip_forward 0',
      'procsys=/proc/sys ro,nosuid',
      'procsys=/proc/sys/net rw,nosuid',
      'end=1',
    ].join('\n');
    const facts = parseFactsOutput(output, { sentAtMs: 0, receivedAtMs: 0 }, 'works');
    expect(facts.kernelModules).toEqual({ br_netfilter: 'available', ip_vs: 'missing' });
    expect(facts.sysctls).toEqual({ 'net.ipv4.ip_forward': '0' });
    expect(facts.procSysMounts).toEqual([
      { path: '/proc/sys', writable: false },
      { path: '/proc/sys/net', writable: true },
    ]);
  });
});

describe('the peer probe', () => {
  it('tells an open port from a refused one and resolves names', async () => {
    const server = await listen();
    const open = (server.address() as { port: number }).port;
    const closed = await listen();
    const refusedPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    try {
      const { command, stdin } = peerProbe(
        [{ address: '127.0.0.1', name: 'localhost' }],
        [open, refusedPort].map((port) => ({ address: '127.0.0.1', port })),
      );
      const view = parsePeerOutput(await runLocally(command, stdin));
      expect(view.names).toEqual([{ name: 'localhost', address: '127.0.0.1' }]);
      expect(view.ports.sort((a, b) => a.port - b.port)).toEqual(
        [
          { address: '127.0.0.1', port: open, result: 'open' },
          { address: '127.0.0.1', port: refusedPort, result: 'refused' },
        ].sort((a, b) => a.port - b.port),
      );
    } finally {
      server.close();
    }
  });

  it('calls a port that never answers filtered after 2 s and leaves no connect behind', async () => {
    // A listener whose one-place accept queue is full: Linux drops further SYNs, as a firewall's drop rule does.
    const full = spawn('python3', ['-c', fullListener], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = Number((await once(full.stdout, 'data'))[0].toString());
    // The first connect fills the queue (wait for it); the second's SYN is already dropped.
    const queued = [connect(port, '127.0.0.1')];
    await once(queued[0]!, 'connect');
    queued.push(connect(port, '127.0.0.1'));
    try {
      const { command, stdin } = peerProbe([], [{ address: '127.0.0.1', port }]);
      // Its own session, so every process it started can be looked for afterwards.
      const probe = spawn('sh', ['-c', command], { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
      probe.stdin.end(stdin);
      const output = (await probe.stdout.toArray()).join('');
      expect(parsePeerOutput(output).ports).toEqual([{ address: '127.0.0.1', port, result: 'filtered' }]);
      // Ended processes not yet reaped (state Z) have nothing left to do; anything else would still be connecting.
      const left = await new Promise<string>((resolve) =>
        execFile('ps', ['-o', 'stat=,args=', '-s', String(probe.pid)], (_error, stdout) => resolve(stdout)),
      );
      expect(left.split('\n').filter((line) => line.trim() && !line.trim().startsWith('Z'))).toEqual([]);
    } finally {
      queued.forEach((socket) => socket.destroy());
      full.kill();
    }
  });

  it('says it tried no port on a host without python3', async () => {
    const { command, stdin } = peerProbe([], [{ address: '127.0.0.1', port: 9 }]);
    const onlySh = await mkdtemp(join(tmpdir(), 'airspray-nopython-'));
    await symlink('/bin/sh', join(onlySh, 'sh'));
    const output = await new Promise<string>((resolve, reject) => {
      const child = execFile('/bin/sh', ['-c', command], { env: { PATH: onlySh } }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
      child.stdin?.end(stdin);
    });
    await rm(onlySh, { recursive: true });
    expect(parsePeerOutput(output)).toEqual({ names: [], ports: [], untried: true });
  });

  it('refuses output cut short and keeps only known results', () => {
    expect(() => parsePeerOutput('port=10.0.0.1 6443 open\n')).toThrow(/before its end/);
    expect(parsePeerOutput('port=10.0.0.1 6443 filtered\nport=10.0.0.1 2379 bogus\nname=node2\nend=1\n')).toEqual({
      names: [{ name: 'node2' }],
      ports: [{ address: '10.0.0.1', port: 6443, result: 'filtered' }],
    });
  });
});

describe('drop rules', () => {
  it('keeps nft and iptables rules that drop or reject, not comments or accepts', () => {
    const ruleset = [
      'table inet filter {',
      '  chain input {',
      '    type filter hook input priority filter; policy accept;',
      '    tcp dport 6443 drop',
      '    # drop nothing else',
      '  }',
      '}',
      ':INPUT DROP [0:0]',
      '-A INPUT -p tcp --dport 2379 -j REJECT --reject-with icmp-port-unreachable',
    ].join('\n');
    expect(parseDropRules(ruleset)).toEqual([
      'tcp dport 6443 drop',
      ':INPUT DROP [0:0]',
      '-A INPUT -p tcp --dport 2379 -j REJECT --reject-with icmp-port-unreachable',
    ]);
  });
});
