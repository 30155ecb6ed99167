import { describe, expect, it } from 'vitest';
import { apiEvents, apiMethodNames, apiMethods, isApiMethodName } from '../../../electron/common/api';
import { ClusterNameSchema } from '../../../electron/common/project';

describe('API contract', () => {
  it('gives every method and event its own bridge function name', () => {
    const names = [
      ...Object.values(apiMethods).map((m) => m.exposeAs),
      ...Object.values(apiEvents).map((e) => e.subscribeAs),
    ];
    expect(new Set(names).size).toBe(names.length);
  });

  it('knows its own methods and nothing inherited', () => {
    expect(apiMethodNames).toContain('bundles.list');
    expect(isApiMethodName('bundles.list')).toBe(true);
    expect(isApiMethodName('toString')).toBe(false);
    expect(isApiMethodName('__proto__')).toBe(false);
  });

  it('explains a bad cluster name with the fix', () => {
    expect(ClusterNameSchema.safeParse('prod-dc1').success).toBe(true);
    const upper = ClusterNameSchema.safeParse('Prod_DC1');
    expect(upper.success).toBe(false);
    expect(upper.error?.issues[0]?.message).toMatch(/lowercase letters, digits and "-"/);
    expect(ClusterNameSchema.safeParse('').error?.issues[0]?.message).toMatch(/empty/);
    expect(ClusterNameSchema.safeParse('a'.repeat(64)).error?.issues[0]?.message).toMatch(/63/);
  });
});
