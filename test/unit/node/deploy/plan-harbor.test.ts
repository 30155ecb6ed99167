import { describe, expect, it } from 'vitest';
import type { RegistrySettings } from '../../../../electron/common/cluster-plan';
import { planHarbor, type DeployContext } from '../../../../electron/node/deploy/deploy-context';
import { pushProjectImages } from '../../../../electron/node/deploy/harbor/push-images';
import { trustHarborCa } from '../../../../electron/node/deploy/harbor/trust-ca';
import type { KeySession } from '../../../../electron/node/deploy/deploy-operations';

const harbor: RegistrySettings = { kind: 'harbor', address: 'harbor.lan:443', project: 'k8s', filesPort: 8080 };
const contextWith = (registry: RegistrySettings) => ({ registry }) as DeployContext;
const bundleRegistry = contextWith({ kind: 'bundle', registryPort: 5000, filesPort: 8080 });

describe("the plan's Harbor", () => {
  it('is the registry settings themselves when the plan uses Harbor', () => {
    expect(planHarbor(contextWith(harbor), 'deploy.images-need-harbor')).toBe(harbor);
  });

  it("refuses a plan served by the deploy node's registry with the caller's reason, naming settings.registry", () => {
    expect(() => planHarbor(bundleRegistry, 'deploy.images-need-harbor')).toThrow(
      expect.objectContaining({
        code: 'conflict',
        field: 'settings.registry',
        i18n: { id: 'deploy.images-need-harbor', params: {} },
      }),
    );
  });

  it('stops an image push and a CA trust before any work when the plan has no Harbor', async () => {
    expect(() => pushProjectImages(bundleRegistry, undefined)).toThrow(
      expect.objectContaining({ i18n: { id: 'deploy.images-need-harbor', params: {} } }),
    );
    await expect(trustHarborCa(bundleRegistry, {} as KeySession)).rejects.toMatchObject({
      i18n: { id: 'deploy.ca-needs-harbor', params: {} },
    });
  });
});
