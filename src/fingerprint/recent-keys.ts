/**
 * recent-keys: a held vowel repeats the same landmark key frame after frame, and a repeat
 * carries no new information. A key emitted again within `window` frames of its last
 * emission is a repeat (landmarks.ts and speed-landmarks.ts emit it once). One frame per
 * key of the key space, reused between inputs of one thread; only the keys an input
 * touched are cleared after it.
 */
export class RecentKeys {
  /** Last frame each key was emitted at (+1; 0 = never). */
  private lastSeen?: Int32Array;
  private readonly touched: number[] = [];

  constructor(private readonly space: number) {}

  /** Whether `key` at frame `t` repeats one emitted within `window` frames before; if not, it is emitted at `t`. */
  repeats(key: number, t: number, window: number): boolean {
    const seen = (this.lastSeen ??= new Int32Array(this.space));
    const prev = seen[key];
    if (prev !== 0 && t - (prev - 1) <= window) return true;
    if (prev === 0) this.touched.push(key);
    seen[key] = t + 1;
    return false;
  }

  /** Forgets the keys emitted (after each input). */
  clear(): void {
    for (const key of this.touched) this.lastSeen![key] = 0;
    this.touched.length = 0;
  }
}
