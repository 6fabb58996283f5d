/**
 * The first index i < `length` of an ascending sequence whose value is at least `v` (`length`
 * when none is). The sequence is `sorted` (its first `length` values), or with `stride` every
 * stride-th value of it: value i is sorted[i * stride] (a row of postings, recording then frame,
 * by recording).
 */
export function lowerBound(sorted: ArrayLike<number>, v: number, length = sorted.length, stride = 1): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid * stride] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
