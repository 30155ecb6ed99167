import { describe, expect, it } from 'vitest';
import type { HealthReport } from '../../../../electron/common/health-api';
import { healthPage } from '../../../../electron/node/health/health-page';
import { parseEtcdMembers, parseSections } from '../../../../electron/node/etcd/member-status';
import { reportLanguage } from '../../../../electron/node/reports/report-strings';

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

describe('reading etcd for the health report', () => {
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
  nodes: {
    read: true,
    from: 'lab2',
    nodes: [
      { name: 'lab2', ready: 'True', roles: ['control-plane'], kubeletVersion: 'v1.27.10' },
      {
        name: 'lab3',
        ready: 'Unknown',
        roles: [],
        kubeletVersion: 'v1.27.10',
        readyMessage: 'Kubelet stopped posting node status.',
      },
    ],
  },
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

const english = reportLanguage('en');

describe('the health report page', () => {
  const page = healthPage(report, english);

  it('is one self-contained page: no scripts, nothing loaded from elsewhere, the names escaped', () => {
    expect(page).toContain("default-src 'none'");
    expect(page).not.toMatch(/<script|src=|href=/);
    expect(page).toContain('<h1>Cluster health: prod&#60;1&#62;</h1>');
  });

  it('shows each node, red when not Ready with the reason', () => {
    expect(page).toContain('<td>lab3</td><td class="fail">no</td>');
    expect(page).toContain('<td>Kubelet stopped posting node status.</td>');
  });

  it('says why a part could not be read and still shows the others', () => {
    const unread = healthPage(
      { ...report, certificates: { read: false, error: 'on lab3: sudo: a password is required' } },
      english,
    );
    expect(unread).toContain('Could not be read: on lab3: sudo: a password is required');
    expect(unread).toContain('<td>https://10.231.0.12:2379</td>');
    expect(page).toContain('<td>https://10.231.0.12:2379</td>');
    expect(page).toContain('No etcd backup has been taken for this project.');
    expect(page).toContain('not verified on this data folder');
  });

  it('marks a certificate under the fail threshold in red and gives the run records’ verdict', () => {
    expect(page).toContain('<td class="fail">2</td>');
    expect(page).toContain('<td>intact (0 sealed)</td>');
  });

  it('is in English with lang="en" and its time in UTC as English writes it', () => {
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<h2>Nodes</h2>');
    expect(page).toContain('<tr><th>Made at</th><td>Dec 6, 2026, 05:00:00 UTC</td></tr>');
  });

  it('is in Simplified Chinese when made in 简体中文: headings, labels, yes/no, the date, lang="zh-CN"', () => {
    const chinese = healthPage(report, reportLanguage('zh-CN'));
    expect(chinese).toContain('<html lang="zh-CN">');
    expect(chinese).toContain('<h1>集群健康状况：prod&#60;1&#62;</h1>');
    for (const heading of ['节点', '证书', '规划中的主机', '运行']) expect(chinese).toContain(`<h2>${heading}</h2>`);
    expect(chinese).toContain('<td>lab3</td><td class="fail">否</td>');
    expect(chinese).toContain('<tr><th>生成时间</th><td>2026年12月6日 UTC 05:00:00</td></tr>');
    expect(chinese).toContain('此项目还没有 etcd 备份。');
    expect(chinese).not.toMatch(/Nodes|Certificates|Made at|not verified/);
  });
});
