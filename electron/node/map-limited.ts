/**
 * `work` on every item with at most `limit` at once, the results in the items' order; `onDone` sees each result as it
 * comes with how many are done. What bounds the SSH sessions (and the processes they start) however many hosts.
 * The first failure is thrown and starts no further work: nobody waits for its results any more.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  onDone?: (result: R, done: number, total: number) => void,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]!);
        done += 1;
        onDone?.(results[index], done, items.length);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
