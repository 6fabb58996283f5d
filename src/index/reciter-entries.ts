/**
 * reciter-entries: the manifest's reciter entries as the catalog (the authority) and the
 * index's own recordings make them. Names, riwayah, style and the active flag come from
 * the catalog at each commit; the counts (recordings, audio seconds) are recomputed from
 * the reciter's live recordings, never added up commit after commit.
 */
import type { Reciter, Recording, ReciterState } from '../types.js';
import { readManifest, writeManifest, type IndexedReciter, type Manifest } from './manifest.js';

const DESCRIBED = ['nameEn', 'nameAr', 'riwayah', 'style', 'active'] as const;

/** What differs between an index entry and the catalog, as "riwayah: hafs → warsh" lines. */
export function differences(entry: Partial<ReciterState> | undefined, state: ReciterState): string[] {
  if (!entry) return [];
  return DESCRIBED.filter((k) => (entry[k] ?? null) !== (state[k] ?? null)).map((k) => `${k}: ${String(entry[k] ?? '-')} → ${String(state[k] ?? '-')}`);
}

/** The entries with the catalog's description of each reciter it knows (the others as they are). */
export function describedByCatalog(entries: IndexedReciter[], states: ReciterState[]): IndexedReciter[] {
  return entries.map((e) => {
    const s = states.find((x) => x.id === e.id);
    if (!s) return e;
    const { nameAr: _a, style: _s, ...rest } = e;
    return { ...rest, nameEn: s.nameEn, riwayah: s.riwayah, active: s.active, ...(s.nameAr ? { nameAr: s.nameAr } : {}), ...(s.style ? { style: s.style } : {}) };
  });
}

/** Recordings and audio seconds of a reciter's live recordings (summed in path order: the same set gives the same total). */
export function totalsOf(live: Recording[]): Pick<IndexedReciter, 'recordings' | 'audioSeconds'> {
  const sorted = [...live].sort((a, b) => a.relPath.localeCompare(b.relPath));
  return { recordings: sorted.length, audioSeconds: sorted.reduce((s, r) => s + r.durationS, 0) };
}

/** Writes the catalog's description into the manifest when it differs (a new version); returns the index version (undefined: no index). Hold the index-writer lock. */
export function syncReciterEntries(indexDir: string, states: ReciterState[]): number | undefined {
  const m = readManifest(indexDir);
  if (!m) return undefined;
  const reciters = describedByCatalog(m.reciters, states);
  if (!m.reciters.some((e, i) => differences(e, { ...reciters[i] }).length > 0)) return m.version;
  const next: Manifest = { ...m, version: m.version + 1, updatedAt: new Date().toISOString(), reciters };
  writeManifest(indexDir, next);
  return next.version;
}

/** The description an entry carries (for a reciter only the index has: an index older than the catalog). */
export function reciterOfEntry(e: IndexedReciter): Reciter {
  return { id: e.id, nameEn: e.nameEn, riwayah: e.riwayah, ...(e.nameAr ? { nameAr: e.nameAr } : {}), ...(e.style ? { style: e.style } : {}) };
}
