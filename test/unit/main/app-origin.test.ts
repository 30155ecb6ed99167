import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../../electron/main/app-origin';

describe('isAppUrl', () => {
  it('accepts only the app origin', () => {
    expect(isAppUrl('app://airspray/index.html')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('https://airspray/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
