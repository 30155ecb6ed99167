import type { Api } from '../../electron/common/api';
import type { SliceCreator } from './airspray-state';

/** What every slice of the store has in common: it is all one state. */
type AllOf<Slices extends readonly unknown[]> = Slices extends readonly [infer First, ...infer Rest]
  ? First & AllOf<Rest>
  : unknown;

/**
 * The slices of one area that need nothing but the Api, as one creator. Its state is typed as holding each one, so
 * the store still fails to compile when a slice is left out.
 */
export function apiSlices<Slices extends readonly object[]>(
  api: Api,
  creators: { readonly [K in keyof Slices]: (api: Api) => SliceCreator<Slices[K]> },
): SliceCreator<AllOf<Slices>> {
  return (...a) => Object.assign({}, ...creators.map((create) => create(api)(...a))) as AllOf<Slices>;
}
