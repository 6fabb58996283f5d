/**
 * ordered: run async work on many items with bounded concurrency, delivering results in
 * input order (so output order never depends on timing).
 */
export async function forEachOrdered<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>, deliver: (result: R, item: T) => void): Promise<void> {
  const results = new Array<Promise<R> | undefined>(items.length);
  let next = 0;
  const start = () => {
    if (next < items.length) {
      const i = next++;
      results[i] = work(items[i]);
    }
  };
  for (let k = 0; k < concurrency; k++) start();
  for (let i = 0; i < items.length; i++) {
    const r = await results[i]!;
    results[i] = undefined;
    start();
    deliver(r, items[i]);
  }
}
