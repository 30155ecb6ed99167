import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AirsprayError } from '../../../../electron/common/errors';
import { apiEndpointOf, serverUrlOf } from '../../../../electron/node/cluster/api-endpoint';
import { pointKubeconfigAt } from '../../../../electron/node/cluster/kubeconfig';
import { renderInventory } from '../../../../electron/node/inventory/render-inventory';
import { planWith } from '../../../support/cluster-plans';

/** admin.conf as kubeadm writes it (data shortened). */
const adminConf = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    server: https://127.0.0.1:6443
  name: cluster.local
contexts:
- context:
    cluster: cluster.local
    user: kubernetes-admin
  name: kubernetes-admin@cluster.local
current-context: kubernetes-admin@cluster.local
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=
`;

describe('pointing admin.conf at the API endpoint', () => {
  it('rewrites only the server and keeps every other line', () => {
    const { text, previousServers } = pointKubeconfigAt(adminConf, 'https://10.0.0.100:8443');
    expect(previousServers).toEqual(['https://127.0.0.1:6443']);
    expect(text).toBe(adminConf.replace('https://127.0.0.1:6443', 'https://10.0.0.100:8443'));
  });

  it('refuses text that is not a kubeconfig, naming what is missing', () => {
    const attempt = (text: string) => {
      try {
        pointKubeconfigAt(text, 'https://10.0.0.1:6443');
      } catch (error) {
        return error as AirsprayError;
      }
      throw new Error('accepted');
    };
    expect(attempt('kind: Config\nclusters: []\nusers: [{name: a}]\n').message).toContain('clusters');
    expect(attempt(adminConf.replace('    server: https://127.0.0.1:6443\n', '')).message).toContain(
      'clusters.0.cluster.server',
    );
    const broken = attempt('kind: Config\nclusters: [\n');
    expect(broken).toBeInstanceOf(AirsprayError);
    expect(broken.i18n?.id).toBe('cluster.admin-conf-not-yaml');
    expect(broken.field).toBe('kubeconfig');
  });
});

describe('the API endpoint of a plan', () => {
  const layout = ['cew', 'cew', 'cew', 'w'];

  it('is the first control plane on 6443 without a load balancer or with the local proxy', () => {
    const plan = planWith(['w', 'cew', 'cew']);
    expect(apiEndpointOf(plan)).toEqual({ address: '10.0.0.12', port: 6443, source: 'first-control-plane' });
    const none = { ...plan, settings: { ...plan.settings, apiLoadBalancing: { mode: 'none' as const } } };
    expect(serverUrlOf(apiEndpointOf(none))).toBe('https://10.0.0.12:6443');
  });

  it('is the external load balancer or the kube-vip address, exactly as the exported inventory names it', () => {
    const base = planWith(layout);
    const external = {
      ...base,
      settings: {
        ...base.settings,
        apiLoadBalancing: { mode: 'external' as const, address: '10.0.0.200', port: 8443 },
      },
    };
    const vip = {
      ...base,
      settings: { ...base.settings, apiLoadBalancing: { mode: 'kube-vip' as const, address: '10.0.0.201' } },
    };
    for (const [plan, expected] of [
      [external, { address: '10.0.0.200', port: 8443, source: 'external-load-balancer' }],
      [vip, { address: '10.0.0.201', port: 6443, source: 'kube-vip' }],
    ] as const) {
      expect(apiEndpointOf(plan)).toEqual(expected);
      const allYml = renderInventory(plan, { generatorVersion: 'test' }).find(
        (file) => file.path === 'group_vars/all/all.yml',
      )!;
      expect(parse(allYml.content).loadbalancer_apiserver).toEqual({ address: expected.address, port: expected.port });
    }
  });

  it('names the Roles step when the plan has no control plane', () => {
    expect(() => apiEndpointOf(planWith(['w', 'w']))).toThrow(
      expect.objectContaining({ field: 'hosts', i18n: { id: 'roles.no-control-plane', params: {} } }),
    );
  });
});
