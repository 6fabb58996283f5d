/**
 * reciters: managing indexed reciters in the catalog and the index together: what each
 * knows of a reciter, activating and deactivating (identify answers only active reciters:
 * the catalog's flag, which the manifest takes), and removal of a reciter or of one of its
 * recordings (they leave the index; the next compaction reclaims their space).
 * Index changes hold the index-writer lock.
 */
import { getReciter, deleteReciter, listReciters, reciterOf, setReciterActive as setActiveInCatalog, stateOf, type CatalogReciter } from '../catalog/reciters.js';
import { recentBuilds, type BuildRow } from '../catalog/builds.js';
import type { CatalogAccess } from '../catalog/access.js';
import { AyahError, ExitCode } from '../errors.js';
import { resolveReciters, type ReciterNames } from '../names.js';
import { indexedReciters, indexedRecordings, reciterOfEntry, removeReciter as removeFromIndex, syncReciterEntries, type IndexedReciter } from '../index/api.js';
import { withIndexWriter } from '../locks/locks.js';
import type { Reciter, Recording } from '../types.js';
import { reciterIdOf } from './add-reciter.js';
import { commitReciter } from './build/commit-reciter.js';

export interface ReciterOverview {
  id: string;
  catalog?: CatalogReciter;
  index?: Pick<IndexedReciter, 'active' | 'recordings' | 'audioSeconds' | 'addedAt'>;
}


function indexPart(r: IndexedReciter): ReciterOverview['index'] {
  return { active: r.active, recordings: r.recordings, audioSeconds: Math.round(r.audioSeconds), addedAt: r.addedAt };
}

/** Every reciter of the catalog or of the index. */
export async function reciterOverviews(catalog: CatalogAccess, indexDir: string): Promise<ReciterOverview[]> {
  const inCatalog = await catalog.read((c) => listReciters(c.read), []);
  const inIndex = indexedReciters(indexDir);
  const ids = [...new Set([...inCatalog.map((r) => r.id), ...inIndex.map((r) => r.id)])];
  return ids.map((id) => {
    const c = inCatalog.find((r) => r.id === id);
    const i = inIndex.find((r) => r.id === id);
    return { id, ...(c ? { catalog: c } : {}), ...(i ? { index: indexPart(i) } : {}) };
  });
}

/** A reciter named by id or exact name, case-insensitive (names.ts namesReciter); unknown: a usage error (exit 2) listing the known ids. */
export async function findReciter(catalog: CatalogAccess, indexDir: string, idOrName: string): Promise<ReciterOverview & { builds: BuildRow[] }> {
  const inIndex = indexedReciters(indexDir);
  const found = await catalog.read<(ReciterOverview & { builds: BuildRow[] }) | undefined>(
    async (x) => {
      const known: ReciterNames[] = [...(await listReciters(x.read)), ...inIndex];
      const [id] = resolveReciters('reciter', [idOrName], known);
      const c = await getReciter(x.read, id);
      const i = inIndex.find((r) => r.id === id);
      return { id, ...(c ? { catalog: c } : {}), ...(i ? { index: indexPart(i) } : {}), builds: await recentBuilds(x.read, 10, id) };
    },
    undefined,
  );
  if (found) return found;
  // No catalog yet: the index alone.
  const [id] = resolveReciters('reciter', [idOrName], inIndex);
  const i = inIndex.find((r) => r.id === id)!;
  return { id, index: indexPart(i), builds: [] };
}

export async function setReciterActive(catalog: CatalogAccess, indexDir: string, idOrName: string, active: boolean): Promise<ReciterOverview> {
  const r = await findReciter(catalog, indexDir, idOrName);
  if (active && !r.index)
    throw new AyahError(
      `${r.id} has no recordings in the index${r.catalog?.statusReason ? ` (its build failed: ${r.catalog.statusReason})` : ''}: add it with \`ayah add-reciter\``,
      ExitCode.BAD_INPUT,
    );
  await withIndexWriter(catalog.config, `${active ? 'activate' : 'deactivate'} ${r.id}`, async () => {
    // The catalog decides; a reciter only the index has is taken into the catalog first.
    if (!r.catalog) await commitReciter(catalog, { indexDir, reciter: describedBy(r, indexDir), staged: [], drop: [], activate: false });
    const states = await catalog.use(async (c) => {
      await setActiveInCatalog(c, r.id, active);
      return (await listReciters(c)).map(stateOf);
    });
    syncReciterEntries(indexDir, states);
  });
  return findReciter(catalog, indexDir, r.id);
}

/** Takes a reciter out of the index and the catalog; returns the recordings removed from the index. */
export async function removeReciter(catalog: CatalogAccess, indexDir: string, idOrName: string): Promise<{ id: string; recordings: number }> {
  const r = await findReciter(catalog, indexDir, idOrName);
  const recordings = await withIndexWriter(catalog.config, `remove ${r.id}`, async () => {
    const n = await removeFromIndex(indexDir, r.id);
    await catalog.use((c) => deleteReciter(c, r.id));
    return n;
  });
  return { id: r.id, recordings };
}

/** The reciter's description: the catalog's, or the index's when only the index has it. */
function describedBy(r: ReciterOverview, indexDir: string): Reciter {
  if (r.catalog) return reciterOf(r.catalog);
  return reciterOfEntry(indexedReciters(indexDir).find((x) => x.id === r.id)!);
}

/** "114:6" names an ayah file's recording; anything else is a relative path. */
function matches(r: Recording, which: string): boolean {
  const [t] = r.timeline;
  return r.relPath === which || (r.timeline.length === 1 && `${t.surah}:${t.ayah}` === which);
}

/** Takes one recording of a reciter (by surah:ayah or relative path) out of the index and the catalog. */
export async function removeRecording(catalog: CatalogAccess, indexDir: string, idOrName: string, which: string): Promise<{ id: string; relPath: string }> {
  const r = await findReciter(catalog, indexDir, idOrName);
  return withIndexWriter(catalog.config, `remove ${which} of ${r.id}`, async () => {
    const hits = (await indexedRecordings(indexDir, r.id)).filter((x) => matches(x, which));
    if (hits.length !== 1)
      throw new AyahError(
        hits.length ? `${r.id}: ${which} names ${hits.length} recordings (${hits.map((h) => h.relPath).join(', ')}): give its file path` : `${r.id}: no recording ${which} in the index (give surah:ayah or its file path)`,
        ExitCode.BAD_INPUT,
      );
    await commitReciter(catalog, { indexDir, reciter: describedBy(r, indexDir), staged: [], drop: [hits[0].relPath], activate: false });
    return { id: r.id, relPath: hits[0].relPath };
  });
}
