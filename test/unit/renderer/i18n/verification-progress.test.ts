import { createIntl } from 'react-intl';
import { describe, expect, it } from 'vitest';
import type { BundleVerificationProgress } from '../../../../electron/common/bundle-verification';
import { describeProgress, formatEta } from '../../../../renderer/features/bundle/format-verification';
import { catalogs } from '../../../../renderer/i18n/catalogs';

const english = createIntl({ locale: 'en', messages: catalogs.en });
const chinese = createIntl({ locale: 'zh-CN', messages: catalogs['zh-CN'] });

const hashing: BundleVerificationProgress = {
  bundlePath: '/media/stick/bundles/kubespray-2.23.3',
  phase: 'hashing',
  filesDone: 1,
  filesTotal: 5,
  bytesDone: 1_234_000_000,
  bytesTotal: 4_290_000_000,
  bytesPerSecond: 95_000_000,
  etaSeconds: 125,
};

describe('bundle verification progress in the chosen language', () => {
  it('reads in English as the window showed it before the catalog, and so without a language (Deploy)', () => {
    expect(describeProgress(hashing, english)).toBe('1.23 GB of 4.29 GB · 95.0 MB/s · 3 min left');
    expect([null, 0.4, 12.2].map((seconds) => formatEta(seconds))).toEqual([
      'estimating time left',
      'under a second left',
      '13 s left',
    ]);
    expect(describeProgress({ ...hashing, phase: 'sizes' }, english)).toBe(
      'Checking 5 files are present with their sizes…',
    );
  });

  it('reads in Chinese with the sizes and time left in Chinese words', () => {
    expect(describeProgress(hashing, chinese)).toBe('1.23 GB / 4.29 GB · 95.0 MB/s · 剩余 3 分钟');
    expect(formatEta(12.2, chinese)).toBe('剩余 13 秒');
    expect(describeProgress(null, chinese)).toBe('正在校验签名…');
  });
});
