import { z } from 'zod';
import type { Client, ClientChannel } from 'ssh2';
import { coreError } from '../i18n/format-core-message';
import type { RunInvocation } from '../../common/run';
import { execCommand } from '../ssh/ssh-connection';
import { quoteShellArg, shellCommand } from '../ssh/shell-quote';
import { remoteFactsDir, remoteFactsRoot, remoteLocksRoot, remoteRoot, remoteRunsRoot } from '../deploy/remote-layout';

/** Where runs live on the deploy node: one folder each, with the full log and, once finished, status.json. */

/** The project's deploy key, which Ansible on the deploy node logs in to the hosts with (through an ssh-agent). */
export interface RunKey {
  /** OpenSSH private key, encrypted when `passphrase` is given. */
  privateKey: string;
  passphrase?: string;
  publicKey: string;
}

export interface RunStart {
  runId: string;
  cluster: string;
  /** The deploy node's SSH login; ansible-playbook runs as this user and becomes root with the sudo password. */
  user: string;
  sudoPassword: string;
  key: RunKey;
  invocation: RunInvocation;
  /** The project's accepted host keys (OpenSSH known_hosts): Ansible on the deploy node trusts exactly these. */
  knownHosts: string;
}

/** status.json, written by the run's wrapper when it ends; read back by one schema, whichever way it comes. */
const RemoteRunStatusSchema = z.object({ exitCode: z.number().int(), finishedAt: z.string(), cancelled: z.boolean() });
export type RemoteRunStatus = z.infer<typeof RemoteRunStatusSchema>;

const runIdPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
const unitOf = (runId: string) => `airspray-run-${runId}`;
export const remoteRunDir = (runId: string) => `${remoteRunsRoot}/${runId}`;

/**
 * kubespray's ssh_args (connection sharing) with host-key checking on and keepalives that notice a dead host; the
 * only identity offered is the deploy key held by the run's agent (IdentityFile names its public half).
 */
export const ansibleSshArgs = (knownHostsFile: string, publicKeyFile: string) =>
  [
    '-o ControlMaster=auto',
    '-o ControlPersist=30m',
    '-o ConnectionAttempts=3',
    '-o ServerAliveInterval=10',
    '-o ServerAliveCountMax=3',
    '-o StrictHostKeyChecking=yes',
    `-o UserKnownHostsFile=${knownHostsFile}`,
    '-o IdentitiesOnly=yes',
    `-o IdentityFile=${publicKeyFile}`,
  ].join(' ');

function assertRunId(runId: string): void {
  if (!runIdPattern.test(runId)) throw coreError('invalid_params', 'run.id-invalid', { runId }, 'runId');
}

/** ansible-playbook's words for the invocation, without become: what selects the plays, hosts and tasks. */
export function playbookWords(invocation: RunInvocation): string[] {
  const words = [
    ...(invocation.ansiblePlaybook ?? ['ansible-playbook']),
    '-i',
    invocation.inventory,
    invocation.playbook,
  ];
  if (invocation.forks) words.push('--forks', String(invocation.forks));
  if (invocation.limit) words.push('--limit', invocation.limit);
  if (invocation.tags) words.push(`--tags=${invocation.tags}`);
  if (invocation.skipTags) words.push(`--skip-tags=${invocation.skipTags}`);
  if (invocation.extraVars && Object.keys(invocation.extraVars).length > 0)
    words.push('-e', JSON.stringify(invocation.extraVars));
  return words;
}

/** The ansible-playbook command line, every value quoted: what the run history records and the node runs. */
export function playbookCommand(invocation: RunInvocation, becomePasswordFile: string): string {
  return shellCommand([...playbookWords(invocation), '-b', '--become-password-file', becomePasswordFile]);
}

/**
 * The script systemd runs: loads the deploy key into an ssh-agent of the run's own and deletes the key's file at
 * once, takes the cluster's lock (one run at a time), runs ansible-playbook into the log, removes the password file
 * whatever happens, and writes status.json last, atomically, so a reader knows the log is complete.
 */
function wrapperScript(start: RunStart): string {
  const dir = remoteRunDir(start.runId);
  const q = quoteShellArg;
  return [
    `dir=${q(dir)}`,
    `lock=${q(`${remoteLocksRoot}/${start.cluster}.lock`)}`,
    'cancelled=false',
    "trap 'cancelled=true' TERM INT",
    // The passphrase (if any) reaches ssh-add through SSH_ASKPASS, never a command line.
    'eval "$(ssh-agent -s)" > /dev/null',
    'SSH_ASKPASS="$dir/askpass" SSH_ASKPASS_REQUIRE=force ssh-add -q "$dir/deploy_key" < /dev/null >> "$dir/log" 2>&1 || { echo "airspray: the deploy key could not be loaded into ssh-agent" >> "$dir/log"; code=77; }',
    'rm -f "$dir/deploy_key" "$dir/key_passphrase"',
    `[ -n "\${code:-}" ] || cd ${q(start.invocation.kubesprayDir)} || { echo 'airspray: no kubespray folder at '${q(start.invocation.kubesprayDir)} >> "$dir/log"; code=66; }`,
    'if [ -z "${code:-}" ]; then',
    '  exec 9>>"$lock"',
    '  if flock -n 9; then',
    `    ${playbookCommand(start.invocation, `${dir}/become`)} >> "$dir/log" 2>&1 < /dev/null`,
    '    code=$?',
    '  else',
    '    echo "airspray: another run of this cluster holds $lock; wait for it or cancel it." >> "$dir/log"',
    '    code=75',
    '  fi',
    'fi',
    'rm -f "$dir/become"',
    'ssh-agent -k > /dev/null 2>&1',
    'printf \'{"exitCode": %d, "finishedAt": "%s", "cancelled": %s}\\n\' "$code" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$cancelled" > "$dir/status.json.tmp"',
    'mv "$dir/status.json.tmp" "$dir/status.json"',
  ].join('\n');
}

/**
 * Seconds a host's cached facts count: kubespray's own (ansible.cfg). Runs limited to new hosts come right after
 * facts.yml refreshed every host, well within a day; facts older than that are gathered again.
 */
const factCacheSeconds = 86400;

/**
 * Ansible's fact cache in the cluster's folder on the deploy node (kubespray's settings, another folder): a play that
 * gathers facts skips hosts whose facts are cached (smart), and a limited run finds the other hosts' facts there.
 */
const factCacheEnv = (cluster: string) => [
  '--setenv=ANSIBLE_GATHERING=smart',
  '--setenv=ANSIBLE_CACHE_PLUGIN=jsonfile',
  `--setenv=ANSIBLE_CACHE_PLUGIN_CONNECTION=${remoteFactsDir(cluster)}`,
  `--setenv=ANSIBLE_CACHE_PLUGIN_TIMEOUT=${factCacheSeconds}`,
];

/** The systemd-run command that starts the run's unit as the run user, with the environment Ansible runs in. */
export function runUnitWords(start: Pick<RunStart, 'runId' | 'cluster' | 'user'>): string[] {
  const dir = remoteRunDir(start.runId);
  return [
    'systemd-run',
    `--unit=${unitOf(start.runId)}`,
    `--uid=${start.user}`,
    '--collect',
    '--quiet',
    '--setenv=ANSIBLE_FORCE_COLOR=1',
    '--setenv=PYTHONUNBUFFERED=1',
    // Host keys are checked against the project's, never accepted blindly (kubespray's own ansible.cfg turns the
    // check off); a host that stops answering mid-task is declared unreachable after 30 s instead of hanging.
    '--setenv=ANSIBLE_HOST_KEY_CHECKING=True',
    // kubespray's ansible.cfg hides skipped hosts, and with them the header of every task skipped everywhere: the
    // digest would count no skips and the progress estimate (listed tasks) would stop near a third.
    '--setenv=ANSIBLE_DISPLAY_SKIPPED_HOSTS=True',
    `--setenv=ANSIBLE_SSH_ARGS=${ansibleSshArgs(`${dir}/known_hosts`, `${dir}/deploy_key.pub`)}`,
    ...factCacheEnv(start.cluster),
    '/bin/sh',
    `${dir}/run.sh`,
  ];
}

/**
 * Starts a run as a transient systemd unit on the deploy node, so it survives the laptop leaving. Secrets travel on
 * stdin, one line each: sudo reads the first (the password), the script reads the become password (file 0600, removed
 * when the run ends), the deploy key (base64; file 0600, removed once the run's agent holds it) and its passphrase.
 * None is ever on a command line or in a log.
 */
export async function startRemoteRun(client: Client, start: RunStart): Promise<void> {
  assertRunId(start.runId);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(start.cluster))
    throw coreError('invalid_params', 'run.cluster-name-invalid', { cluster: start.cluster }, 'cluster');
  const dir = remoteRunDir(start.runId);
  const q = quoteShellArg;
  const setup = [
    'set -eu',
    'umask 077',
    `mkdir -p ${q(remoteRunsRoot)} ${q(remoteLocksRoot)} ${q(remoteFactsDir(start.cluster))}`,
    // The user who runs ansible-playbook must reach its run folder, the cluster's lock and its fact cache.
    `chmod 755 ${q(remoteRoot)} ${q(remoteRunsRoot)} ${q(remoteLocksRoot)} ${q(remoteFactsRoot)}`,
    `chown ${q(start.user)} ${q(remoteFactsDir(start.cluster))}`,
    `mkdir ${q(dir)}`,
    // read and printf are shell builtins: the values never appear in a process list.
    'IFS= read -r become_password; IFS= read -r key; IFS= read -r key_passphrase',
    `printf '%s' "$become_password" > ${q(`${dir}/become`)}`,
    `printf '%s' "$key" | base64 -d > ${q(`${dir}/deploy_key`)}`,
    `printf '%s\\n' "$key_passphrase" > ${q(`${dir}/key_passphrase`)}`,
    `printf '%s\\n' ${q(start.key.publicKey)} > ${q(`${dir}/deploy_key.pub`)}`,
    `printf '#!/bin/sh\\nexec cat %s\\n' ${q(quoteShellArg(`${dir}/key_passphrase`))} > ${q(`${dir}/askpass`)} && chmod 700 ${q(`${dir}/askpass`)}`,
    `printf '%s\\n' ${q(wrapperScript(start))} > ${q(`${dir}/run.sh`)}`,
    `printf '%s\\n' ${q(playbookCommand(start.invocation, `${dir}/become`))} > ${q(`${dir}/command`)}`,
    `printf '%s' ${q(start.knownHosts)} > ${q(`${dir}/known_hosts`)}`,
    `touch ${q(`${dir}/log`)} ${q(`${remoteLocksRoot}/${start.cluster}.lock`)}`,
    `chown -R ${q(start.user)} ${q(dir)} ${q(`${remoteLocksRoot}/${start.cluster}.lock`)}`,
    `chmod 755 ${q(dir)} && chmod 644 ${q(`${dir}/log`)}`,
    shellCommand(runUnitWords(start)),
  ].join('\n');
  const secrets = [
    start.sudoPassword,
    start.sudoPassword,
    Buffer.from(start.key.privateKey).toString('base64'),
    start.key.passphrase ?? '',
  ];
  if (secrets.some((secret) => secret.includes('\n')))
    throw coreError('invalid_params', 'run.secret-line-break', {}, 'credential.sudoPassword');
  const result = await execCommand(client, `sudo -k -S -p '' sh -c ${q(setup)}`, `${secrets.join('\n')}\n`);
  if (result.code !== 0) {
    throw coreError('conflict', 'run.start-refused', { detail: result.stderr.trim() || `exit ${result.code}`, dir });
  }
}

export async function readRemoteStatus(client: Client, runId: string): Promise<RemoteRunStatus | undefined> {
  assertRunId(runId);
  const result = await execCommand(client, `cat ${quoteShellArg(`${remoteRunDir(runId)}/status.json`)} 2>/dev/null`);
  if (result.code !== 0 || !result.stdout.trim()) return undefined;
  const status = statusFrom(result.stdout);
  if (!status) throw coreError('conflict', 'run.status-unreadable', { text: result.stdout.trim().slice(0, 200) });
  return status;
}

/** A status.json is a few hundred bytes; more on the follow's stderr is not one. */
const maxStatusChars = 64 * 1024;

/** A status, from status.json or the follow's stderr; undefined when the text is not one. */
function statusFrom(text: string): RemoteRunStatus | undefined {
  try {
    const parsed = RemoteRunStatusSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface FollowHandle {
  /** Resolves with the final status once the run ended and every byte of its log arrived. */
  done: Promise<RemoteRunStatus>;
  /** Stops following; the run itself goes on. */
  detach(): void;
  /** Stops reading the channel, so SSH's window closes and the deploy node's reader waits: nothing is lost. */
  pause(): void;
  resume(): void;
}

/**
 * Streams the run's log from byte `offset` until the run has finished and the log is read to its end. Reattaching
 * later with the number of bytes already received replays exactly what was missed.
 */
export function followRemoteRun(
  client: Client,
  runId: string,
  offset: number,
  onData: (chunk: Buffer) => void,
): FollowHandle {
  assertRunId(runId);
  const dir = quoteShellArg(remoteRunDir(runId));
  // tail -F follows the growing log. Once status.json exists the log is complete: the watcher ends, and tail (--pid)
  // reads to the end of the log before it exits, however long a paused channel keeps it waiting. The watcher also
  // ends with this shell, so a detached follow leaves nothing behind. A run already finished is read to the end of
  // its log, and its status comes first on stderr: no wait for tail's next look at the watcher, no second command.
  const from = offset + 1;
  const script = `cd ${dir} && if [ -e status.json ]; then cat status.json >&2 && exec tail -c +${from} log 2>/dev/null; fi; { while [ ! -e status.json ] && kill -0 $$ 2>/dev/null; do sleep 0.3; done & tail -c +${from} -F -s 0.2 --pid=$! log 2>/dev/null; exit 0; }`;
  let channel: ClientChannel | undefined;
  let detached = false;
  let paused = false;
  const done = new Promise<RemoteRunStatus>((resolve, reject) => {
    client.exec(script, (error, opened) => {
      if (error) return reject(error);
      channel = opened;
      if (detached) opened.close();
      opened.on('data', (chunk: Buffer) => onData(chunk));
      if (paused) opened.pause();
      let stderr = '';
      opened.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < maxStatusChars) stderr += chunk.toString();
      });
      opened.once('close', (code: number | null | undefined) => {
        if (detached) return reject(coreError('conflict', 'run.follow-stopped'));
        const sent = code === 0 ? statusFrom(stderr) : undefined;
        if (sent) return resolve(sent);
        readRemoteStatus(client, runId).then(
          (status) => (status ? resolve(status) : reject(coreError('conflict', 'run.log-ended-early'))),
          reject,
        );
      });
    });
  });
  return {
    done,
    detach: () => {
      detached = true;
      channel?.close();
    },
    pause: () => {
      paused = true;
      channel?.pause();
    },
    resume: () => {
      paused = false;
      channel?.resume();
    },
  };
}

/** Stops the run's unit; ansible-playbook gets SIGTERM and the run is recorded as cancelled. */
export async function cancelRemoteRun(client: Client, runId: string, sudoPassword: string): Promise<boolean> {
  assertRunId(runId);
  const result = await execCommand(
    client,
    `sudo -k -S -p '' systemctl stop ${quoteShellArg(`${unitOf(runId)}.service`)}`,
    `${sudoPassword}\n`,
  );
  return result.code === 0;
}
