/**
 * orphans: LanceDB tables no manifest will ever name: a segment (or a compaction's new
 * generation) written by a commit that was killed, or failed (a full disk), before it
 * replaced the manifest. Tables of the previous generation are kept (readers that opened
 * the previous manifest may still read them; the next compaction drops them).
 * Their counts, durations and timelines files go with them. Hold the index-writer lock.
 */
import fs from 'node:fs';
import { connectIndex, lanceDir } from './lance.js';
import { readManifest } from './manifest.js';
import { removeSegmentCounts } from './hash-counts.js';
import { removeDurations } from './durations.js';
import { removeTimelines } from './timelines.js';
import { partTables } from './segment-parts.js';

/** Drops the orphaned tables; returns their names. */
export async function dropOrphanTables(indexDir: string): Promise<string[]> {
  if (!fs.existsSync(lanceDir(indexDir))) return [];
  const m = readManifest(indexDir);
  const keep = new Set(m ? [m.recordingsTable, m.textTable, ...partTables(m.segments.map((s) => s.table))] : []);
  const db = await connectIndex(indexDir);
  const dropped: string[] = [];
  for (const name of await db.tableNames()) {
    const g = /_g(\d+)(_|$)/.exec(name);
    if (!g || keep.has(name) || (m && Number(g[1]) === m.generation - 1)) continue;
    await db.dropTable(name);
    removeSegmentCounts(indexDir, name);
    removeDurations(indexDir, name);
    removeTimelines(indexDir, name);
    dropped.push(name);
  }
  return dropped;
}
