import { describe, expect, it } from 'vitest';
import { wizardSteps } from '../../../electron/common/wizard';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { selectCanGoBack, selectCanGoNext, selectStepIndex } from '../../../renderer/store/wizard-slice';
import { ScriptedApi } from './scripted-api';

describe('wizard slice', () => {
  it('starts on the first step and cannot go back from it', () => {
    const store = createAirsprayStore(new ScriptedApi());
    expect(store.getState().step).toBe('bundle');
    expect(selectCanGoBack(store.getState())).toBe(false);
    store.getState().goBack();
    expect(store.getState().step).toBe('bundle');
  });

  it('walks forward through every step in order and stops at the last', () => {
    const store = createAirsprayStore(new ScriptedApi());
    const visited = [store.getState().step];
    for (let i = 0; i < wizardSteps.length + 2; i++) {
      store.getState().goNext();
      if (store.getState().step !== visited.at(-1)) visited.push(store.getState().step);
    }
    expect(visited).toEqual(wizardSteps.map((step) => step.id));
    expect(store.getState().step).toBe('operate');
    expect(selectCanGoNext(store.getState())).toBe(false);
    expect(selectCanGoBack(store.getState())).toBe(true);
  });

  it('jumps to a named step and goes back from there', () => {
    const store = createAirsprayStore(new ScriptedApi());
    store.getState().goToStep('roles');
    expect(selectStepIndex(store.getState())).toBe(3);
    store.getState().goBack();
    expect(store.getState().step).toBe('access');
  });

  it('calls no API while no project is open', () => {
    const api = new ScriptedApi();
    const store = createAirsprayStore(api);
    store.getState().goNext();
    store.getState().goToStep('deploy');
    expect(api.calls).toEqual([]);
  });
});
