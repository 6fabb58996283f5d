/**
 * recording-hits: hits counted per recording while a run's postings are voted over (match.ts
 * and speed-probe.ts). Only recordings with enough hits can hold an alignment, and in a clip
 * that matches nothing almost every recording hit gets one or two chance hits: counting them
 * here (one byte per recording keeps the array in cache; up to 255, since only "at least a
 * few" matters) lets the voters drop those hits before anything is sorted. Cleared after each
 * run, the recordings hit only.
 */

/** A typed array twice as long holding `a`'s values (the voters' reused buffers grow by doubling). */
export function doubled<T extends Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer>>(a: T): T {
  const b = new (a.constructor as new (length: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** Masks known to allow every recording (each mask is scanned once). */
const allowsAll = new WeakMap<Uint8Array, boolean>();

/**
 * Whether `allowed` (1 for each recording that may answer) allows every recording: the
 * voters then skip the mask, one read at random in a ~700 kB array per hit at 1,000 hours.
 */
export function allowsEvery(allowed: Uint8Array): boolean {
  let all = allowsAll.get(allowed);
  if (all === undefined) allowsAll.set(allowed, (all = allowed.indexOf(0) === -1));
  return all;
}

export class RecordingHits {
  private counts = new Uint8Array(1 << 16);
  private hit = new Int32Array(1 << 12);
  /** Recordings hit since the last clear. */
  recordings = 0;

  /** Makes room for recording ids below `ids`. */
  cover(ids: number): void {
    if (this.counts.length < ids) this.counts = new Uint8Array(ids);
  }

  /** Counts a hit of recording `rec`. */
  add(rec: number): void {
    const had = this.counts[rec];
    if (had === 0) {
      if (this.recordings === this.hit.length) this.hit = doubled(this.hit);
      this.hit[this.recordings++] = rec;
    }
    if (had < 255) this.counts[rec] = had + 1;
  }

  /** Hits of recording `rec` since the last clear (at most 255). */
  of(rec: number): number {
    return this.counts[rec];
  }

  /** Forgets every hit. */
  clear(): void {
    for (let k = 0; k < this.recordings; k++) this.counts[this.hit[k]] = 0;
    this.recordings = 0;
  }
}
