import { describe, expect, it } from 'vitest';
import type { BundleVerificationResult } from '../../../electron/common/bundle-verification';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { ScriptedApi, settle } from './scripted-api';

const result = (outcome: BundleVerificationResult['outcome']): BundleVerificationResult => ({
  bundlePath: '/stick/bundles/ks',
  mode: 'full',
  outcome,
  manifestDigest: 'a'.repeat(64),
  publisher: null,
  refusals: [],
  filesChecked: 3,
  bytesHashed: 30,
  durationMs: 5,
  finishedAt: '2026-11-25T12:00:00.000Z',
  fromCache: false,
});

describe('bundle verification slice', () => {
  it('keeps progress while running, the result after, and the previous result when cancelled', async () => {
    let answer: (value: BundleVerificationResult) => void = () => undefined;
    const api = new ScriptedApi().on(
      'bundles.verify',
      () => new Promise<BundleVerificationResult>((resolve) => (answer = resolve)),
    );
    const store = createAirsprayStore(api);
    const stop = store.getState().watchBundleVerifications();
    void store.getState().verifyBundle('/stick/bundles/ks', 'full');
    await settle();
    expect(store.getState().bundleVerifications['/stick/bundles/ks']?.running).toBe(true);
    api.emit('bundles.verifyProgress', {
      bundlePath: '/stick/bundles/ks',
      phase: 'hashing',
      bytesDone: 10,
      bytesTotal: 30,
      filesDone: 1,
      filesTotal: 3,
      bytesPerSecond: 100,
      etaSeconds: 0.2,
    });
    expect(store.getState().bundleVerifications['/stick/bundles/ks']?.progress?.bytesDone).toBe(10);
    answer(result('verified'));
    await settle();
    expect(store.getState().bundleVerifications['/stick/bundles/ks']).toMatchObject({
      running: false,
      result: { outcome: 'verified' },
    });

    void store.getState().verifyBundle('/stick/bundles/ks', 'full');
    await settle();
    answer(result('cancelled'));
    await settle();
    expect(store.getState().bundleVerifications['/stick/bundles/ks']).toMatchObject({
      running: false,
      result: { outcome: 'verified' },
    });
    stop();
  });
});
