/**
 * disk-usage: bytes an index takes on disk: the whole directory (every generation kept,
 * staging included), or only what the current manifest names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { countsPath } from './hash-counts.js';
import { lanceDir } from './lance.js';
import { readManifest } from './manifest.js';
import { partTables } from './segment-parts.js';

/** Bytes of every file under `dir`. */
export function dirBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}

/**
 * Bytes of what the manifest names: its segment tables with their counts files, the
 * recordings and text tables. Not the previous generation, which compaction keeps for
 * readers still open and drops at the next one. 0 when there is no index.
 */
export function currentIndexBytes(indexDir: string): number {
  const m = readManifest(indexDir);
  if (!m) return 0;
  const tables = [...partTables(m.segments.map((s) => s.table)), m.recordingsTable, m.textTable];
  const counts = m.segments.map((s) => countsPath(indexDir, s.table)).filter((f) => fs.existsSync(f));
  return tables.reduce((n, t) => n + dirBytes(path.join(lanceDir(indexDir), `${t}.lance`)), 0) + counts.reduce((n, f) => n + fs.statSync(f).size, 0);
}
