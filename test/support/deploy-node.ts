import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { execOnHost, writeFileOnHost } from '../lab/lab';
import { hostAddress } from '../lab/lab-network';

export const fixtureKubesprayDir = '/home/ops/kubespray';
const fixtureSource = join(import.meta.dirname, '..', 'fixtures', 'kubespray-shaped');

/** The kubespray-style inventory of the fixture cluster: each name is a lab host, by index. */
export function fixtureInventory(hosts: { name: string; index: number; controlPlane?: boolean }[]): string {
  const lines = ['all:', '  hosts:'];
  for (const host of hosts)
    lines.push(
      `    ${host.name}:`,
      `      ansible_host: ${hostAddress(host.index)}`,
      `      ip: ${hostAddress(host.index)}`,
    );
  const group = (name: string, members: string[]) => [
    `    ${name}:`,
    '      hosts:',
    ...members.map((member) => `        ${member}:`),
  ];
  const controlPlanes = hosts.filter((host) => host.controlPlane).map((host) => host.name);
  lines.push(
    '  children:',
    ...group('kube_control_plane', controlPlanes),
    ...group('etcd', controlPlanes),
    ...group(
      'kube_node',
      hosts.map((host) => host.name),
    ),
    '    k8s_cluster:',
    '      children:',
    '        kube_control_plane:',
    '        kube_node:',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Makes `deployNode` a deploy node for the fixture playbooks: the playbooks and an inventory under
 * /home/ops/kubespray, and the cluster hosts' keys in ops's known_hosts there. Ansible logs in to the hosts with the
 * project's deploy key only (bootstrap it first: installDeployKey), so the node gets no key of its own.
 */
export async function prepareDeployNode(
  deployNode: { name: string },
  clusterHosts: { name: string; index: number; controlPlane?: boolean }[],
): Promise<void> {
  // playbooks/facts.yml too: kubespray keeps some playbooks in a folder.
  const entries = await readdir(fixtureSource, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(fixtureSource, join(entry.parentPath, entry.name)));
  for (const file of files) {
    await writeFileOnHost(
      deployNode.name,
      `${fixtureKubesprayDir}/${file}`,
      await readFile(join(fixtureSource, file), 'utf8'),
      'ops',
    );
  }
  await writeFileOnHost(
    deployNode.name,
    `${fixtureKubesprayDir}/inventory/fixture/hosts.yaml`,
    fixtureInventory(clusterHosts),
    'ops',
  );
  const addresses = clusterHosts.map((host) => hostAddress(host.index)).join(' ');
  await execOnHost(
    deployNode.name,
    `chown -R ops: ${fixtureKubesprayDir} && install -d -m 700 -o ops -g ops /home/ops/.ssh && su ops -c 'ssh-keyscan -t ed25519 ${addresses} > ~/.ssh/known_hosts 2>/dev/null'`,
  );
}
