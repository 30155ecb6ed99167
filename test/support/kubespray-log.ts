// A recorded-looking kubespray log: ansible-playbook's coloured default output with kubespray's profile_tasks
// timestamps, over five hosts (or as many as asked) and tasks named as in kubespray's roles; deterministic, so every
// run is the same bytes.

const nodeNames = (count: number) => Array.from({ length: count }, (_, index) => `node${index + 1}`);
const tasks = [
  'kubespray-defaults : Set no_proxy to all assigned cluster IPs and hostnames',
  'bootstrap-os : Fetch /etc/os-release',
  'bootstrap-os : Create remote_tmp for it is used by another module',
  'container-engine/containerd : Containerd | Download containerd',
  'container-engine/containerd : Containerd | Generate systemd service for containerd',
  'download : Prep_download | Set a few facts',
  'download : Download_file | Create dest directory on node',
  'download : Download_container | Download image if required',
  'kubernetes/preinstall : Stop if either kube_control_plane or kube_node group is empty',
  'kubernetes/preinstall : Create kubernetes directories',
  'kubernetes/preinstall : Hosts | populate inventory into hosts file',
  'etcd : Check if etcd cluster is healthy',
  'etcd : Gen_certs | write openssl config',
  'kubernetes/node : Write kubelet config file',
  'kubernetes/control-plane : Kubeadm | Initialize first master',
  'network_plugin/calico : Calico | Create calico manifests',
  'kubernetes-apps/ansible : Kubernetes Apps | Start Resources',
];
const colours = { ok: '\x1b[0;32m', changed: '\x1b[0;33m', skipping: '\x1b[0;36m', reset: '\x1b[0m' };

function taskBlock(index: number, hosts: readonly string[]): string {
  const task = tasks[index % tasks.length]!;
  const seconds = index * 1.7;
  const stamp = `Monday 14 July 2025  10:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')} +0000 (0:00:0${index % 10}.${String((index * 37) % 1000).padStart(3, '0')})       0:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}.${String((index * 53) % 1000).padStart(3, '0')} *********`;
  const lines = [`\nTASK [${task}] ${'*'.repeat(Math.max(3, 72 - task.length))}`, stamp];
  for (const [at, host] of hosts.entries()) {
    const kind = (index + at) % 7 === 0 ? 'changed' : (index + at) % 3 === 0 ? 'skipping' : 'ok';
    const item =
      index % 4 === 0 ? ` => (item={'name': 'kube-${at}', 'path': '/etc/kubernetes/ssl/${host}-${index}.pem'})` : '';
    lines.push(`${colours[kind]}${kind}: [${host}]${item}${colours.reset}`);
  }
  return `${lines.join('\n')}\n`;
}

/** About `bytes` long (never shorter): whole task blocks under one play, ending with a PLAY RECAP. */
export function kubesprayLog(bytes: number, hostCount = 5): string {
  const hosts = nodeNames(hostCount);
  const parts = ['\nPLAY [Install Kubernetes] ******************************************************\n'];
  let length = parts[0]!.length;
  for (let index = 0; length < bytes; index += 1) {
    const block = taskBlock(index, hosts);
    parts.push(block);
    length += block.length;
  }
  parts.push(
    `\nPLAY RECAP *********************************************************************\n${hosts.map((host) => `${colours.changed}${host}${colours.reset}                      : ${colours.ok}ok=812 ${colours.reset} ${colours.changed}changed=143 ${colours.reset} unreachable=0    failed=0    skipped=1210 rescued=0    ignored=2   \n`).join('')}`,
  );
  return parts.join('');
}
