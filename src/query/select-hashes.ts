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
  const present = q.distinct.filter((h) => counts[h] > 0);
  // Cost of a hash: its postings times the query instants that vote with each of them.
  const cost = (h: number) => counts[h] * q.timesOf.get(h)!.length;
  present.sort((a, b) => cost(a) - cost(b));
  const distinct: number[] = [];
  let postings = 0;
  for (const h of present) {
    if (distinct.length >= budget.maxHashes || postings + cost(h) > budget.maxPostings) break;
    distinct.push(h);
    postings += cost(h);
  }
  return { distinct, timesOf: q.timesOf };
}
