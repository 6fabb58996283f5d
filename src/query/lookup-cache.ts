/**
 * lookup-cache: postings looked up by recent windows of a long input, kept for the windows
 * that overlap them. Windows of 6 s every 2 s share most of their hashes: each hash is read
 * from the index once, not three times, even when the windows that share it are matched
 * at the same time (a hash whose read is under way is waited for, not read again).
 * Bounded: entries not used in the last `keepWindows` windows are dropped at each new window.
 */
import type { LookupResult } from '../index/api.js';

export type Lookup = (hashes: number[]) => Promise<LookupResult>;

interface Entry {
  /** The hash's rows (one per index segment holding it; none: not in the index), once read. */
  rows: Promise<Uint32Array[]>;
  /** The window that last used it. */
  used: number;
}

export class LookupCache {
  private readonly entries = new Map<number, Entry>();
  private window = 0;

  constructor(
    private readonly source: Lookup,
    private readonly keepWindows: number,
  ) {}

  /** Starts a new window: forgets what the last `keepWindows` windows did not use. */
  nextWindow(): void {
    this.window++;
    for (const [h, e] of this.entries) if (e.used < this.window - this.keepWindows) this.entries.delete(h);
  }

  readonly lookup: Lookup = async (hashes) => {
    const distinct = [...new Set(hashes)];
    const missing = distinct.filter((h) => !this.entries.has(h));
    if (missing.length) {
      const read = this.source(missing).then((found) => {
        const rows = new Map<number, Uint32Array[]>(missing.map((h) => [h, []]));
        found.hashes.forEach((h, i) => rows.get(h)!.push(found.rows[i]));
        return rows;
      });
      // A failed read is not kept: the next window asks again (and this one fails with it).
      read.catch(() => missing.forEach((h) => this.entries.delete(h)));
      for (const h of missing) this.entries.set(h, { rows: read.then((r) => r.get(h)!), used: this.window });
    }
    const entries = distinct.map((h) => {
      const e = this.entries.get(h)!;
      e.used = this.window;
      return e.rows;
    });
    const rows = await Promise.all(entries);
    const out: LookupResult = { hashes: [], rows: [] };
    distinct.forEach((h, i) => {
      for (const row of rows[i]) {
        out.hashes.push(h);
        out.rows.push(row);
      }
    });
    return out;
  };
}
