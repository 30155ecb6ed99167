import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../../../../electron/common/host-facts';
import { kubespray223Platforms, runPreflightChecks } from '../../../../electron/node/access/preflight';
import { sampleFacts } from '../../../support/host-facts';

const hostChecks = ['os', 'arch', 'swap', 'clock', 'disk', 'python3', 'sudo', 'ports', 'existing-cluster'];
const outcomes = (facts: HostFacts, everyHost: { address: string; facts: HostFacts }[] = []) =>
  runPreflightChecks('10.0.0.1', facts, { platforms: kubespray223Platforms, everyHost }).filter(
    (check) => hostChecks.includes(check.id) || check.id.startsWith('unique-'),
  );

describe("pre-flight checks of the host's own facts", () => {
  it('passes a healthy host, each check under its own id and title', () => {
    expect(outcomes(sampleFacts()).map(({ id, status, title }) => `${id} ${status}: ${title}`)).toEqual([
      'os pass: Operating system supported',
      'arch pass: Architecture supported',
      'swap pass: Swap',
      'unique-hostname pass: Unique hostname',
      'unique-machine-id pass: Unique machine-id',
      'unique-product-uuid pass: Unique product_uuid',
      'clock pass: Clock in step with the laptop',
      'disk pass: Free disk space',
      'python3 pass: Python 3 present',
      'sudo pass: sudo works',
      'ports pass: Kubernetes ports free',
      'existing-cluster pass: No existing cluster',
    ]);
  });

  it('warns and fails with what was found and the fix', () => {
    const facts = sampleFacts({
      os: { id: 'alpine', versionId: '3.19', prettyName: 'Alpine Linux v3.19' },
      swapMiB: 1024,
      clockOffsetMs: 5000,
      freeMiB: { var: 1024 },
      python3: undefined,
      sudo: 'no-password-given',
      portsInUse: [6443],
      existing: { containerRuntimes: ['containerd'], kubelet: true, kubeconfig: false },
    });
    const twin = { address: '10.0.0.2', facts: sampleFacts() };
    const byId = new Map(outcomes(facts, [twin]).map((check) => [check.id, check]));
    expect([...byId].map(([id, check]) => `${id} ${check.status}`)).toEqual([
      'os fail',
      'arch pass',
      'swap warn',
      'unique-hostname fail',
      'unique-machine-id fail',
      'unique-product-uuid pass',
      'clock warn',
      'disk fail',
      'python3 fail',
      'sudo warn',
      'ports fail',
      'existing-cluster warn',
    ]);
    expect(byId.get('unique-hostname')?.i18n).toEqual({
      title: { id: 'preflight.unique.title', params: { what: 'hostname', iface: '' } },
      message: {
        id: 'preflight.unique.clash',
        params: { what: 'hostname', iface: '', value: 'node1', twins: '10.0.0.2' },
      },
    });
    expect(byId.get('ports')?.i18n.message).toEqual({ id: 'preflight.ports.busy', params: { ports: '6443' } });
    expect(byId.get('python3')?.i18n.message).toEqual({ id: 'preflight.python3.missing', params: {} });
    // The CLI's English from the same ids, unchanged.
    expect(byId.get('unique-hostname')?.message).toBe(
      'hostname node1 is also on 10.0.0.2: give every node its own hostname (hostnamectl set-hostname).',
    );
    expect(byId.get('ports')?.message).toMatch(/^Port 6443 already has a listener: stop that service/);
    expect(byId.get('python3')?.message).toMatch(/^No python3: Ansible needs it on every node/);
  });

  it('fails sudo that refused the password', () => {
    expect(outcomes(sampleFacts({ sudo: 'refused' })).find((check) => check.id === 'sudo')).toMatchObject({
      status: 'fail',
      title: 'sudo works',
      message: expect.stringMatching(/^sudo refused this user: add the user to the sudo \(or wheel\) group/),
    });
  });
});
