/**
 * index-holder: the index a server answers from, opened once and replaced without a
 * restart. The index's version is polled; when a build commits a new version, the new version
 * is opened, then swapped in at once. Requests hold a lease on the version they started
 * on; a replaced version is closed when its last lease is released, so requests in flight
 * finish on the old one and none fails during the switch.
 */
import { indexDir } from '../home.js';
import { indexStats, type IndexedReciter } from '../index/api.js';
import { reasonOf } from '../errors.js';
import { log } from '../log.js';
import { Identifier } from '../query/identifier.js';

interface Loaded {
  identifier: Identifier;
  /** The index version's key ("<generation>.<version>", IndexStats.versionKey). */
  version: string;
  leases: number;
  retired: boolean;
  /** Reciters with a recording of each "surah:ayah" (read on first use). */
  ayahReciters?: Promise<Map<string, IndexedReciter[]>>;
}

export interface IndexLease {
  identifier: Identifier;
  version: string;
  release(): void;
}

export interface IndexFacts {
  version: string;
  /** The index's commit counter (a number, for metrics). */
  versionNumber: number;
  recordings: number;
  hours: number;
}

export class IndexHolder {
  private timer?: NodeJS.Timeout;
  private checking = false;
  /** Why the last reload failed (the previous version is still served). */
  lastReloadError?: string;
  private listeners: ((facts: IndexFacts) => void)[] = [];

  private constructor(
    private readonly home: string,
    private current: Loaded,
  ) {}

  /** Opens the index of AYAH_HOME `home` (throws the one-line AyahError of a missing or damaged index). */
  static async open(home: string, reloadMs: number): Promise<IndexHolder> {
    const identifier = await Identifier.open(home);
    const holder = new IndexHolder(home, { identifier, version: identifier.reader.stats().versionKey, leases: 0, retired: false });
    if (reloadMs > 0) {
      holder.timer = setInterval(() => void holder.checkForNewVersion(), reloadMs);
      holder.timer.unref();
    }
    return holder;
  }

  /** Called with the facts of every version swapped in. */
  onSwap(fn: (facts: IndexFacts) => void): void {
    this.listeners.push(fn);
  }

  acquire(): IndexLease {
    const loaded = this.current;
    loaded.leases++;
    let released = false;
    return {
      identifier: loaded.identifier,
      version: loaded.version,
      release: () => {
        if (released) return;
        released = true;
        loaded.leases--;
        this.closeIfDone(loaded);
      },
    };
  }

  facts(): IndexFacts {
    const s = this.current.identifier.reader.stats();
    return { version: this.current.version, versionNumber: s.version, recordings: s.recordings, hours: s.activeAudioSeconds / 3600 };
  }

  /** The reciters (active ones) that have a recording of surah:ayah in the current version. */
  async recitersOf(surah: number, ayah: number): Promise<IndexedReciter[]> {
    const loaded = this.current;
    loaded.ayahReciters ??= (async () => {
      const reader = loaded.identifier.reader;
      const map = new Map<string, IndexedReciter[]>();
      for (const rec of await reader.allRecordings()) {
        const reciter = reader.reciter(rec.reciterId);
        if (!reciter) continue;
        for (const e of rec.timeline) {
          const key = `${e.surah}:${e.ayah}`;
          const list = map.get(key) ?? [];
          if (!list.includes(reciter)) list.push(reciter);
          map.set(key, list);
        }
      }
      return map;
    })();
    return (await loaded.ayahReciters).get(`${surah}:${ayah}`) ?? [];
  }

  /** Opens and swaps in the index's current version when it is not the one served. */
  async checkForNewVersion(): Promise<boolean> {
    if (this.checking) return false;
    this.checking = true;
    try {
      const now = indexStats(indexDir(this.home));
      if (!now || now.versionKey === this.current.version) return false;
      const identifier = await Identifier.open(this.home);
      const loaded: Loaded = { identifier, version: identifier.reader.stats().versionKey, leases: 0, retired: false };
      const old = this.current;
      this.current = loaded;
      this.lastReloadError = undefined;
      old.retired = true;
      this.closeIfDone(old);
      const facts = this.facts();
      log.info({ from: old.version, to: loaded.version, recordings: facts.recordings }, 'index version swapped in');
      for (const fn of this.listeners) fn(facts);
      return true;
    } catch (err) {
      this.lastReloadError = reasonOf(err);
      log.error({ err: this.lastReloadError }, `index reload failed; still serving version ${this.current.version}`);
      return false;
    } finally {
      this.checking = false;
    }
  }

  private closeIfDone(loaded: Loaded): void {
    if (loaded.retired && loaded.leases === 0) void loaded.identifier.close();
  }

  /** Stops watching and closes the current version once its leases are released. */
  close(): void {
    clearInterval(this.timer);
    this.current.retired = true;
    this.closeIfDone(this.current);
  }
}
