/**
 * commit-reciter: the one place a reciter's recordings and description change, in the
 * index and the catalog together. The caller holds the index-writer lock: what is new,
 * changed or gone is decided here, against the index as it is now (not as it was when the
 * files were planned), so two runs of one folder never index a file twice.
 *
 * The catalog is the authority: the reciter's description is written there first, in one
 * transaction, and the manifest's reciter entries are derived from the catalog's reciters
 * in the same commit; the catalog's recordings are then made the index's. When the index
 * commit fails the transaction rolls back: neither changes.
 */
import type { CatalogAccess } from '../../catalog/access.js';
import { finishBuild } from '../../catalog/builds.js';
import { replaceReciterRecordings } from '../../catalog/recordings.js';
import { getReciter, listReciters, markReciterReady, setReciterActive, stateOf, upsertReciter } from '../../catalog/reciters.js';
import { commitRecordings, differences, indexedReciters, indexedRecordings, indexStats, syncReciterEntries, type StagedRecording } from '../../index/api.js';
import type { Reciter } from '../../types.js';
import type { MergeJobResult, ReciterChanges } from '../jobs/types.js';

export interface ReciterUpdate {
  indexDir: string;
  /** The reciter's description (a new riwayah, name or style is recorded). */
  reciter: Reciter;
  /** Fingerprinted files (none when only files are taken out or the description changes). */
  staged: StagedRecording[];
  /** Relative paths to take out of the index (files gone from the folder, or removed by hand). */
  drop: string[];
  /** Replace even the recordings whose content is unchanged (a rebuild). */
  reindexAll?: boolean;
  /** Make the reciter active (add-reciter); otherwise the catalog's flag stays. */
  activate: boolean;
  /** The build this commit merges, recorded "done" in the same transaction. */
  build?: { id: string; failed: MergeJobResult['failed'] };
}

export type ReciterCommit = Omit<MergeJobResult, 'buildId' | 'failed'> & { changes: ReciterChanges };

const sorted = (paths: Iterable<string>) => [...paths].sort();

/** Applies the update to index and catalog. Hold the index-writer lock. */
export async function commitReciter(catalog: CatalogAccess, u: ReciterUpdate): Promise<ReciterCommit> {
  const id = u.reciter.id;
  const indexed = await indexedRecordings(u.indexDir, id);
  const live = new Map(indexed.map((r) => [r.relPath, r]));
  // An index damaged before this decision was made here may have a file twice: any commit keeps one.
  const twice = indexed.length > live.size;
  const fresh = u.staged.filter((s) => u.reindexAll || live.get(s.relPath)?.contentHash !== s.contentHash);
  const freshPaths = new Set(fresh.map((s) => s.relPath));
  const changes: ReciterChanges = {
    added: sorted(freshPaths).filter((p) => !live.has(p)),
    reindexed: sorted(freshPaths).filter((p) => live.has(p)),
    removed: sorted(new Set(u.drop)).filter((p) => live.has(p) && !freshPaths.has(p)),
    unchanged: u.staged.length - fresh.length,
    described: [],
  };
  const entry = indexedReciters(u.indexDir).find((r) => r.id === id);
  return catalog.use((c) =>
    c.tx(async (sql) => {
      const known = await getReciter(sql, id);
      await upsertReciter(sql, u.reciter);
      // A reciter the index has and the catalog did not (an index older than the catalog) keeps its flag.
      if (!known && entry) await setReciterActive(sql, id, entry.active);
      await markReciterReady(sql, id, u.activate && (entry !== undefined || fresh.length > 0));
      const states = (await listReciters(sql)).map(stateOf);
      const state = states.find((s) => s.id === id)!;
      changes.described = differences(entry, state);
      let indexVersion = indexStats(u.indexDir)?.version ?? 0;
      let postings = 0;
      if (fresh.length || changes.removed.length || twice) {
        const res = await commitRecordings(u.indexDir, { reciter: state, staged: fresh, replaceRelPaths: changes.removed, states });
        indexVersion = res.version;
        postings = res.postings;
      } else indexVersion = syncReciterEntries(u.indexDir, states) ?? indexVersion;
      await replaceReciterRecordings(sql, id, await indexedRecordings(u.indexDir, id), u.build?.id ?? null);
      const result: ReciterCommit = {
        indexVersion,
        recordingsAdded: fresh.length,
        recordingsRemoved: changes.reindexed.length + changes.removed.length,
        postings,
        changes,
      };
      if (u.build) await finishBuild(sql, u.build.id, { buildId: u.build.id, failed: u.build.failed, ...result });
      return result;
    }),
  );
}
