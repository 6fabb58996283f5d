/**
 * select-hashes: which of a query's hashes a pass looks up. With the index's postings per
 * hash known, hashes the index does not have are dropped, and the rest are taken rarest
 * first (fewest postings: the most telling, and the cheapest to vote over) until the pass's
 * budget of hashes or postings is spent. Without counts (an index from before they were
 * kept) every hash is looked up.
 */
import type { QueryHashes } from './query-hashes.js';

export interface LookupBudget {
  maxHashes: number;
  maxPostings: number;
}

export function selectRarest(q: QueryHashes, counts: Uint32Array | undefined, budget: LookupBudget): QueryHashes {
  if (!counts) return q;
  // Cost of a hash: its postings times the query instants that vote with each of them.
  // Packed as cost × 2^21 + position (costs stay far below 2^31), sorted natively.
  const keyed = new Float64Array(q.distinct.length);
  let n = 0;
  q.distinct.forEach((h, i) => {
    if (counts[h] > 0) keyed[n++] = counts[h] * q.timesOf.get(h)!.length * 2 ** 21 + i;
  });
  const order = keyed.subarray(0, n).sort();
  const distinct: number[] = [];
  let postings = 0;
  for (let j = 0; j < n && distinct.length < budget.maxHashes; j++) {
    const cost = Math.floor(order[j] / 2 ** 21);
    if (postings + cost > budget.maxPostings) break;
    distinct.push(q.distinct[order[j] - cost * 2 ** 21]);
    postings += cost;
  }
  return { ...q, distinct };
}
