/** The first index of the ascending `sorted` (its first `length` values) whose value is at least `v` (`length` when none is). */
export function lowerBound(sorted: ArrayLike<number>, v: number, length = sorted.length): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
