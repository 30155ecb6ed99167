import { describe, expect, it } from 'vitest';
import { check as preflightCheck } from '../../../electron/node/access/kubespray-checks';
import type { AccessProgress } from '../../../electron/common/access-api';
import type { CredentialInput } from '../../../electron/common/credentials';
import type { FactsOutcome, HostFacts, PreflightCheck } from '../../../electron/common/host-facts';
import type { ProjectDocument } from '../../../electron/common/project';
import { ApiCallError } from '../../../renderer/api/api-call-error';
import { coreCatalogs } from '../../../renderer/i18n/catalogs';
import { failedIds, parseAccessHosts } from '../../../renderer/store/access-hosts';
import { selectChangedKeys, selectHostsForPlan, selectUnknownKeys } from '../../../renderer/store/access-slice';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { projectDocument, ScriptedApi, settle } from './scripted-api';
import { formatIn } from '../../../renderer/i18n/english-intl';

const address = (index: number) => `10.0.0.${10 + index}`;
const facts = (index: number): HostFacts => ({
  hostname: `node${index}.dc1.example`,
  os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  kernel: '6.1.0-27-amd64',
  arch: 'x86_64',
  cpus: 4,
  memoryMiB: 7936,
  swapMiB: 0,
  disks: [{ name: 'sda', sizeMiB: 102_400 }],
  freeMiB: { root: 60_000, var: 60_000 },
  interfaces: [
    { name: 'lo', addresses: ['127.0.0.1/8', '::1/128'] },
    { name: 'eth0', mac: `52:54:00:00:00:0${index}`, addresses: [`${address(index)}/24`, 'fe80::1/64'] },
  ],
  machineId: `${index}`.repeat(32),
  clockOffsetMs: 3,
  selinux: 'absent',
  apparmor: 'enabled',
  firewall: [],
  portsInUse: [],
  existing: { containerRuntimes: [], kubelet: false, kubeconfig: false },
  python3: '3.11.2',
  sudo: 'works',
});
const python3 = preflightCheck('python3', 'preflight.python3.title');
const check = (status: 'pass' | 'fail'): PreflightCheck =>
  status === 'pass'
    ? python3.pass('preflight.python3.present', { version: '3.11.2' })
    : python3.fail('preflight.python3.missing');
const ok = (index: number, checks: PreflightCheck[] = []): FactsOutcome => ({
  state: 'ok',
  address: address(index),
  hostKey: { keyType: 'ssh-ed25519', fingerprint: `SHA256:key${index}` },
  facts: facts(index),
  checks,
});
const unknownKey = (index: number): FactsOutcome => ({
  state: 'failed',
  address: address(index),
  kind: 'host-key-unknown',
  message: 'Unknown host key.',
  presentedKey: { keyType: 'ssh-ed25519', fingerprint: `SHA256:key${index}` },
});
const changedKey = (index: number): FactsOutcome => ({
  state: 'failed',
  address: address(index),
  kind: 'host-key-changed',
  message: 'The host key changed.',
  presentedKey: { keyType: 'ssh-ed25519', fingerprint: 'SHA256:new' },
  knownKeys: [{ keyType: 'ssh-ed25519', fingerprint: 'SHA256:old' }],
});
const opsPassword: CredentialInput = {
  label: 'ops',
  user: 'ops',
  auth: { kind: 'password', password: 's3cret-pass' },
  sudoPassword: 's3cret-sudo',
};

/** An API that numbers its facts runs; the test emits their progress. */
function accessApi() {
  let runs = 0;
  return new ScriptedApi()
    .on('credentials.list', () => [])
    .on('credentials.add', ({ credential }) => ({
      id: 'cred-1',
      label: credential.label,
      user: credential.user,
      kind: credential.auth.kind,
      hasSudoPassword: Boolean(credential.sudoPassword),
      persisted: false,
    }))
    .on('access.collectFacts', ({ hosts }) => ({ runId: `run-${++runs}`, total: hosts.length }))
    .on('access.acceptHostKeys', ({ keys }) => ({
      accepted: keys.map((key) => ({ address: key.address, keyType: 'ssh-ed25519', fingerprint: key.fingerprint })),
    }));
}

const progress = (runId: string, done: number, total: number, outcome: FactsOutcome): AccessProgress => ({
  runId,
  done,
  total,
  outcome,
  finished: false,
});
const finished = (runId: string, outcomes: FactsOutcome[]): AccessProgress => ({
  runId,
  done: outcomes.length,
  total: outcomes.length,
  finished: true,
  outcomes,
});

async function storeWithProfile(api = accessApi()) {
  const store = createAirsprayStore(api);
  const stop = store.getState().watchAccess();
  expect(await store.getState().addCredential(opsPassword, false)).toBe(true);
  return { api, store, stop };
}

describe('access slice', () => {
  it('adds a profile without keeping any secret in the store, and shows a refusal on the field it names', async () => {
    const api = accessApi();
    const store = createAirsprayStore(api);
    expect(await store.getState().addCredential(opsPassword, false)).toBe(true);
    expect(store.getState().selectedCredentialId).toBe('cred-1');
    expect(store.getState().credentials).toEqual([expect.objectContaining({ label: 'ops', hasSudoPassword: true })]);
    expect(JSON.stringify(store.getState())).not.toMatch(/s3cret/);

    api.refuses(
      'credentials.add',
      new ApiCallError(
        'unsupported',
        'The profile cannot be saved encrypted (this shell has no OS keychain to encrypt it): add it without saving.',
        'persist',
      ),
    );
    expect(await store.getState().addCredential(opsPassword, true)).toBe(false);
    expect(store.getState().credentialError).toEqual({
      field: 'persist',
      message: expect.stringContaining('cannot be saved encrypted'),
    });
    api.refuses(
      'credentials.add',
      new ApiCallError(
        'invalid_params',
        'credentials.add: field "credential.auth.password": Password is empty: type the SSH password.',
        'credential.auth.password',
      ),
    );
    await store.getState().addCredential(opsPassword, false);
    expect(store.getState().credentialError?.field).toBe('password');
    expect(store.getState().credentials).toHaveLength(1);
  });

  it('parses the hosts field and names a bad token; needs a profile before collecting', async () => {
    expect(parseAccessHosts('10.0.0.11, 10.0.0.12:2222\n10.0.0.11')).toEqual([
      { address: '10.0.0.11', port: 22 },
      { address: '10.0.0.12', port: 2222 },
    ]);
    expect(parseAccessHosts('10.0.0.11 10.0.0.256')).toBe(
      formatIn('en', 'access.hosts.invalid', { token: '10.0.0.256' }),
    );
    expect(parseAccessHosts('  ', 'zh-CN')).toBe(formatIn('zh-CN', 'access.hosts.none'));

    const api = accessApi();
    const store = createAirsprayStore(api);
    store.getState().setAccessHostsText('10.0.0.11');
    await store.getState().collectFacts();
    expect(store.getState().factsError).toMatch(/credential profile/);
    await store.getState().addCredential(opsPassword, false);
    expect(store.getState().factsError).toBeNull();
    store.getState().setAccessHostsText('10.0.0.11 db-1');
    await store.getState().collectFacts();
    expect(store.getState().accessHostsError).toMatch(/^"db-1"/);
    expect(api.callsOf('access.collectFacts')).toEqual([]);
  });

  it('shows each host as it answers, then the checks of the whole run; lists unknown and changed keys', async () => {
    const { api, store, stop } = await storeWithProfile();
    const project = projectDocument();
    store.setState({ currentProject: project });
    store.getState().setAccessHosts([1, 2, 3].map((index) => ({ address: address(index), port: 22 })));
    void store.getState().collectFacts();
    api.emit('access.progress', progress('run-1', 1, 3, ok(1)));
    await settle();
    expect(api.callsOf('access.collectFacts')).toEqual([
      {
        projectId: project.id,
        credentialId: 'cred-1',
        hosts: [1, 2, 3].map((index) => ({ address: address(index), port: 22 })),
      },
    ]);
    expect(store.getState().factsRun).toMatchObject({ id: 'run-1', phase: 'running', done: 1, total: 3 });
    expect(store.getState().hostAccess.map((host) => host.outcome?.state ?? 'pending')).toEqual([
      'ok',
      'pending',
      'pending',
    ]);

    api.emit('access.progress', progress('run-1', 2, 3, unknownKey(2)));
    api.emit('access.progress', progress('run-1', 3, 3, changedKey(3)));
    api.emit('access.progress', finished('run-1', [ok(1, [check('pass')]), unknownKey(2), changedKey(3)]));
    expect(store.getState().factsRun?.phase).toBe('finished');
    expect(store.getState().hostAccess[0]?.outcome).toMatchObject({ state: 'ok', checks: [{ status: 'pass' }] });
    expect(selectUnknownKeys(store.getState()).map((host) => host.address)).toEqual([address(2)]);
    expect(selectChangedKeys(store.getState()).map((host) => host.address)).toEqual([address(3)]);

    store.getState().refuseHostKeys([address(2)]);
    expect(selectUnknownKeys(store.getState())).toEqual([]);
    stop();
  });

  it('accepts listed keys by the fingerprint shown, then collects again for them and the hosts that answered', async () => {
    const { api, store, stop } = await storeWithProfile();
    store.getState().setAccessHosts([1, 2, 3].map((index) => ({ address: address(index), port: 22 })));
    await store.getState().collectFacts();
    api.emit('access.progress', finished('run-1', [ok(1), unknownKey(2), changedKey(3)]));

    await store.getState().acceptHostKeys([address(2), address(3)]);
    // The changed key is never sent: only unknown ones can be accepted.
    expect(api.callsOf('access.acceptHostKeys')).toEqual([
      { keys: [{ address: address(2), port: 22, fingerprint: 'SHA256:key2' }] },
    ]);
    expect(api.callsOf('access.collectFacts')[1]?.hosts).toEqual([
      { address: address(1), port: 22 },
      { address: address(2), port: 22 },
    ]);
    expect(store.getState().hostAccess.map((host) => host.outcome?.state ?? 'pending')).toEqual([
      'pending',
      'pending',
      'failed',
    ]);
    api.emit('access.progress', finished('run-2', [ok(1), ok(2)]));
    expect(store.getState().hostAccess.map((host) => host.outcome?.state)).toEqual(['ok', 'ok', 'failed']);
    stop();
  });

  it('keeps the keys listed and says why when accepting is refused', async () => {
    const { api, store, stop } = await storeWithProfile();
    api.refuses(
      'access.acceptHostKeys',
      new ApiCallError(
        'not_found',
        '10.0.0.12 has not presented SHA256:key2 in this session: collect facts again.',
        'keys',
      ),
    );
    store.getState().setAccessHostsText(address(2));
    await store.getState().collectFacts();
    api.emit('access.progress', finished('run-1', [unknownKey(2)]));
    await store.getState().acceptHostKeys([address(2)]);
    expect(store.getState().hostKeyError).toMatch(/has not presented/);
    expect(selectUnknownKeys(store.getState())).toHaveLength(1);
    expect(api.callsOf('access.collectFacts')).toHaveLength(1);
    stop();
  });

  it("shows a refusal the core sent by id in the window's language, and its English text otherwise", async () => {
    const { api, store, stop } = await storeWithProfile();
    const english = 'The host key list holds no key: give a known_hosts file or a fingerprint list.';
    api.refuses(
      'access.acceptListedHostKeys',
      new ApiCallError('invalid_params', english, 'list', { id: 'ssh.host-key-list-empty', params: {} }),
    );
    await store.getState().acceptListedHostKeys('# nothing');
    expect(store.getState().hostKeyError).toBe(english);
    store.setState({ locale: 'zh-CN' });
    await store.getState().acceptListedHostKeys('# nothing');
    expect(store.getState().hostKeyError).toBe(coreCatalogs['zh-CN']['ssh.host-key-list-empty']);
    stop();
  });

  it('names what failed on each host for the filter, and chooses exactly the hosts a filter shows for the plan', async () => {
    const { api, store, stop } = await storeWithProfile();
    store.getState().setAccessHosts([1, 2, 3, 4].map((index) => ({ address: address(index), port: 22 })));
    void store.getState().collectFacts();
    api.emit(
      'access.progress',
      finished('run-1', [ok(1, [check('pass')]), ok(2, [check('fail')]), ok(3), unknownKey(4)]),
    );
    await settle();
    const hosts = store.getState().hostAccess;
    expect(hosts.map((host) => failedIds(host.outcome))).toEqual([[], ['python3'], [], ['host-key-unknown']]);
    expect(selectHostsForPlan(store.getState()).map((host) => host.address)).toEqual([address(1), address(3)]);
    // The failing host and one other shown by a filter, one not answered: only the answered ones shown are chosen.
    store.getState().chooseOnlyForPlan([address(2), address(3), address(4)]);
    expect(selectHostsForPlan(store.getState()).map((host) => host.address)).toEqual([address(2), address(3)]);
    stop();
  });

  it('puts hosts without failed checks into the plan, keeping roles of hosts already there, and retries over a newer save', async () => {
    const initial = projectDocument({ revision: 3 });
    let saved: ProjectDocument = {
      ...initial,
      cluster: {
        ...initial.cluster,
        hosts: [
          {
            name: 'node1',
            address: '10.0.0.99',
            roles: { controlPlane: true, etcd: true, worker: false, calicoRr: false },
          },
          {
            name: 'typed',
            address: '10.0.0.50',
            roles: { controlPlane: false, etcd: false, worker: true, calicoRr: false },
          },
        ],
      },
    };
    const { api, store, stop } = await storeWithProfile();
    api
      .on('projects.open', () => saved)
      .on('projects.setHosts', ({ revision, hosts }) => {
        if (revision !== saved.revision) throw new ApiCallError('stale_revision', 'Another window saved first.');
        saved = {
          ...saved,
          revision: revision + 1,
          cluster: {
            ...saved.cluster,
            hosts: hosts.map((host) => ({
              roles: { controlPlane: false, etcd: false, worker: false, calicoRr: false },
              ...host,
            })),
          },
        };
        return saved;
      });
    store.setState({ currentProject: { ...saved, revision: 2 } });
    store.getState().setAccessHosts([1, 2, 3].map((index) => ({ address: address(index), port: 22 })));
    await store.getState().collectFacts();
    // lab3's kernel lacks ip_vs: kube-proxy in iptables mode would do, so that failure alone keeps no host out.
    const noIpvs = preflightCheck('module-ip_vs', 'preflight.module.title', { name: 'ip_vs' }).failUnlessSet(
      'preflight.module.missing-required',
      { name: 'ip_vs', kernel: '6.1.0', reason: 'ipvs' },
    );
    api.emit('access.progress', finished('run-1', [ok(1, [check('pass')]), ok(2, [check('fail')]), ok(3, [noIpvs])]));
    expect(selectHostsForPlan(store.getState()).map((host) => host.address)).toEqual([address(1), address(3)]);
    store.getState().setUseInPlan(address(3), false);

    await store.getState().addHostsToPlan();
    const calls = api.callsOf('projects.setHosts');
    expect(calls.map((call) => call.revision)).toEqual([2, 3]);
    expect(calls[1]?.hosts).toEqual([
      {
        name: 'typed',
        address: '10.0.0.50',
        roles: { controlPlane: false, etcd: false, worker: true, calicoRr: false },
      },
      {
        name: 'node1',
        address: address(1),
        roles: { controlPlane: true, etcd: true, worker: false, calicoRr: false },
        facts: {
          os: { id: 'debian', version: '12' },
          arch: 'x86_64',
          cpus: 4,
          memoryMiB: 7936,
          addresses: [{ address: address(1), prefixLength: 24 }],
          collectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      },
    ]);
    expect(store.getState().currentProject?.revision).toBe(4);
    expect(store.getState().useHostsResult).toEqual({
      kind: 'ok',
      text: formatIn('en', 'access.useHosts.saved', { hosts: 'node1', count: 1, project: 'prod-dc1' }),
    });

    store.getState().setUseInPlan(address(2), true);
    store.getState().setUseInPlan(address(1), false);
    expect(selectHostsForPlan(store.getState()).map((host) => host.address)).toEqual([address(2)]);
    stop();
  });
});
