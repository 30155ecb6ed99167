import { describe, expect, it } from 'vitest';
import type { ClusterPlan } from '../../../electron/common/cluster-plan';
import { planRuleIds, validatePlan, type PlanRuleId } from '../../../electron/common/plan-validation';
import { planFindingMessage } from '../../../electron/node/i18n/format-core-message';
import { validateExtraVariables } from '../../../electron/node/inventory/extra-variables';
import { facts, host, planWith } from '../../support/cluster-plans';

const base = () => planWith(['cew', 'cew', 'cew', 'w']);
const withSettings = (plan: ClusterPlan, settings: Partial<ClusterPlan['settings']>): ClusterPlan => ({
  ...plan,
  settings: { ...plan.settings, ...settings },
});

/** The base plan with `memoryMiB` on its worker. */
const withWorkerMemory = (memoryMiB: number): ClusterPlan => ({
  ...base(),
  hosts: [...base().hosts.slice(0, 3), { ...host(4, 'w'), facts: facts('10.0.0.14', memoryMiB) }],
});
/** A case of the base plan with `trip` settings, and with `pass` settings instead. */
const settingsCase = (trip: Partial<ClusterPlan['settings']>, pass: Partial<ClusterPlan['settings']>) => ({
  trip: () => withSettings(base(), trip),
  pass: () => withSettings(base(), pass),
});

/** For each rule: a plan that trips it and a close one that does not. */
const cases: Record<
  Exclude<PlanRuleId, `extra-vars-${string}`>,
  { trip: () => ClusterPlan; pass: () => ClusterPlan }
> = {
  'control-plane-required': { trip: () => planWith(['ew']), pass: () => planWith(['cew']) },
  'worker-required': { trip: () => planWith(['ce']), pass: () => planWith(['cew']) },
  'etcd-required': { trip: () => planWith(['cw']), pass: () => planWith(['cew']) },
  'etcd-odd': { trip: () => planWith(['cew', 'cew', 'w']), pass: () => planWith(['cew', 'cw', 'w']) },
  'host-name-invalid': {
    trip: () => ({ ...planWith(['cew']), hosts: [{ ...host(1, 'cew'), name: 'Node_1' }], deployNode: 'Node_1' }),
    pass: () => ({ ...planWith(['cew']), hosts: [{ ...host(1, 'cew'), name: 'node-1' }], deployNode: 'node-1' }),
  },
  'host-name-duplicate': {
    trip: () => ({ ...base(), hosts: [host(1, 'cew'), { ...host(2, 'w'), name: 'node1' }] }),
    pass: () => ({ ...base(), hosts: [host(1, 'cew'), host(2, 'w')] }),
  },
  'address-duplicate': {
    trip: () => ({
      ...base(),
      hosts: [host(1, 'cew'), { ...host(2, 'w'), address: '10.0.0.11', facts: facts('10.0.0.11') }],
    }),
    pass: () => ({ ...base(), hosts: [host(1, 'cew'), host(2, 'w')] }),
  },
  'address-not-on-host': {
    trip: () => ({ ...base(), hosts: [{ ...host(1, 'cew'), facts: facts('10.0.0.99') }, host(2, 'w')] }),
    pass: () => ({ ...base(), hosts: [host(1, 'cew'), host(2, 'w')] }),
  },
  'facts-missing': {
    trip: () => ({ ...base(), hosts: [host(1, 'cew', false)] }),
    pass: () => ({ ...base(), hosts: [host(1, 'cew')] }),
  },
  'host-without-role': { trip: () => planWith(['cew', '']), pass: () => planWith(['', 'cew']) },
  'deploy-node-required': { trip: () => ({ ...base(), deployNode: null }), pass: () => base() },
  'pod-cidr-invalid': settingsCase({ podCidr: '10.233.64.0/40' }, { podCidr: '10.244.0.0/16' }),
  'service-cidr-invalid': settingsCase({ serviceCidr: 'services' }, { serviceCidr: '10.96.0.0/12' }),
  'cidrs-overlap': settingsCase(
    { podCidr: '10.233.0.0/16', serviceCidr: '10.233.0.0/18' },
    { podCidr: '10.233.64.0/18', serviceCidr: '10.233.0.0/18' },
  ),
  'cidr-overlaps-node-network': settingsCase({ podCidr: '10.0.0.0/16' }, { podCidr: '10.1.0.0/16' }),
  'node-prefix-too-small': settingsCase({ nodePrefix: 16 }, { nodePrefix: 18 }),
  'pod-addresses-insufficient': {
    // A /22 pod network in /24 slices has room for 4 nodes; the plan has 5.
    trip: () => withSettings(planWith(['cew', 'cew', 'cew', 'w', 'w']), { podCidr: '10.233.64.0/22' }),
    pass: () => withSettings(planWith(['cew', 'cew', 'cew', 'w']), { podCidr: '10.233.64.0/22' }),
  },
  'load-balancing-required': {
    trip: () => withSettings(base(), { apiLoadBalancing: { mode: 'none' } }),
    pass: () => withSettings(planWith(['cew', 'w']), { apiLoadBalancing: { mode: 'none' } }),
  },
  'virtual-address-taken': settingsCase(
    { apiLoadBalancing: { mode: 'kube-vip', address: '10.0.0.11' } },
    { apiLoadBalancing: { mode: 'kube-vip', address: '10.0.0.100' } },
  ),
  'memory-too-small': { trip: () => withWorkerMemory(900), pass: () => withWorkerMemory(2048) },
  'bundle-missing': { trip: () => ({ ...base(), bundle: null }), pass: () => base() },
  'kubernetes-version-required': { trip: () => withSettings(base(), { kubernetesVersion: '' }), pass: () => base() },
  'kubernetes-version-not-in-bundle': settingsCase({ kubernetesVersion: '1.29.0' }, { kubernetesVersion: '1.26.13' }),
  'network-plugin-not-in-bundle': settingsCase({ networkPlugin: 'flannel' }, { networkPlugin: 'cilium' }),
  'calico-rr-needs-calico': {
    trip: () => withSettings(planWith(['cew', 'wr']), { networkPlugin: 'cilium' }),
    pass: () => planWith(['cew', 'wr']),
  },
};

const rulesOf = (plan: ClusterPlan) => validatePlan(plan).map((finding) => finding.rule);

describe('validatePlan', () => {
  it('finds nothing wrong with a sound three-control-plane plan', () => {
    expect(validatePlan(base())).toEqual([]);
  });

  it('has a case for every rule', () => {
    const covered = [...Object.keys(cases), 'extra-vars-invalid', 'extra-vars-secret', 'extra-vars-managed'];
    expect(covered.sort()).toEqual([...planRuleIds].sort());
  });

  for (const [rule, { trip, pass }] of Object.entries(cases)) {
    it(`${rule}: trips on a bad plan, names where and how to fix`, () => {
      const findings = validatePlan(trip()).filter((finding) => finding.rule === rule);
      expect(findings.length).toBeGreaterThan(0);
      for (const finding of findings) {
        expect(finding.host ?? finding.field).toBeTruthy();
        // Every value the English message takes is given: a missing one throws, a stray brace would show.
        expect(planFindingMessage(finding)).toMatch(/^[^{}]*:[^{}]*$/);
      }
    });
    it(`${rule}: passes the corrected plan`, () => {
      expect(rulesOf(pass())).not.toContain(rule);
    });
  }

  it('ranks role and address mistakes as errors and advice as warnings', () => {
    const severities = Object.fromEntries(
      validatePlan(planWith(['cew', ''])).map((finding) => [finding.rule, finding.severity]),
    );
    expect(severities['host-without-role']).toBe('warning');
    expect(validatePlan(planWith(['ew'])).find((finding) => finding.rule === 'control-plane-required')?.severity).toBe(
      'error',
    );
  });
});

describe('the values a finding carries for its message', () => {
  it('etcd-odd: the count and the two odd counts beside it', () => {
    const [finding] = validatePlan(planWith(['cew', 'cew', 'w'])).filter((entry) => entry.rule === 'etcd-odd');
    expect(finding?.params).toEqual({ count: 2, fewer: 1, more: 3 });
  });
  it('address-not-on-host: the host, the typed address and the addresses it has', () => {
    const plan = { ...base(), hosts: [{ ...host(1, 'cew'), facts: facts('10.0.0.99') }, host(2, 'w')] };
    const [finding] = validatePlan(plan).filter((entry) => entry.rule === 'address-not-on-host');
    expect(finding?.params).toEqual({ host: 'node1', address: '10.0.0.11', addressCount: 1, addresses: '10.0.0.99' });
  });
  it('deploy-node-required: whether one was chosen selects the sentence', () => {
    const none = validatePlan({ ...base(), deployNode: null }).find((entry) => entry.rule === 'deploy-node-required');
    const gone = validatePlan({ ...base(), deployNode: 'gone' }).find((entry) => entry.rule === 'deploy-node-required');
    expect([none?.params, gone?.params]).toEqual([
      { chosen: 'no', deployNode: '' },
      { chosen: 'yes', deployNode: 'gone' },
    ]);
  });
  it('memory-too-small: which minimum the host misses', () => {
    const small = (memoryMiB: number, roles: string) => {
      const plan = { ...base(), hosts: [{ ...host(1, roles), facts: { ...facts('10.0.0.11'), memoryMiB } }] };
      return validatePlan(plan).find((entry) => entry.rule === 'memory-too-small')?.params;
    };
    expect([small(1500, 'cew'), small(900, 'w'), small(2048, 'c')]).toEqual([
      { need: 'controlPlane', host: 'node1', memory: 1500, minimum: 1700 },
      { need: 'node', host: 'node1', memory: 900, minimum: 1024 },
      { need: 'recommended', host: 'node1', memory: 2048, minimum: 4096 },
    ]);
  });
});

describe('validateExtraVariables', () => {
  it('extra-vars-invalid: trips on text that is not a YAML mapping, passes a mapping', () => {
    expect(validateExtraVariables('- a\n- b')).toEqual([
      expect.objectContaining({ rule: 'extra-vars-invalid', params: { notMapping: 'yes', problem: '' } }),
    ]);
    expect(validateExtraVariables('key: [unclosed').map((finding) => finding.rule)).toEqual(['extra-vars-invalid']);
    expect(validateExtraVariables('etcd_data_dir: /var/lib/etcd\n')).toEqual([]);
  });
  it('extra-vars-secret: trips on a password variable, passes an ordinary one', () => {
    expect(validateExtraVariables('ansible_become_password: hunter2').map((finding) => finding.rule)).toEqual([
      'extra-vars-secret',
    ]);
    expect(validateExtraVariables('ansible_become: true')).toEqual([]);
  });
  it('extra-vars-managed: trips on a variable a setting owns, passes one it does not', () => {
    const findings = validateExtraVariables('kube_version: v1.28.0');
    expect(findings.map((finding) => finding.rule)).toEqual(['extra-vars-managed']);
    expect(findings[0]?.params).toEqual({ name: 'kube_version' });
    expect(validateExtraVariables('kubelet_max_pods: 200')).toEqual([]);
  });
});
