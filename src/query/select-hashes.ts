/**
 * select-hashes: which of a query's hashes a pass looks up. With the index's postings per
 * hash known, hashes the index does not have are dropped, and the rest are taken rarest
 * first (fewest postings: the most telling, and the cheapest to vote over) until the pass's
 * budget of hashes or postings is spent. Without counts (an index from before they were
 * kept) every hash is looked up.
 */
import type { HashCounts } from '../index/api.js';
import type { QueryHashes } from './query-hashes.js';

export interface LookupBudget {
  maxHashes: number;
  maxPostings: number;
}

export function selectRarest(q: QueryHashes, counts: HashCounts | undefined, budget: LookupBudget): QueryHashes {
  if (!counts) return q;
  return { ...q, distinct: rarestFirst(q.distinct, (i) => q.timesOf.get(q.distinct[i])!.length, counts, budget) };
}

/**
 * The hashes of `keys` (one per landmark, -1 for none) a pass looks up, as selectRarest takes
 * them from the QueryHashes those landmarks make (a hash's query times: the landmarks that
 * have it), without making them first.
 */
export function rarestKeys(keys: Int32Array | Uint32Array, counts: HashCounts, budget: LookupBudget): number[] {
  const slot = new Map<number, number>();
  const distinct: number[] = [];
  const times: number[] = [];
  for (const h of keys) {
    if (h < 0) continue;
    const i = slot.get(h);
    if (i === undefined) {
      slot.set(h, distinct.length);
      distinct.push(h);
      times.push(1);
    } else times[i]++;
  }
  return rarestFirst(distinct, (i) => times[i], counts, budget);
}

/** `distinct` (each with `times(i)` query times) taken rarest first within the budget. */
function rarestFirst(distinct: number[], times: (i: number) => number, counts: HashCounts, budget: LookupBudget): number[] {
  // Cost of a hash: its postings times the query instants that vote with each of them.
  // Packed as cost × 2^21 + position (costs stay far below 2^31), sorted natively.
  const keyed = new Float64Array(distinct.length);
  let n = 0;
  distinct.forEach((h, i) => {
    if (counts[h] > 0) keyed[n++] = counts[h] * times(i) * 2 ** 21 + i;
  });
  const order = keyed.subarray(0, n).sort();
  const out: number[] = [];
  let postings = 0;
  for (let j = 0; j < n && out.length < budget.maxHashes; j++) {
    const cost = Math.floor(order[j] / 2 ** 21);
    if (postings + cost > budget.maxPostings) break;
    out.push(distinct[order[j] - cost * 2 ** 21]);
    postings += cost;
  }
  return out;
}
