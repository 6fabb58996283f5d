/**
 * reciters: managing indexed reciters in the catalog and the index together: what each
 * knows of a reciter, activating and deactivating (identify answers only active reciters),
 * and removal (the recordings leave the index; the next compaction reclaims their space).
 * Index changes hold the index-writer lock.
 */
import { getReciter, deleteReciter, listReciters, setReciterActive as setActiveInCatalog, type CatalogReciter } from '../catalog/reciters.js';
import { recentBuilds, type BuildRow } from '../catalog/builds.js';
import type { CatalogAccess } from '../catalog/access.js';
import { AyahError, ExitCode } from '../errors.js';
import { readManifest, type IndexedReciter } from '../index/manifest.js';
import { removeReciter as removeFromIndex, setReciterActive as setActiveInIndex } from '../index/writer.js';
import { withIndexWriter } from '../locks/locks.js';
import { reciterIdOf } from './add-reciter.js';

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
  const inCatalog = await catalog.use((c) => listReciters(c.read));
  const inIndex = readManifest(indexDir)?.reciters ?? [];
  const ids = [...new Set([...inCatalog.map((r) => r.id), ...inIndex.map((r) => r.id)])];
  return ids.map((id) => {
    const c = inCatalog.find((r) => r.id === id);
    const i = inIndex.find((r) => r.id === id);
    return { id, ...(c ? { catalog: c } : {}), ...(i ? { index: indexPart(i) } : {}) };
  });
}

/** A reciter named by id or by name; exit 3 when neither catalog nor index has it. */
export async function findReciter(catalog: CatalogAccess, indexDir: string, idOrName: string): Promise<ReciterOverview & { builds: BuildRow[] }> {
  const inIndex = readManifest(indexDir)?.reciters ?? [];
  const found = await catalog.use(async (x) => {
    for (const id of [idOrName, reciterIdOf(idOrName)]) {
      const c = await getReciter(x.read, id);
      const i = inIndex.find((r) => r.id === id);
      if (c || i) return { id, ...(c ? { catalog: c } : {}), ...(i ? { index: indexPart(i) } : {}), builds: await recentBuilds(x.read, 10, id) };
    }
    return undefined;
  });
  if (found) return found;
  throw new AyahError(`no reciter "${idOrName}" (\`ayah reciters list\` shows them)`, ExitCode.BAD_INPUT);
}

export async function setReciterActive(catalog: CatalogAccess, indexDir: string, idOrName: string, active: boolean): Promise<ReciterOverview> {
  const r = await findReciter(catalog, indexDir, idOrName);
  if (active && !r.index)
    throw new AyahError(
      `${r.id} has no recordings in the index${r.catalog?.statusReason ? ` (its build failed: ${r.catalog.statusReason})` : ''}: add it with \`ayah add-reciter\``,
      ExitCode.BAD_INPUT,
    );
  await withIndexWriter(catalog.config, `${active ? 'activate' : 'deactivate'} ${r.id}`, async () => {
    if (r.index) await setActiveInIndex(indexDir, r.id, active);
    if (r.catalog) await catalog.use((c) => setActiveInCatalog(c, r.id, active));
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
