/**
 * verify: whether an index directory is damaged (a manifest that is not one, a table or a
 * data file missing or truncated), and setting a damaged one aside so that `ayah index
 * rebuild` can rebuild it from the catalog and the audio.
 */
import fs from 'node:fs';
import type { AyahError } from '../errors.js';
import { isRepairable } from './damage.js';
import { readManifest } from './manifest.js';
import { IndexReader } from './reader.js';

/** The damaged- or outdated-index error of `indexDir` (exit 4, naming what is missing or the old fingerprint version), or undefined when it is sound or absent. */
export async function indexDamage(indexDir: string): Promise<AyahError | undefined> {
  try {
    const m = readManifest(indexDir);
    if (!m || m.recordingCount === 0) return undefined;
    await (await IndexReader.open(indexDir)).verify();
    return undefined;
  } catch (err) {
    if (isRepairable(err)) return err;
    throw err;
  }
}

/** Moves a damaged index out of the way (to `<indexDir>.damaged-<time>`); returns where. Hold the index-writer lock. */
export function setAside(indexDir: string): string {
  const to = `${indexDir}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(indexDir, to);
  return to;
}
