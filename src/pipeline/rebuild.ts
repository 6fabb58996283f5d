/**
 * rebuild: rebuilds the index from the catalog, one rebuild at a time (the "rebuild" lock:
 * a second one is refused with exit 6, naming the first). Every recording of every reciter
 * is fingerprinted again from its source as a build flow per reciter (in-process or on
 * BullMQ workers: the batches spread over every worker), each merged as it completes;
 * then the index is compacted into a fresh generation and its counts are checked against
 * the catalog. `compactOnly` skips the fingerprinting. Readers keep the previous index
 * until each commit is complete (the manifest is replaced atomically).
 */
import fs from 'node:fs';
import { AyahError, ExitCode } from '../errors.js';
import { log } from '../log.js';
import { compactIndex, indexDamage, indexedReciters, indexExists, reciterOfEntry, setAside, syncReciterEntries } from '../index/api.js';
import { describeHolder } from '../locks/holder.js';
import { isHeld, tryLock, withIndexWriter } from '../locks/locks.js';
import { countRecordings, recordingSources } from '../catalog/recordings.js';
import { getReciter, listReciters, reciterOf, stateOf, type CatalogReciter } from '../catalog/reciters.js';
import type { PipelineContext } from './build/context.js';
import { buildFlowOf, newBuildId } from './build/flow.js';
import { commitReciter } from './build/commit-reciter.js';
import { cleanLeftovers, type Leftovers } from './build/leftovers.js';
import { startBuild } from './build/start.js';
import type { MergeJobResult } from './jobs/types.js';
import type { BuildFlow } from './runner/types.js';

export interface RebuildResult {
  mode: 'rebuild' | 'compact';
  /** The damage found in the index before the rebuild, which it repaired (rebuilt from the catalog and the audio). */
  repaired?: string;
  /** Reciters the catalog did not know and took from the index. */
  imported: string[];
  /** What interrupted builds had left, cleaned first. */
  cleaned: Leftovers;
  builds: { reciterId: string; buildId: string; recordings: number; failed: MergeJobResult['failed'] }[];
  indexVersion: number;
  generation: number;
  recordings: number;
  /** Index and catalog agree on every reciter's recordings. */
  verified: boolean;
  mismatches: { reciterId: string; catalog: number; index: number }[];
  seconds: number;
}


/** Reciters of the index the catalog does not have yet (an index made before the catalog), taken as they are. */
async function importFromIndex(ctx: PipelineContext, indexDir: string): Promise<string[]> {
  const imported: string[] = [];
  for (const r of indexedReciters(indexDir)) {
    if (await ctx.catalog.use((c) => getReciter(c.read, r.id))) continue;
    const reciter = reciterOfEntry(r);
    await withIndexWriter(ctx.config, `import of ${r.id}`, () => commitReciter(ctx.catalog, { indexDir, reciter, staged: [], drop: [], activate: false }));
    imported.push(r.id);
  }
  return imported;
}

async function refingerprint(ctx: PipelineContext, indexDir: string, reciters: CatalogReciter[]): Promise<RebuildResult['builds']> {
  const flows: BuildFlow[] = [];
  for (const r of reciters) {
    const sources = await ctx.catalog.use((c) => recordingSources(c.read, r.id));
    if (sources.length === 0) continue;
    const flow = buildFlowOf({ buildId: newBuildId(), indexDir, reciter: reciterOf(r), sources, dropRelPaths: [], reindexAll: true });
    await startBuild(ctx.catalog, ctx.runner, flow, 'rebuild');
    flows.push(flow);
  }
  const results: MergeJobResult[] = await Promise.all(flows.map((f) => ctx.runner.wait(f)));
  return results.map((res, i) => ({ reciterId: flows[i].merge.reciter.id, buildId: res.buildId, recordings: res.recordingsAdded, failed: res.failed }));
}

/** Compacts the index, its reciter entries described by the catalog; what it holds then, and its reciters. */
async function compactAndReconcile(ctx: PipelineContext, indexDir: string) {
  return withIndexWriter(ctx.config, 'index compaction', async () => {
    syncReciterEntries(indexDir, (await ctx.catalog.use((c) => listReciters(c))).map(stateOf));
    return { stats: await compactIndex(indexDir), reciters: indexedReciters(indexDir) };
  });
}

/**
 * A damaged index (exit 4 for every reader) is set aside, so that the rebuild makes a new
 * one from the catalog and the audio; the damaged copy is deleted once the rebuild is done.
 * Compacting cannot repair: it reads the damaged tables.
 */
async function setAsideIfDamaged(ctx: PipelineContext, indexDir: string, compactOnly: boolean): Promise<{ damage: string; aside: string } | undefined> {
  const damage = await indexDamage(indexDir);
  if (!damage) return undefined;
  if (compactOnly) throw new AyahError(`${damage.message.replace(/; run .*$/, '')}; \`ayah index rebuild\` without --compact repairs it`, ExitCode.NO_INDEX);
  const aside = await withIndexWriter(ctx.config, 'setting a damaged index aside', async () => setAside(indexDir));
  log.info({ indexDir, aside }, `${damage.message}: set aside in ${aside}; rebuilding from the catalog`);
  return { damage: damage.message.replace(/^[^:]*: (damaged|outdated) index: /, '').replace(/; run .*$/, ''), aside };
}

export interface RebuildOptions {
  compactOnly: boolean;
  /** Called once the rebuild lock is taken. */
  onLocked?: () => Promise<void>;
}

export async function rebuildIndex(ctx: PipelineContext, indexDir: string, opts: RebuildOptions): Promise<RebuildResult> {
  const started = performance.now();
  const mode = opts.compactOnly ? 'compact' : 'rebuild';
  const lock = await tryLock(ctx.config, 'rebuild', `index ${mode}`);
  if (!isHeld(lock)) throw new AyahError(`another rebuild is running (${describeHolder(lock)})`, ExitCode.BUSY);
  try {
    await opts.onLocked?.();
    const repaired = await setAsideIfDamaged(ctx, indexDir, opts.compactOnly);
    const cleaned = await cleanLeftovers(ctx.catalog, indexDir);
    const imported = await importFromIndex(ctx, indexDir);
    const reciters = await ctx.catalog.use((c) => listReciters(c.read));
    if (!indexExists(indexDir) && !reciters.some((r) => r.recordings > 0))
      throw new AyahError(`nothing to rebuild: no index in ${indexDir} and no recordings in the catalog`, ExitCode.NO_INDEX);
    const builds = opts.compactOnly ? [] : await refingerprint(ctx, indexDir, reciters);
    const { stats, reciters: entries } = await compactAndReconcile(ctx, indexDir);
    const catalogCounts = await ctx.catalog.use((c) => countRecordings(c.read));
    const ids = new Set([...catalogCounts.keys(), ...entries.map((r) => r.id)]);
    const mismatches = [...ids]
      .map((reciterId) => ({ reciterId, catalog: catalogCounts.get(reciterId) ?? 0, index: entries.find((r) => r.id === reciterId)?.recordings ?? 0 }))
      .filter((x) => x.catalog !== x.index);
    if (repaired) fs.rmSync(repaired.aside, { recursive: true, force: true });
    return {
      mode,
      ...(repaired ? { repaired: repaired.damage } : {}),
      imported,
      cleaned,
      builds,
      indexVersion: stats.version,
      generation: stats.generation,
      recordings: stats.recordings,
      verified: mismatches.length === 0 && stats.recordings === entries.reduce((n, r) => n + r.recordings, 0),
      mismatches,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } finally {
    await lock.release();
  }
}
