import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync } from 'node:fs';
import { mkdir, readFile, readdir, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  hostAddress,
  hostName,
  labAccounts,
  labBridge,
  labCidr,
  bootConcurrency,
  laptopAddress,
  maxHosts,
  nonSshAddress,
  resetAddresses,
  sinkAddresses,
  sinkNamespace,
  sweepRangeCidr,
  sweepRangeGateway,
  sweepRangeNonSshAddress,
  sweepRangeResetAddresses,
} from './lab-network';

const run = promisify(execFile);

/** Built once per machine and reused: the Debian root filesystem every host boots from. */
const cacheDir = process.env.AIRSPRAY_LAB_CACHE ?? '/var/cache/airspray-lab';
const rootfsVersion = 'bookworm-v2';
const rootfsDir = join(cacheDir, `rootfs-${rootfsVersion}`);
/** Per-run state: host overlays and PIDs; lives under /run so a reboot clears it with the namespaces. */
const stateDir = process.env.AIRSPRAY_LAB_STATE ?? '/run/airspray-lab';
const stateFile = join(stateDir, 'state.json');

/**
 * What the lab itself needs, and nothing kubespray's preinstall installs (curl, rsync, socat, conntrack, iptables…):
 * those must come from the bundle's apt repository. `ansible` (not only ansible-core) brings the collections
 * kubespray's playbooks use (ansible.utils' ipaddr, community.general), python3-jmespath its json_query.
 */
const rootfsPackages = [
  'openssh-server',
  'python3',
  'python3-apt',
  'python3-cffi-backend',
  'sudo',
  'systemd',
  'systemd-sysv',
  'dbus',
  'iproute2',
  'procps',
  'ansible-core',
  'ansible',
  'python3-jmespath',
];

export interface LabHost {
  index: number;
  name: string;
  address: string;
  /** PID of the systemd-nspawn process; the host's PID 1 is its child. */
  nspawnPid?: number;
}

interface LabState {
  hosts: LabHost[];
  bannerServicePid?: number;
}

export interface LabStatus {
  up: boolean;
  cidr: string;
  laptopAddress: string;
  hosts: (LabHost & { running: boolean })[];
}

async function sh(command: string, args: string[], options: { input?: string } = {}): Promise<string> {
  if (options.input !== undefined) {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')}: ${err.trim()}`)),
      );
      child.stdin.end(options.input);
    });
  }
  const { stdout } = await run(command, args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

const shQuiet = (command: string, args: string[]) =>
  sh(command, args).then(
    () => true,
    () => false,
  );

/** debootstrap takes its mirror from this machine's own apt sources. */
async function aptMirror(): Promise<string> {
  const candidates: string[] = [];
  const sourcesDir = '/etc/apt/sources.list.d';
  for (const name of existsSync(sourcesDir) ? await readdir(sourcesDir) : []) {
    const text = await readFile(join(sourcesDir, name), 'utf8');
    for (const match of text.matchAll(/^URIs:\s*(\S+)/gm)) candidates.push(match[1]!);
  }
  if (existsSync('/etc/apt/sources.list')) {
    const text = await readFile('/etc/apt/sources.list', 'utf8');
    for (const match of text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+\s+main/gm)) candidates.push(match[1]!);
  }
  const mirror = candidates.find((uri) => !uri.includes('security'));
  if (!mirror) throw new Error('No Debian mirror in /etc/apt/sources*: the lab cannot build its root filesystem.');
  return mirror;
}

/** Builds the shared root filesystem once (a few minutes), atomically: a half-built one is never used. */
export async function ensureRootfs(log: (line: string) => void = () => undefined): Promise<string> {
  if (existsSync(join(rootfsDir, '.airspray-lab-complete'))) return rootfsDir;
  const building = `${rootfsDir}.building`;
  await rm(building, { recursive: true, force: true });
  await mkdir(join(cacheDir, 'debs'), { recursive: true });
  log(`building the lab root filesystem in ${rootfsDir} (debootstrap, a few minutes)`);
  await sh('debootstrap', [
    '--variant=minbase',
    `--cache-dir=${join(cacheDir, 'debs')}`,
    `--include=${rootfsPackages.join(',')}`,
    'bookworm',
    building,
    await aptMirror(),
  ]);
  await customizeRootfs(building);
  await writeFile(join(building, '.airspray-lab-complete'), `${new Date().toISOString()}\n`);
  await rename(building, rootfsDir);
  return rootfsDir;
}

async function customizeRootfs(root: string): Promise<void> {
  const inRoot = (args: string[], input?: string) =>
    sh('chroot', [root, ...args], input === undefined ? {} : { input });
  await inRoot(['useradd', '--create-home', '--shell', '/bin/bash', '--groups', 'sudo', labAccounts.ops.user]);
  await inRoot(['useradd', '--create-home', '--shell', '/bin/bash', labAccounts.noSudo.user]);
  await inRoot(
    ['chpasswd'],
    `${labAccounts.ops.user}:${labAccounts.ops.password}\n${labAccounts.noSudo.user}:${labAccounts.noSudo.password}\n`,
  );
  await writeFile(
    join(root, 'etc/ssh/sshd_config.d/lab.conf'),
    'PermitRootLogin no\nPasswordAuthentication yes\nKbdInteractiveAuthentication yes\nUseDNS no\n',
  );
  // Each host gets its own keys and machine-id when it is created.
  for (const name of await readdir(join(root, 'etc/ssh'))) {
    if (name.startsWith('ssh_host_')) await rm(join(root, 'etc/ssh', name));
  }
  await writeFile(join(root, 'etc/machine-id'), '');
  const wants = join(root, 'etc/systemd/system/multi-user.target.wants');
  await mkdir(wants, { recursive: true });
  await sh('ln', ['-sf', '/lib/systemd/system/systemd-networkd.service', join(wants, 'systemd-networkd.service')]);
  await sh('ln', ['-sf', '/lib/systemd/system/ssh.service', join(wants, 'ssh.service')]);
  await rm(join(root, 'var/cache/apt/archives'), { recursive: true, force: true });
}

async function readState(): Promise<LabState> {
  try {
    return JSON.parse(await readFile(stateFile, 'utf8')) as LabState;
  } catch {
    return { hosts: [] };
  }
}

async function writeState(state: LabState): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFile(`${stateFile}.tmp`, JSON.stringify(state, null, 2));
  await rename(`${stateFile}.tmp`, stateFile);
}

const isAlive = (pid: number | undefined) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const linkExists = (name: string, namespace?: string) =>
  shQuiet('ip', [...(namespace ? ['-n', namespace] : []), 'link', 'show', name]);

/**
 * While the lab is down its subnet must not fall through to the default route: a low-priority black-hole route
 * stays in place for good, and the bridge's own route wins over it while the lab is up.
 */
export async function ensureSubnetBlackhole(): Promise<void> {
  for (const cidr of [labCidr, sweepRangeCidr])
    await sh('ip', ['route', 'replace', 'blackhole', cidr, 'metric', '4000']);
}

/** The isolated bridge: the laptop's address, no NAT, no forwarding, nothing leaves it. */
async function ensureBridge(): Promise<void> {
  await ensureSubnetBlackhole();
  if (!(await linkExists(labBridge))) {
    await sh('ip', ['link', 'add', labBridge, 'type', 'bridge']);
    await sh('ip', ['addr', 'add', `${laptopAddress}/24`, 'dev', labBridge]);
  }
  await sh('ip', ['link', 'set', labBridge, 'up']);
  await writeFile('/proc/sys/net/ipv4/ip_forward', '0');
}

/** One namespace owns every other address of the subnet and drops what it gets, except the special addresses. */
async function ensureSink(hostCount: number, state: LabState): Promise<void> {
  const vethOutside = 'aslab-sink0';
  if (!(await shQuiet('ip', ['netns', 'exec', sinkNamespace, 'true']))) await sh('ip', ['netns', 'add', sinkNamespace]);
  if (!(await linkExists(vethOutside))) {
    await sh('ip', ['link', 'add', vethOutside, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', sinkNamespace]);
    await sh('ip', ['link', 'set', vethOutside, 'master', labBridge, 'up']);
  }
  const inSink = (args: string[]) => sh('ip', ['-n', sinkNamespace, ...args]);
  await inSink(['link', 'set', 'lo', 'up']);
  await inSink(['link', 'set', 'eth0', 'up']);
  await inSink(['addr', 'flush', 'dev', 'eth0']);
  const batch = sinkAddresses(hostCount)
    .map((address) => `addr add ${address}/24 dev eth0`)
    .join('\n');
  await sh('ip', ['-n', sinkNamespace, '-batch', '-'], { input: `${batch}\n` });
  await routeSweepRangeIntoSink();
  const accepted = [nonSshAddress, ...resetAddresses, sweepRangeNonSshAddress, ...sweepRangeResetAddresses].join(', ');
  await sh('ip', ['netns', 'exec', sinkNamespace, 'nft', '-f', '-'], {
    input: `flush ruleset\ntable inet sink {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    ip daddr { ${accepted} } accept\n    iif lo accept\n  }\n}\n`,
  });
  if (!isAlive(state.bannerServicePid)) state.bannerServicePid = startBannerService();
}

/**
 * The sink owns the whole sweep range (a local route: every address of it is the sink's) and only drops: its
 * forwarding stays off, so nothing sent to the range goes anywhere else.
 */
async function routeSweepRangeIntoSink(): Promise<void> {
  await sh('ip', ['netns', 'exec', sinkNamespace, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=0']);
  await sh('ip', ['-n', sinkNamespace, 'route', 'replace', 'local', sweepRangeCidr, 'dev', 'lo']);
  await sh('ip', ['route', 'replace', sweepRangeCidr, 'via', sweepRangeGateway, 'dev', labBridge]);
}

/** A non-SSH service on port 22, as a misconfigured or foreign device on a real LAN would have. */
function startBannerService(): number {
  const script = [
    'import socket, threading',
    'def serve(address):',
    '    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)',
    '    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    '    s.bind((address, 22))',
    '    s.listen(64)',
    '    while True:',
    '        c, _ = s.accept()',
    '        try:',
    '            c.sendall(b"220 lab-mail ESMTP Postfix\\r\\n")',
    '        finally:',
    '            c.close()',
    `for address in ("${nonSshAddress}", "${sweepRangeNonSshAddress}"):`,
    '    threading.Thread(target=serve, args=(address,)).start()',
  ].join('\n');
  const child = spawn('ip', ['netns', 'exec', sinkNamespace, 'python3', '-c', script], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return child.pid!;
}

const hostDir = (name: string) => join(stateDir, 'hosts', name);

/** Gives a new host its own overlay, hostname, machine-id, host keys and static address. */
async function createHost(host: LabHost, rootfs: string): Promise<void> {
  const dir = hostDir(host.name);
  const merged = join(dir, 'merged');
  for (const part of ['upper', 'work', 'merged']) await mkdir(join(dir, part), { recursive: true });
  if (!(await shQuiet('mountpoint', ['-q', merged]))) {
    await sh('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${rootfs},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`,
      merged,
    ]);
  }
  if (existsSync(join(merged, 'etc/ssh/ssh_host_ed25519_key'))) return;
  await writeFile(join(merged, 'etc/hostname'), `${host.name}\n`);
  await writeFile(join(merged, 'etc/hosts'), `127.0.0.1 localhost\n127.0.1.1 ${host.name}\n`);
  await writeFile(join(merged, 'etc/machine-id'), `${randomBytes(16).toString('hex')}\n`);
  await writeFile(
    join(merged, 'etc/systemd/network/10-host0.network'),
    `[Match]\nName=host0\n\n[Network]\nAddress=${host.address}/24\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n\n[Route]\nType=blackhole\nDestination=0.0.0.0/0\n`,
  );
  // In these containers a unit's start can fail at attaching to its new cgroup (219/CGROUP: "No such file or
  // directory"; the kill of systemd-hostnamed's cgroup when idle, EIO): hostnamectl's D-Bus activation then times
  // out after 25 s, and a boot of 100 hosts left a few with /run/nologin for good (systemd-user-sessions failed) or
  // no user manager for ops. These units start again.
  for (const unit of restartedUnits) {
    await mkdir(join(merged, `etc/systemd/system/${unit}.d`), { recursive: true });
    await writeFile(
      join(merged, `etc/systemd/system/${unit}.d/lab.conf`),
      '[Service]\nRestart=on-failure\nRestartSec=1s\n',
    );
  }
  // ops's user manager stays up: otherwise each SSH login starts it again (pam_systemd), which under load outlasted
  // Ansible's 12 s wait for the sudo prompt (sshd then found its pty gone: "ioctl(TIOCSCTTY): Input/output error").
  await mkdir(join(merged, 'var/lib/systemd/linger'), { recursive: true });
  await writeFile(join(merged, 'var/lib/systemd/linger', labAccounts.ops.user), '');
  await generateHostKeys(merged);
}

const restartedUnits = [
  'systemd-hostnamed.service',
  'systemd-sysusers.service',
  'systemd-user-sessions.service',
  'user-runtime-dir@.service',
  'user@.service',
];

async function generateHostKeys(root: string): Promise<void> {
  for (const type of ['ed25519', 'rsa']) {
    const path = join(root, `etc/ssh/ssh_host_${type}_key`);
    await rm(path, { force: true });
    await rm(`${path}.pub`, { force: true });
    await sh('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', path]);
  }
}

async function bootHost(host: LabHost): Promise<number> {
  await mkdir('/run/systemd/nspawn', { recursive: true });
  if (!(await shQuiet('mountpoint', ['-q', '/run/systemd/nspawn'])))
    await sh('mount', ['-t', 'tmpfs', 'tmpfs', '/run/systemd/nspawn']);
  const logFd = openSync(join(hostDir(host.name), 'console.log'), 'a');
  const child = spawn(
    'systemd-nspawn',
    [
      '--boot',
      `--directory=${join(hostDir(host.name), 'merged')}`,
      `--machine=${host.name}`,
      `--hostname=${host.name}`,
      `--network-bridge=${labBridge}`,
      '--keep-unit',
      '--register=no',
      '--console=passive',
    ],
    { detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: '1' } },
  );
  child.unref();
  return child.pid!;
}

/** Resolves once the host's sshd greets on port 22, or fails after `timeoutMs`. */
export async function waitForSsh(address: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const banner = await readBanner(address).catch(() => '');
    if (banner.startsWith('SSH-')) return;
    if (Date.now() > deadline) throw new Error(`lab host ${address} did not start sshd within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * sshd answers before boot ends, but until systemd-user-sessions removes /run/nologin, PAM refuses every login but
 * root's ("System is booting up"): a test starting then would see its first logins refused. The bound catches a hang
 * only: 60 s was passed once at a load under 1 and often while the lab booted 100 hosts.
 */
async function waitForHostReady(host: { name: string; address: string }, timeoutMs = 180_000): Promise<void> {
  await waitForSsh(host.address, timeoutMs).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await bootReport(host.name)}`);
  });
  const deadline = Date.now() + timeoutMs;
  while (
    !(await execOnHost(host.name, 'test ! -e /run/nologin').then(
      () => true,
      () => false,
    ))
  ) {
    if (Date.now() > deadline)
      throw new Error(
        `lab host ${host.name} still refuses logins (/run/nologin) after ${timeoutMs} ms\n${await bootReport(host.name)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Why a boot has not ended, for the error: the jobs systemd still waits on, why units failed, the console's end. */
async function bootReport(name: string): Promise<string> {
  const jobs = await execOnHost(
    name,
    'systemctl list-jobs --no-pager; systemctl --failed --no-pager; journalctl -b --no-pager -p warning | tail -n 40',
  ).catch((error: Error) => `(systemctl: ${error.message})`);
  const console = await readFile(join(hostDir(name), 'console.log'), 'utf8').catch(() => '');
  return `${jobs}\n--- end of ${name}'s console ---\n${console.slice(-3000)}`;
}

function readBanner(address: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port: 22, timeout: 1000 });
    socket.once('data', (data) => {
      resolve(data.toString());
      socket.destroy();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('timeout'));
    });
    socket.once('error', reject);
  });
}

/** Brings the lab to `hostCount` running hosts; safe to call again (it starts only what is missing). */
export async function labUp(hostCount: number, log: (line: string) => void = () => undefined): Promise<LabStatus> {
  if (!Number.isInteger(hostCount) || hostCount < 1 || hostCount > maxHosts) {
    throw new Error(`--hosts takes a whole number from 1 to ${maxHosts}`);
  }
  const rootfs = await ensureRootfs(log);
  const state = await readState();
  await ensureInotifyInstances(hostCount);
  await ensureBridge();
  await ensureSink(Math.max(hostCount, state.hosts.length), state);
  for (let index = 1; index <= hostCount; index += 1) {
    if (!state.hosts.some((candidate) => candidate.index === index))
      state.hosts.push({ index, name: hostName(index), address: hostAddress(index) });
  }
  state.hosts.sort((a, b) => a.index - b.index);
  // Each boot is saved as it starts, so a run stopped half-way still leaves every started host to labDown.
  let saving = writeState(state);
  const save = () => (saving = saving.then(() => writeState(state)));
  await eachBounded(state.hosts, bootConcurrency, async (host) => {
    if (!isAlive(host.nspawnPid)) {
      await createHost(host, rootfs);
      host.nspawnPid = await bootHost(host);
      await save();
      log(`booting ${host.name} at ${host.address}`);
    }
    await waitForHostReady(host);
  });
  await saving;
  return labStatus();
}

/**
 * Every host's systemd, journald, logind and user manager hold inotify instances (8 a host) as root, the same user
 * as the laptop's: the kernel's default of 128 stopped the 27th host of a hundred from starting sshd.
 */
async function ensureInotifyInstances(hostCount: number): Promise<void> {
  const file = '/proc/sys/fs/inotify/max_user_instances';
  const wanted = 128 + 16 * hostCount;
  if (Number(await readFile(file, 'utf8')) < wanted) await writeFile(file, String(wanted));
}

/** Runs `work` on every item, at most `limit` at a time; the first failure is thrown once the others have settled. */
export async function eachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Stops the hosts above `hostCount` (a big test's extra ones), removes them, and gives their addresses to the sink. */
export async function labTrim(hostCount: number): Promise<void> {
  const state = await readState();
  const extra = state.hosts.filter((host) => host.index > hostCount);
  await Promise.all(extra.map((host) => stopHostProcess(host.nspawnPid)));
  for (const host of extra) {
    await removeHostFiles(host.name);
    await shQuiet('ip', ['link', 'del', vethOf(host.name)]);
  }
  state.hosts = state.hosts.filter((host) => host.index <= hostCount);
  await ensureSink(hostCount, state);
  await writeState(state);
}

async function removeHostFiles(name: string): Promise<void> {
  const merged = join(hostDir(name), 'merged');
  if (await shQuiet('mountpoint', ['-q', merged])) await sh('umount', [merged]);
  await rm(hostDir(name), { recursive: true, force: true });
}

export interface HostCost {
  name: string;
  processes: number;
  /** Proportional set size of the host's processes: shared pages (the one rootfs's binaries) split among users. */
  pssKiB: number;
  /** Size of the host's writable overlay layer. */
  diskKiB: number;
}

/**
 * What each running host costs. This machine's cgroups are v1 and shared, so no per-host memory.current: the PSS of
 * every process in the host's PID namespace stands in for it.
 */
export async function labCosts(): Promise<HostCost[]> {
  const byNamespace = new Map<string, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const namespace = await readlink(`/proc/${entry}/ns/pid`).catch(() => '');
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), Number(entry)]);
  }
  const costs: HostCost[] = [];
  for (const host of (await readState()).hosts.filter((candidate) => isAlive(candidate.nspawnPid))) {
    const pids = byNamespace.get(await readlink(`/proc/${await hostInitPid(host)}/ns/pid`)) ?? [];
    let pssKiB = 0;
    for (const pid of pids) {
      const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
      pssKiB += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    }
    const diskKiB = Number((await sh('du', ['-sk', join(hostDir(host.name), 'upper')])).split('\t')[0]);
    costs.push({ name: host.name, processes: pids.length, pssKiB, diskKiB });
  }
  return costs;
}

export async function labStatus(): Promise<LabStatus> {
  const state = await readState();
  return {
    up: await linkExists(labBridge),
    cidr: labCidr,
    laptopAddress,
    hosts: state.hosts.map((host) => ({ ...host, running: isAlive(host.nspawnPid) })),
  };
}

async function stopProcess(pid: number | undefined, timeoutMs = 15_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid!, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) process.kill(pid!, 'SIGKILL');
}

/**
 * Stops a host's systemd-nspawn and, when the host did not power off in time, its init too: a killed nspawn leaves
 * the container running (its init re-parented, its veth kept), and the next boot of that host then cannot add its
 * veth and never starts (seen after kubespray's upgrade runs on a loaded machine: "sshd not up within 240 s").
 */
async function stopHostProcess(nspawnPid: number | undefined): Promise<void> {
  if (!isAlive(nspawnPid)) return;
  const init = await readFile(`/proc/${nspawnPid}/task/${nspawnPid}/children`, 'utf8').then(
    (children) => Number(children.trim().split(/\s+/)[0]) || undefined,
    () => undefined,
  );
  await stopProcess(nspawnPid);
  await killInit(init);
}

/** SIGKILL to a container's init ends every process of its PID namespace; waits until it is gone (or a zombie). */
async function killInit(pid: number | undefined): Promise<void> {
  if (!(await isRunning(pid))) return;
  process.kill(pid!, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while ((await isRunning(pid)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

const isRunning = async (pid: number | undefined) =>
  isAlive(pid) && !/^\d+ \(.*\) Z/.test(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '0 () Z'));

/** Stops every host, removes their overlays, the sink and the bridge. Safe to call when nothing is up. */
export async function labDown(): Promise<void> {
  await ensureSubnetBlackhole();
  const state = await readState();
  await Promise.all(state.hosts.map((host) => stopHostProcess(host.nspawnPid)));
  for (const host of state.hosts) {
    const merged = join(hostDir(host.name), 'merged');
    if (await shQuiet('mountpoint', ['-q', merged])) await sh('umount', [merged]);
  }
  await stopStrayHosts();
  await stopProcess(state.bannerServicePid, 2000);
  await shQuiet('ip', ['netns', 'del', sinkNamespace]);
  await shQuiet('ip', ['link', 'del', 'aslab-sink0']);
  await shQuiet('ip', ['link', 'del', labBridge]);
  await rm(stateDir, { recursive: true, force: true });
}

/**
 * Hosts a crashed or interrupted run left behind (not in the state file), and their veths: a new host needs the name.
 */
async function stopStrayHosts(): Promise<void> {
  const listing = await sh('pgrep', ['-f', 'systemd-nspawn --boot --directory=' + join(stateDir, 'hosts')]).catch(
    () => '',
  );
  await Promise.all(
    listing
      .split('\n')
      .filter(Boolean)
      .map((pid) => stopHostProcess(Number(pid))),
  );
  await Promise.all((await orphanedHostInits()).map(killInit));
  const links = await sh('ip', ['-o', 'link', 'show']);
  for (const match of links.matchAll(/^\d+: (vb-lab\d+)[@:]/gm)) await shQuiet('ip', ['link', 'del', match[1]!]);
}

/** Lab hosts whose systemd-nspawn was killed (by an older lab or a crash): PID 1 of their own namespace, named labN. */
async function orphanedHostInits(): Promise<number[]> {
  const inits: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    if (!/^NSpid:\s+\d+\s+1$/m.test(status) || !/^PPid:\s+1$/m.test(status)) continue;
    const hostname = await readFile(`/proc/${entry}/root/etc/hostname`, 'utf8').catch(() => '');
    if (/^lab\d+$/.test(hostname.trim())) inits.push(Number(entry));
  }
  return inits;
}

async function findHost(name: string): Promise<LabHost> {
  const host = (await readState()).hosts.find((candidate) => candidate.name === name);
  if (!host) throw new Error(`no lab host named ${name}`);
  return host;
}

/** PID 1 of the host, as seen from the laptop: the child of systemd-nspawn. */
async function hostInitPid(host: LabHost): Promise<number> {
  if (!isAlive(host.nspawnPid)) throw new Error(`lab host ${host.name} is powered off`);
  const children = await readFile(`/proc/${host.nspawnPid}/task/${host.nspawnPid}/children`, 'utf8');
  const pid = Number(children.trim().split(/\s+/)[0]);
  if (!pid) throw new Error(`lab host ${host.name} has not started its init yet`);
  return pid;
}

/** Runs a shell command as root inside a lab host (test setup and fault injection, never the product's path). */
export async function execOnHost(name: string, command: string): Promise<string> {
  const pid = await hostInitPid(await findHost(name));
  return sh('nsenter', [
    '--target',
    String(pid),
    '--mount',
    '--uts',
    '--ipc',
    '--net',
    '--pid',
    '--',
    'sh',
    '-c',
    command,
  ]);
}

/**
 * Runs one of this machine's programs in a lab host's network namespace only, for tools its root filesystem lacks
 * (nft).
 */
export async function execInHostNetwork(name: string, argv: string[], input?: string): Promise<string> {
  const pid = await hostInitPid(await findHost(name));
  return sh('nsenter', ['--target', String(pid), '--net', '--', ...argv], input === undefined ? {} : { input });
}

export async function powerOff(name: string): Promise<void> {
  const state = await readState();
  const host = state.hosts.find((candidate) => candidate.name === name);
  if (!host) throw new Error(`no lab host named ${name}`);
  await stopHostProcess(host.nspawnPid);
  delete host.nspawnPid;
  await writeState(state);
}

export async function powerOn(name: string, timeoutMs = 60_000): Promise<void> {
  const state = await readState();
  const host = state.hosts.find((candidate) => candidate.name === name);
  if (!host) throw new Error(`no lab host named ${name}`);
  if (!isAlive(host.nspawnPid)) host.nspawnPid = await bootHost(host);
  await writeState(state);
  await waitForHostReady(host, timeoutMs);
}

/**
 * Gives the host a fresh root filesystem, as a reinstall would (new host keys and machine-id): for tests that change
 * a host the way a real installer does (packages, sysctls, /etc/hosts), so the next test finds it as booted.
 */
export async function renewHost(name: string): Promise<void> {
  await powerOff(name);
  await removeHostFiles(name);
  const state = await readState();
  const host = state.hosts.find((candidate) => candidate.name === name)!;
  await createHost(host, await ensureRootfs());
  await writeState(state);
  // A first boot from a fresh overlay, often beside a busy test run: it took over a minute on a loaded machine.
  await powerOn(name, 240_000);
}

const vethOf = (name: string) => `vb-${name}`.slice(0, 15);
export const cutLink = (name: string) => sh('ip', ['link', 'set', vethOf(name), 'down']).then(() => undefined);
export const restoreLink = (name: string) => sh('ip', ['link', 'set', vethOf(name), 'up']).then(() => undefined);
export const killSshd = (name: string) =>
  execOnHost(name, 'systemctl kill --signal=KILL ssh.service; systemctl stop ssh.service').then(() => undefined);
export const startSshd = async (name: string) => {
  await execOnHost(name, 'systemctl start ssh.service');
  await waitForSsh((await findHost(name)).address);
};

/** Gives the host new SSH host keys, as a reinstall or a man in the middle would. */
export async function changeHostKey(name: string): Promise<void> {
  await generateHostKeys(join(hostDir(name), 'merged'));
  await execOnHost(name, 'systemctl restart ssh.service');
  await waitForSsh((await findHost(name)).address);
}

/** Writes a file into a lab host's filesystem from the laptop side (test setup), then hands it to `owner`. */
export async function writeFileOnHost(
  name: string,
  path: string,
  content: string | Uint8Array,
  owner = 'root',
): Promise<void> {
  await findHost(name);
  const target = join(hostDir(name), 'merged', path);
  await mkdir(join(target, '..'), { recursive: true });
  await writeFile(target, content);
  await execOnHost(name, `chown ${owner}: ${path}`);
}
