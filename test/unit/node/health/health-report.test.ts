import { describe, expect, it } from 'vitest';
import type { HealthReport } from '../../../../electron/common/health-api';
import { healthPage } from '../../../../electron/node/health/health-page';
import { parseEtcdMembers, parseNodes, parseSections } from '../../../../electron/node/health/read-cluster-status';

/** Two members as etcdctl 3.4.23 prints them (-w json): lab2 the leader, lab3 down. */
const etcdOutput = [
  'members {"header":{"cluster_id":1,"member_id":3319814642761637952,"raft_term":2},"members":[' +
    '{"ID":3319814642761637952,"name":"lab2","peerURLs":["https://10.231.0.12:2380"],"clientURLs":["https://10.231.0.12:2379"]},' +
    '{"ID":1234,"name":"lab3","peerURLs":["https://10.231.0.13:2380"],"clientURLs":["https://10.231.0.13:2379"]}]}',
  'health [{"endpoint":"https://10.231.0.12:2379","health":true,"took":"8.5ms"},' +
    '{"endpoint":"https://10.231.0.13:2379","health":false,"took":"5s","error":"context deadline exceeded"}]',
  'status [{"Endpoint":"https://10.231.0.12:2379","Status":{"header":{"cluster_id":1,"member_id":3319814642761637952,' +
    '"revision":1,"raft_term":2},"version":"3.4.23","dbSize":20480,"leader":3319814642761637952,"raftIndex":4}}]',
].join('\n');

const nodeList = JSON.stringify({
  items: [
    {
      metadata: { name: 'cp1', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/os': 'linux' } },
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.27.10',
          osImage: 'Debian GNU/Linux 12',
          containerRuntimeVersion: 'containerd://1.7.13',
        },
      },
    },
    {
      metadata: { name: 'w1' },
      status: {
        conditions: [{ type: 'Ready', status: 'Unknown' }],
        nodeInfo: {
          kubeletVersion: 'v1.27.10',
          osImage: 'Debian GNU/Linux 12',
          containerRuntimeVersion: 'containerd://1.7.13',
        },
      },
    },
  ],
});

describe('reading the cluster for the health report', () => {
  it('makes one row per etcd member from member list, endpoint health and status: leader, size, and why one is down', () => {
    expect(parseEtcdMembers(parseSections(etcdOutput))).toEqual([
      {
        name: 'lab2',
        endpoint: 'https://10.231.0.12:2379',
        healthy: true,
        leader: true,
        version: '3.4.23',
        dbSizeBytes: 20480,
      },
      {
        name: 'lab3',
        endpoint: 'https://10.231.0.13:2379',
        healthy: false,
        leader: false,
        error: 'context deadline exceeded',
      },
    ]);
  });

  it('reads nodes: ready only when the Ready condition is True, roles from node-role labels', () => {
    expect(parseNodes(nodeList)).toEqual([
      {
        name: 'cp1',
        ready: true,
        roles: ['control-plane'],
        kubeletVersion: 'v1.27.10',
        osImage: 'Debian GNU/Linux 12',
        containerRuntime: 'containerd://1.7.13',
      },
      expect.objectContaining({ name: 'w1', ready: false, roles: [] }),
    ]);
  });

  it('refuses output that is not kubectl’s node list', () => {
    expect(() => parseNodes('{"kind":"Status"}')).toThrow();
  });
});

const report: HealthReport = {
  madeAt: '2026-12-06T05:00:00.000Z',
  cluster: {
    name: 'prod<1>',
    kubernetesVersion: '1.27.10',
    deployNode: 'lab1',
    hosts: [{ name: 'lab2', address: '10.231.0.12', roles: ['kube_control_plane', 'etcd'] }],
  },
  bundle: { bundleId: 'ks-2.23.3', kubesprayVersion: '2.23.3', manifestSha256: 'c'.repeat(64) },
  nodes: { read: false, error: 'on lab2: /usr/local/bin/kubectl is not installed there' },
  etcd: {
    read: true,
    from: 'lab2',
    members: [{ name: 'lab2', endpoint: 'https://10.231.0.12:2379', healthy: true, leader: true, dbSizeBytes: 20480 }],
  },
  certificates: {
    read: true,
    checkedAt: '2026-12-06T05:00:00.000Z',
    hosts: [
      {
        name: 'lab2',
        address: '10.231.0.12',
        ok: true,
        files: [
          {
            path: '/etc/ssl/etcd/ssl/member-lab2.pem',
            label: 'etcd member',
            state: 'found',
            certificates: [
              {
                subject: 'CN=lab2',
                issuer: 'CN=etcd-ca',
                notBefore: '2026-12-01T00:00:00.000Z',
                notAfter: '2026-12-09T00:00:00.000Z',
                daysLeft: 2,
                isCa: false,
              },
            ],
          },
        ],
      },
    ],
  },
  lastBackup: null,
  runs: { recent: [], chain: { intact: true, records: 0, problems: [], unsealed: [] } },
};

describe('the health report page', () => {
  const page = healthPage(report);

  it('is one self-contained page: no scripts, nothing loaded from elsewhere, the names escaped', () => {
    expect(page).toContain("default-src 'none'");
    expect(page).not.toMatch(/<script|src=|href=/);
    expect(page).toContain('<h1>Cluster health: prod&#60;1&#62;</h1>');
  });

  it('says why a part could not be read and still shows the others', () => {
    expect(page).toContain('Could not be read: on lab2: /usr/local/bin/kubectl is not installed there');
    expect(page).toContain('<td>https://10.231.0.12:2379</td>');
    expect(page).toContain('No etcd backup has been taken for this project.');
    expect(page).toContain('not verified on this data folder');
  });

  it('marks a certificate under the fail threshold in red and gives the run records’ verdict', () => {
    expect(page).toContain('<td class="fail">2</td>');
    expect(page).toContain('<td>intact (0 sealed)</td>');
  });
});
