import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execOnHost, writeFileOnHost } from '../lab/lab';
import type { ApiClient } from './api-client';
import { makeCa, makeLeaf, pkiFolder, type TestCa } from './test-pki';

/**
 * A one-member etcd with TLS on a lab host in kubespray v2.23.3's layout (etcd_deployment_type host): the binaries in
 * bin_dir /usr/local/bin, the certificates in etcd_cert_dir /etc/ssl/etcd/ssl, /etc/etcd.env and an etcd.service like
 * roles/etcd/templates/etcd.env.j2 and etcd-host.service.j2. The binaries are Debian's etcd-server and etcd-client
 * (3.4.23) from this machine, and the PKI is made here with openssl: kubespray's etcd role would make both, but it
 * downloads etcd from GitHub, which cannot happen here.
 */
export const etcdCertDir = '/etc/ssl/etcd/ssl';
const binaries = { etcd: '/usr/bin/etcd', etcdctl: '/usr/bin/etcdctl' };

export interface LabEtcd {
  ca: TestCa;
  /** The admin client's certificate and key on this machine, for etcdctl from here. */
  admin: { certPath: string; keyPath: string };
}

function requireBinaries(): void {
  for (const path of Object.values(binaries)) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new Error(`${path} is missing: apt-get install -y etcd-server etcd-client (as .ci/run does)`);
    }
  }
}

/** A lab host that runs an etcd member: its inventory name and address. */
export interface LabEtcdMember {
  name: string;
  address: string;
}

/** The member and admin certificates make-ssl-etcd.sh makes for `name` under `ca`, keyed by their path on the host. */
function kubesprayEtcdPki(
  dir: string,
  ca: TestCa,
  name: string,
  address: string,
): { files: Record<string, string>; etcd: LabEtcd } {
  const usage = (eku: string) => ['keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${eku}`];
  const names = `subjectAltName=DNS:${name},DNS:localhost,IP:${address},IP:127.0.0.1`;
  const member = makeLeaf(dir, `member-${name}`, `/CN=etcd-member-${name}`, ca, 365, [
    ...usage('serverAuth,clientAuth'),
    names,
  ]);
  const admin = makeLeaf(dir, `admin-${name}`, `/CN=etcd-admin-${name}`, ca, 365, [...usage('clientAuth'), names]);
  const key = (file: string) => readFileSync(join(dir, `${file}.key`), 'utf8');
  return {
    files: {
      [`${etcdCertDir}/ca.pem`]: ca.pem,
      [`${etcdCertDir}/member-${name}.pem`]: member,
      [`${etcdCertDir}/member-${name}-key.pem`]: key(`member-${name}`),
      [`${etcdCertDir}/admin-${name}.pem`]: admin,
      [`${etcdCertDir}/admin-${name}-key.pem`]: key(`admin-${name}`),
    },
    etcd: { ca, admin: { certPath: join(dir, `admin-${name}.crt`), keyPath: join(dir, `admin-${name}.key`) } },
  };
}

/** kubespray's etcd_peer_addresses: etcd1, etcd2, … in the etcd group's order. */
const initialCluster = (members: readonly LabEtcdMember[]) =>
  members.map((member, index) => `etcd${index + 1}=https://${member.address}:2380`).join(',');

function etcdEnv(members: readonly LabEtcdMember[], index: number): string {
  const { name, address } = members[index]!;
  return [
    'ETCD_DATA_DIR=/var/lib/etcd',
    `ETCD_ADVERTISE_CLIENT_URLS=https://${address}:2379`,
    `ETCD_INITIAL_ADVERTISE_PEER_URLS=https://${address}:2380`,
    'ETCD_INITIAL_CLUSTER_STATE=new',
    `ETCD_LISTEN_CLIENT_URLS=https://${address}:2379,https://127.0.0.1:2379`,
    'ETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd',
    `ETCD_LISTEN_PEER_URLS=https://${address}:2380`,
    `ETCD_NAME=etcd${index + 1}`,
    `ETCD_INITIAL_CLUSTER=${initialCluster(members)}`,
    `ETCD_TRUSTED_CA_FILE=${etcdCertDir}/ca.pem`,
    `ETCD_CERT_FILE=${etcdCertDir}/member-${name}.pem`,
    `ETCD_KEY_FILE=${etcdCertDir}/member-${name}-key.pem`,
    'ETCD_CLIENT_CERT_AUTH=true',
    `ETCD_PEER_TRUSTED_CA_FILE=${etcdCertDir}/ca.pem`,
    `ETCD_PEER_CERT_FILE=${etcdCertDir}/member-${name}.pem`,
    `ETCD_PEER_KEY_FILE=${etcdCertDir}/member-${name}-key.pem`,
    'ETCD_PEER_CLIENT_CERT_AUTH=true',
    '',
  ].join('\n');
}

// roles/etcd/templates/etcd-host.service.j2 with bin_dir /usr/local/bin.
const etcdService = `[Unit]
Description=etcd
After=network.target

[Service]
Type=notify
User=root
EnvironmentFile=/etc/etcd.env
ExecStart=/usr/local/bin/etcd
NotifyAccess=all
Restart=always
RestartSec=10s
LimitNOFILE=40000

[Install]
WantedBy=multi-user.target
`;

/** etcdctl on the host as kubespray's tasks run it (roles/etcd/tasks/configure.yml's environment). */
export function etcdctlOnHost(name: string, address: string, args: string): Promise<string> {
  const env = [
    'ETCDCTL_API=3',
    `ETCDCTL_CACERT=${etcdCertDir}/ca.pem`,
    `ETCDCTL_CERT=${etcdCertDir}/admin-${name}.pem`,
    `ETCDCTL_KEY=${etcdCertDir}/admin-${name}-key.pem`,
    `ETCDCTL_ENDPOINTS=https://${address}:2379`,
  ].join(' ');
  return execOnHost(name, `env ${env} /usr/local/bin/etcdctl ${args}`);
}

/** Installs and starts a one-member etcd; resolves once it answers a health check over TLS. */
export async function startKubesprayShapedEtcd(name: string, address: string): Promise<LabEtcd> {
  const [etcd] = await startKubesprayShapedEtcdCluster([{ name, address }]);
  return etcd!;
}

/**
 * Installs an etcd member on each host (one CA, kubespray's names etcd1, etcd2, … in this order) and starts them
 * together (a member of a new cluster waits for its peers); resolves once each answers a health check over TLS.
 */
export async function startKubesprayShapedEtcdCluster(members: readonly LabEtcdMember[]): Promise<LabEtcd[]> {
  requireBinaries();
  const dir = pkiFolder();
  const ca = makeCa(dir, 'etcd-ca', 3650);
  const started: LabEtcd[] = [];
  for (const [index, { name, address }] of members.entries()) {
    for (const [binary, path] of Object.entries(binaries))
      await writeFileOnHost(name, `/usr/local/bin/${binary}`, readFileSync(path));
    const { files, etcd } = kubesprayEtcdPki(dir, ca, name, address);
    for (const [path, content] of Object.entries(files)) await writeFileOnHost(name, path, content);
    await writeFileOnHost(name, '/etc/etcd.env', etcdEnv(members, index));
    await writeFileOnHost(name, '/etc/systemd/system/etcd.service', etcdService);
    // Root only, as kubespray leaves etcd_cert_dir (etcd_cert_dir_mode 0700): the backup has to go through sudo.
    await execOnHost(
      name,
      `chmod 755 /usr/local/bin/etcd /usr/local/bin/etcdctl && chmod 700 ${etcdCertDir} && chmod 600 ${etcdCertDir}/* && systemctl daemon-reload && systemctl enable --now --no-block etcd.service`,
    );
    started.push(etcd);
  }
  for (const { name, address } of members) await waitForHealth(name, address);
  return started;
}

/** etcdctl endpoint health until it answers: a new cluster's members come up once a quorum has started. */
async function waitForHealth(name: string, address: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await etcdctlOnHost(name, address, 'endpoint health');
      return;
    } catch (error) {
      if (attempt >= 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/** The store's revision now, as the member answers a read. */
/** Stops etcd on the lab hosts and removes its data and certificates, so the next test starts clean. */
export async function removeLabEtcd(hosts: readonly string[]): Promise<void> {
  for (const host of hosts)
    await execOnHost(host, `systemctl disable --now etcd.service; rm -rf /var/lib/etcd* ${etcdCertDir}`);
}

export async function etcdRevision(name: string, address: string): Promise<number> {
  const answer = JSON.parse(await etcdctlOnHost(name, address, 'get /airspray-test/none -w json')) as {
    header: { revision: number };
  };
  return answer.header.revision;
}

/**
 * The fixture cluster's plan with the lab hosts `extra` given the etcd role too (lab2 has it), in plan order
 * (kubespray's etcd1, etcd2, …), and `deployNode` as the deploy node (unless told, the fixture's).
 */
export async function planEtcdMembers(
  api: ApiClient,
  projectId: string,
  extra: readonly string[],
  deployNode?: string,
): Promise<void> {
  const project = await api.call('projects.open', { id: projectId });
  await api.call('projects.savePlan', {
    id: projectId,
    revision: project.revision,
    hosts: project.cluster.hosts.map((host) =>
      extra.includes(host.name) ? { ...host, roles: { ...host.roles, etcd: true } } : host,
    ),
    deployNode: deployNode ?? project.cluster.deployNode,
    settings: project.cluster.settings,
  });
}
