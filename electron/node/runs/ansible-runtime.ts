import type { Client } from 'ssh2';
import { coreError } from '../i18n/format-core-message';
import { execAsRoot } from '../deploy/remote-shell';
import { remoteRuntimesRoot } from '../deploy/remote-layout';
import { execCommand } from '../ssh/ssh-connection';
import { quoteShellArg, shellCommand } from '../ssh/shell-quote';
import type { RunInvocation } from '../../common/run';
import { playbookWords } from './remote-run';

/** One venv per bundle on the deploy node, made from the bundle's wheels. */

export interface AnsibleRuntime {
  kind: 'venv' | 'node';
  /** The words that start ansible-playbook. */
  ansiblePlaybook: string[];
  /** The venv was made by this call (false: an earlier one made it from the same wheels). */
  created: boolean;
}

export interface RuntimeRequest {
  /** The bundle's `python/` folder on the deploy node; it may be missing (a kubespray folder of the node's own). */
  wheelsDir: string;
  /** Names the venv's folder: the bundle id. */
  runtimeId: string;
  user: string;
  sudoPassword: string;
}

const runtimeIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The script, run as the login user, that answers `node` (no wheels: the node's own ansible-playbook), `reused` or
 * `created`. The venv sees the node's system site-packages, so the wheels need only hold what the node lacks; what
 * they do hold shadows the system's. pip comes from the bundle's own pip wheel when there is one (an air-gapped node
 * often lacks python3-pip), else from the node. A stamp of the wheels' names and sizes makes a second call a no-op.
 */
function runtimeScript(wheels: string, base: string): string {
  const venv = `${base}/venv`;
  const q = quoteShellArg;
  return [
    'set -eu',
    `wheels=${q(wheels)} base=${q(base)} venv=${q(venv)}`,
    'if ! ls "$wheels"/*.whl > /dev/null 2>&1; then',
    '  command -v ansible-playbook > /dev/null || { echo "no-ansible" ; exit 0; }',
    '  echo node; exit 0',
    'fi',
    'exec 8> "$base/lock"; flock 8',
    'stamp=$(find "$wheels" -maxdepth 1 \\( -name "*.whl" -o -name requirements.txt \\) -printf "%f %s\\n" | sort | sha256sum | cut -d" " -f1)',
    'if [ -x "$venv/bin/python3" ] && [ "$(cat "$base/installed" 2>/dev/null)" = "$stamp" ]; then echo reused; exit 0; fi',
    'rm -rf "$venv" "$base/installed"',
    'python3 -m venv --without-pip --system-site-packages "$venv" >&2',
    'pip_wheel=$(ls "$wheels"/pip-*.whl 2>/dev/null | sort -V | tail -n 1)',
    'if [ -n "$pip_wheel" ]; then set -- "$pip_wheel/pip"; else set -- -m pip; fi',
    'if [ -f "$wheels/requirements.txt" ]; then set -- "$@" install -r "$wheels/requirements.txt"; else set -- "$@" install "$wheels"/*.whl; fi',
    '"$venv/bin/python3" "$@" --no-index --find-links "$wheels" --no-cache-dir --disable-pip-version-check --quiet >&2',
    '"$venv/bin/python3" -c "import ansible.cli.playbook" >&2',
    'echo "$stamp" > "$base/installed.tmp" && mv "$base/installed.tmp" "$base/installed"',
    'echo created',
  ].join('\n');
}

/**
 * Chooses the Ansible runtime on the deploy node: a venv made offline from the bundle's wheels (once per bundle),
 * else the node's own ansible-playbook. kubespray's own first play refuses an Ansible version it does not support.
 */
export async function prepareAnsibleRuntime(client: Client, request: RuntimeRequest): Promise<AnsibleRuntime> {
  if (!runtimeIdPattern.test(request.runtimeId))
    throw coreError('invalid_params', 'run.runtime-id-invalid', { runtimeId: request.runtimeId }, 'runtimeId');
  const base = `${remoteRuntimesRoot}/${request.runtimeId}`;
  const made = await execAsRoot(
    client,
    `set -e; mkdir -p ${quoteShellArg(base)}; chmod 755 ${quoteShellArg(remoteRuntimesRoot)}; chown ${quoteShellArg(request.user)} ${quoteShellArg(base)}`,
    request.sudoPassword,
  );
  if (made.code !== 0)
    throw coreError('sudo_refused', 'run.runtime-folder-refused', {
      folder: base,
      detail: made.stderr.trim() || `exit ${made.code}`,
    });
  const result = await execCommand(client, `sh -c ${quoteShellArg(runtimeScript(request.wheelsDir, base))}`);
  const answer = result.stdout.trim().split('\n').at(-1);
  if (result.code !== 0 || !answer) {
    const detail = result.stderr.trim().split('\n').slice(-4).join(' / ');
    const params = { wheels: request.wheelsDir, detail: detail || `exit ${result.code}` };
    throw coreError('conflict', 'run.venv-failed', params, 'bundle');
  }
  if (answer === 'no-ansible') {
    throw coreError('missing_on_node', 'run.no-ansible', { wheels: request.wheelsDir }, 'bundle');
  }
  if (answer === 'node') return { kind: 'node', ansiblePlaybook: ['ansible-playbook'], created: false };
  return {
    kind: 'venv',
    ansiblePlaybook: [`${base}/venv/bin/python3`, '-m', 'ansible.cli.playbook'],
    created: answer === 'created',
  };
}

/**
 * Counts the tasks `ansible-playbook --list-hosts --list-tasks` prints: every line under a play's `tasks:`, except in
 * plays that match no host (the run skips them). Tasks pulled in at run time (include_tasks) and handlers are not
 * listed, so this is an estimate of the TASK headers to come.
 */
export function countListedTasks(listing: string): number {
  let count = 0;
  let taskIndent: number | undefined;
  let playHasHosts = true;
  for (const line of listing.split('\n')) {
    const text = line.trim();
    if (!text) continue;
    const indent = line.length - line.trimStart().length;
    if (text.startsWith('play #')) playHasHosts = true;
    const hosts = /^hosts \((\d+)\):$/.exec(text);
    if (hosts) playHasHosts = Number(hosts[1]) > 0;
    if (text === 'tasks:') {
      taskIndent = indent;
      continue;
    }
    if (taskIndent !== undefined && indent > taskIndent) {
      if (playHasHosts) count += 1;
    } else taskIndent = undefined;
  }
  return count;
}

/** The tasks the run will go through, listed on the deploy node with the same inventory, limit, tags and variables. */
export async function listPlannedTasks(client: Client, invocation: RunInvocation): Promise<number | undefined> {
  const command = `cd ${quoteShellArg(invocation.kubesprayDir)} && ANSIBLE_NOCOLOR=1 ${shellCommand([...playbookWords(invocation), '--list-hosts', '--list-tasks'])}`;
  const result = await execCommand(client, command);
  return result.code === 0 ? countListedTasks(result.stdout) : undefined;
}
