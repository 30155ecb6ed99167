import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../electron/common/format-bytes';

describe('formatBytes', () => {
  it('speaks decimal units, with the precision each one needs', () => {
    expect([999, 1000, 153_600, 157_286_400, 999_999_999, 4_294_967_296].map((bytes) => formatBytes(bytes))).toEqual([
      '999 B',
      '1 kB',
      '154 kB',
      '157.3 MB',
      '1000.0 MB',
      '4.29 GB',
    ]);
  });

  it('writes the number as the given language does, the unit unchanged', () => {
    expect(formatBytes(4_294_967_296, 'de')).toBe('4,29 GB');
    expect(formatBytes(157_286_400, 'zh-CN')).toBe('157.3 MB');
    expect(formatBytes(999_999_999, 'en')).toBe('1000.0 MB');
  });
});
