/**
 * leftovers: what a build killed or failed midway leaves behind, cleaned by the next
 * add-reciter or index rebuild (under the index-writer lock, so no commit is under way):
 * - in-process builds still "running" whose process on this machine is gone: recorded
 *   failed ("interrupted"); their reciter is "ready" again when the index has its
 *   recordings, "failed" otherwise;
 * - staging folders (index/staging/<build>) of builds that are over: done, failed
 *   in-process (BullMQ keeps a failed build's batches for `ayah jobs retry`), interrupted,
 *   or unknown to the catalog (older than a minute, so a flow being submitted is spared);
 * - LanceDB tables a commit wrote but never named in the manifest (see dropOrphanTables).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CatalogAccess } from '../../catalog/access.js';
import type { Sql } from '../../catalog/catalog.js';
import { failBuild, getBuild, unfinishedBuilds, type BuildRow } from '../../catalog/builds.js';
import { getReciter, setReciterStatus } from '../../catalog/reciters.js';
import { dropOrphanTables } from '../../index/api.js';
import { withIndexWriter } from '../../locks/locks.js';
import type { Leftovers } from './leftovers-report.js';

export type { Leftovers } from './leftovers-report.js';


const UNKNOWN_STAGING_AGE_MS = 60_000;

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function interrupted(b: BuildRow): boolean {
  return b.runner === 'in-process' && b.host === os.hostname() && b.pid !== undefined && b.pid !== process.pid && processGone(b.pid);
}

async function failInterrupted(sql: Sql): Promise<string[]> {
  const dead = (await unfinishedBuilds(sql)).filter(interrupted);
  for (const b of dead) {
    const reason = `interrupted: ${b.host}/${b.pid} ended before build ${b.id} was merged`;
    await failBuild(sql, b.id, reason);
    const r = await getReciter(sql, b.reciterId);
    if (r && r.status === 'indexing' && !(await unfinishedBuilds(sql)).some((x) => x.reciterId === b.reciterId))
      await setReciterStatus(sql, b.reciterId, r.recordings > 0 ? 'ready' : 'failed', r.recordings > 0 ? undefined : reason);
  }
  return dead.map((b) => b.id);
}

function over(b: BuildRow | undefined, dir: string): boolean {
  if (!b) return Date.now() - fs.statSync(dir).mtimeMs > UNKNOWN_STAGING_AGE_MS;
  return b.status === 'done' || (b.status === 'failed' && b.runner === 'in-process');
}

async function removeStaging(sql: Sql, indexDir: string): Promise<string[]> {
  const root = path.join(indexDir, 'staging');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return [];
  const removed: string[] = [];
  for (const id of fs.readdirSync(root)) {
    const dir = path.join(root, id);
    if (!over(await getBuild(sql, id), dir)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(id);
  }
  return removed;
}

/** Cleans what interrupted builds left; waits for the index-writer lock. */
export async function cleanLeftovers(catalog: CatalogAccess, indexDir: string): Promise<Leftovers> {
  return withIndexWriter(catalog.config, 'cleanup of interrupted builds', async () => {
    const [builds, staging] = await catalog.use(async (c) => {
      const failed = await c.tx(failInterrupted);
      return [failed, await removeStaging(c, indexDir)] as const;
    });
    return { builds, staging, tables: await dropOrphanTables(indexDir) };
  });
}
