import { join } from 'node:path';
import type { ApiMethodName, ApiParams, ApiResult } from '../../electron/common/api';
import { createAirsprayCore, type CoreOptions } from '../../electron/node/api/airspray-core';
import { dispatchApiCall } from '../../electron/node/api/dispatch-api-call';
import { writeBundleFolder } from './bundle-fixtures';

/**
 * A core whose one bundle location (`root/bundles`) holds a kubespray 2.23.3 bundle folder, data in `root/data`.
 * `reply` answers as the transport would (errors as values); `call` throws the error a reply carries.
 */
export async function coreWithBundle(root: string, options: Partial<CoreOptions> = {}) {
  const bundles = join(root, 'bundles');
  const bundlePath = await writeBundleFolder(bundles, 'ks', {
    bundleId: 'ks-2.23.3',
    kubesprayVersion: '2.23.3',
    kubernetesVersions: ['1.27.10'],
  });
  const core = createAirsprayCore({
    shell: 'browser',
    version: '0.1.0-test',
    dataDir: { dir: join(root, 'data'), source: 'option' },
    bundleLocations: [{ path: bundles, source: 'option' }],
    ...options,
  });
  const reply = (method: ApiMethodName, params: unknown) =>
    dispatchApiCall(core.handlers, method, params, () => undefined);
  const call = async <M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> => {
    const answer = await reply(method, params);
    if (!answer.ok) throw Object.assign(new Error(answer.error.message), answer.error);
    return answer.result as ApiResult<M>;
  };
  return { bundles, bundlePath, core, reply, call };
}
