import { describe, expect, it } from 'vitest';
import type { SweepProgress, SweepResult } from '../../../electron/common/discovery';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { mergeByAddress, selectSelectedHosts, selectSshHosts } from '../../../renderer/store/discovery-slice';
import { ScriptedApi, settle } from './scripted-api';
import { formatIn } from '../../../renderer/i18n/english-intl';

const ssh = (last: number, port = 22): SweepResult => ({
  address: `10.0.0.${last}`,
  class: 'ssh',
  port,
  banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3',
});
const silent = (last: number): SweepResult => ({ address: `10.0.0.${last}`, class: 'silent' });

/** A discovery.progress event of sweep-1 over 254 addresses, still running, with `fields` over those. */
const progress = (fields: Partial<SweepProgress> & Pick<SweepProgress, 'scanned' | 'found' | 'results'>) => ({
  sweepId: 'sweep-1',
  total: 254,
  state: 'running' as const,
  ...fields,
});

function sweepingApi() {
  return new ScriptedApi()
    .on('discovery.start', () => ({ sweepId: 'sweep-1', total: 254 }))
    .on('discovery.cancel', () => ({ cancelled: true }));
}

/** A store over sweepingApi that watches discovery events; `stop` ends the watch. */
function watchingSweeps() {
  const api = sweepingApi();
  const store = createAirsprayStore(api);
  return { api, store, stop: store.getState().watchDiscovery() };
}

describe('discovery slice', () => {
  it('streams batches of results for its own sweep, counting progress, and ignores other sweeps', async () => {
    const { api, store, stop } = watchingSweeps();
    store.getState().setDiscoveryTargets('10.0.0.0/24');
    store.getState().setDiscoveryPorts('22, 2222');
    void store.getState().startSweep();
    // An event can beat the reply that names the sweep: it is held, then applied.
    api.emit(
      'discovery.progress',
      progress({ scanned: 2, found: 1, ratePerSecond: 1900, etaSeconds: 1, results: [ssh(11), silent(2)] }),
    );
    expect(store.getState().sweep.phase).toBe('starting');
    await settle();
    expect(api.callsOf('discovery.start')).toEqual([{ targets: '10.0.0.0/24', ports: [22, 2222] }]);
    expect(store.getState().sweep).toMatchObject({
      id: 'sweep-1',
      phase: 'running',
      scanned: 2,
      found: 1,
      ratePerSecond: 1900,
      etaSeconds: 1,
    });

    api.emit(
      'discovery.progress',
      progress({ sweepId: 'other', scanned: 9, found: 9, results: [ssh(99)], state: 'finished', total: 9 }),
    );
    api.emit('discovery.progress', progress({ scanned: 254, found: 2, results: [ssh(12, 2222)], state: 'finished' }));
    expect(store.getState().sweep).toMatchObject({ phase: 'finished', scanned: 254, found: 2 });
    // Kept in address order as batches arrive (10.0.0.2 before 10.0.0.11, though it answered after).
    expect(store.getState().sweep.results.map((result) => result.address)).toEqual([
      '10.0.0.2',
      '10.0.0.11',
      '10.0.0.12',
    ]);
    expect(selectSshHosts(store.getState()).map((host) => host.address)).toEqual(['10.0.0.11', '10.0.0.12']);
    stop();
  });

  it('selects every SSH host by default, also those still streaming in, and carries the selection to Access in address order', async () => {
    const { api, store, stop } = watchingSweeps();
    store.getState().setDiscoveryTargets('10.0.0.0/24');
    await store.getState().startSweep();
    api.emit('discovery.progress', progress({ scanned: 3, found: 3, results: [ssh(11), ssh(12), ssh(14, 2222)] }));
    store.getState().setHostSelected('10.0.0.12', false);
    // 10.0.0.13 answers last, as a slow host does: Access still lists it before 10.0.0.14.
    api.emit('discovery.progress', progress({ scanned: 254, found: 4, results: [ssh(13)], state: 'finished' }));
    expect(selectSelectedHosts(store.getState()).map((host) => host.address)).toEqual([
      '10.0.0.11',
      '10.0.0.13',
      '10.0.0.14',
    ]);

    store.getState().continueToAccess();
    expect(store.getState().step).toBe('access');
    expect(store.getState().accessHostsText).toBe('10.0.0.11\n10.0.0.13\n10.0.0.14:2222');

    store.getState().setAllHostsSelected(false);
    expect(selectSelectedHosts(store.getState())).toEqual([]);
    store.getState().setAllHostsSelected(true);
    expect(selectSelectedHosts(store.getState())).toHaveLength(4);
    // What a filter shows, ticked in one go: the other SSH hosts are unticked.
    store.getState().selectOnlyHosts(['10.0.0.12', '10.0.0.14', '10.0.0.99']);
    expect(selectSelectedHosts(store.getState()).map((host) => host.address)).toEqual(['10.0.0.12', '10.0.0.14']);
    stop();
  });

  it('merges batches by address as numbers, names after addresses, without sorting what it had', () => {
    const named = (address: string): SweepResult => ({ address, class: 'closed' });
    const had = ['10.0.0.2', '10.0.0.10', '10.0.1.1', 'db-1'].map(named);
    const merged = mergeByAddress(had, ['app-1', '10.0.0.9', '9.0.0.1', '10.0.0.200', 'zz'].map(named));
    expect(merged.map((result) => result.address)).toEqual([
      '9.0.0.1',
      '10.0.0.2',
      '10.0.0.9',
      '10.0.0.10',
      '10.0.0.200',
      '10.0.1.1',
      'app-1',
      'db-1',
      'zz',
    ]);
    expect(had.map((result) => result.address)).toEqual(['10.0.0.2', '10.0.0.10', '10.0.1.1', 'db-1']);
  });

  it("names a bad port itself without calling the API, and shows the API's error on the targets field until edited", async () => {
    const notAnAddress = '"10.0.0.300" is not an address: write a CIDR block (10.0.0.0/24)…';
    const api = new ScriptedApi().refusesWith('discovery.start', 'invalid_params', notAnAddress, 'targets');
    const store = createAirsprayStore(api);
    store.getState().setDiscoveryTargets('10.0.0.300');
    store.getState().setDiscoveryPorts('22 ssh');
    await store.getState().startSweep();
    expect(api.calls).toEqual([]);
    expect(store.getState().sweepError).toEqual({
      field: 'ports',
      message: formatIn('en', 'discover.ports.invalid', { token: 'ssh' }),
    });

    store.getState().setDiscoveryPorts('22');
    expect(store.getState().sweepError).toBeNull();
    await store.getState().startSweep();
    expect(store.getState().sweepError).toEqual({ field: 'targets', message: expect.stringContaining('"10.0.0.300"') });
    expect(store.getState().sweep.phase).toBe('idle');
    store.getState().setDiscoveryPorts('2222');
    expect(store.getState().sweepError?.field).toBe('targets');
    store.getState().setDiscoveryTargets('10.0.0.30');
    expect(store.getState().sweepError).toBeNull();
  });

  it('maps a nested field the API names ("ports.0") to the ports input', async () => {
    const outOfRange = 'discovery.start: field "ports.0": Ports run from 1 to 65535.';
    const api = new ScriptedApi().refusesWith('discovery.start', 'invalid_params', outOfRange, 'ports.0');
    const store = createAirsprayStore(api);
    store.getState().setDiscoveryTargets('10.0.0.1');
    await store.getState().startSweep();
    expect(store.getState().sweepError?.field).toBe('ports');
  });

  it('adds a proposed subnet to the targets once, without sweeping, and cancels a running sweep by its id', async () => {
    const { api, store, stop } = watchingSweeps();
    store.getState().addDiscoveryTarget('10.0.0.0/24');
    store.getState().addDiscoveryTarget('10.0.0.0/24');
    store.getState().addDiscoveryTarget('192.0.2.0/24');
    expect(store.getState().discoveryTargets).toBe('10.0.0.0/24 192.0.2.0/24');
    expect(api.calls).toEqual([]);

    await store.getState().startSweep();
    await store.getState().cancelSweep();
    expect(api.callsOf('discovery.cancel')).toEqual([{ sweepId: 'sweep-1' }]);
    api.emit(
      'discovery.progress',
      progress({ scanned: 40, found: 0, results: [silent(3)], state: 'cancelled', total: 508 }),
    );
    expect(store.getState().sweep).toMatchObject({ phase: 'cancelled', scanned: 40 });
    await store.getState().cancelSweep();
    expect(api.callsOf('discovery.cancel')).toHaveLength(1);
    stop();
  });
});
