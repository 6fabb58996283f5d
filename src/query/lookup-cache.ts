/**
 * lookup-cache: postings looked up by recent windows of a long input, kept for the windows
 * that overlap them. Windows of 6 s every 2 s share most of their hashes: each hash is read
 * from the index once, not three times. Bounded: entries not used in the last
 * `keepWindows` windows are dropped at each new window.
 */
import type { LookupResult } from '../index/api.js';

export type Lookup = (hashes: number[]) => Promise<LookupResult>;

export class LookupCache {
  /** Hash → its rows (one per index segment holding it; none: not in the index), and the window that last used it. */
  private readonly rows = new Map<number, { rows: Uint32Array[]; used: number }>();
  private window = 0;

  constructor(
    private readonly source: Lookup,
    private readonly keepWindows: number,
  ) {}

  /** Starts a new window: forgets what the last `keepWindows` windows did not use. */
  nextWindow(): void {
    this.window++;
    for (const [h, e] of this.rows) if (e.used < this.window - this.keepWindows) this.rows.delete(h);
  }

  readonly lookup: Lookup = async (hashes) => {
    const missing = hashes.filter((h) => !this.rows.has(h));
    if (missing.length) {
      const found = await this.source(missing);
      for (const h of missing) if (!this.rows.has(h)) this.rows.set(h, { rows: [], used: this.window });
      found.hashes.forEach((h, i) => this.rows.get(h)!.rows.push(found.rows[i]));
    }
    const out: LookupResult = { hashes: [], rows: [] };
    for (const h of new Set(hashes)) {
      const e = this.rows.get(h);
      if (!e) continue;
      e.used = this.window;
      for (const row of e.rows) {
        out.hashes.push(h);
        out.rows.push(row);
      }
    }
    return out;
  };
}
