/**
 * run-bench: plays every clip under every degradation through identify and reports.
 *
 * Clips are rendered (ffmpeg child processes, see render.ts) a few ahead of the clip being
 * identified, so rendering runs on the other core while identification runs in this
 * process, one clip at a time; the latency reported is that of identifyPcm alone (after
 * one unmeasured warm-up call).
 * Index and manifest clips are played under every degradation; negative clips clean.
 */
import os from 'node:os';
import { AyahError, ExitCode, reasonOf } from '../errors.js';
import { log } from '../log.js';
import { resolveReciters, type ReciterNames } from '../names.js';
import type { IdentifyAnswer, Recording } from '../types.js';
import { parseDegradation, type Degradation } from './degrade.js';
import { rightRankOf, rowName, summarize, type Outcome } from './metrics.js';
import { renderClip } from './render.js';
import { machineInfo, REPORT_SCHEMA, type BenchReport } from './report.js';
import { assignBabble, negativeClips, readClipManifest, sampleClips, type BenchClip } from './sample.js';
import { checkThresholds, type Threshold } from './thresholds.js';

/** What the benchmark needs of an identifier (src/query/identifier.ts Identifier has it). */
export interface BenchIdentifier {
  identifyPcm(pcm: Float32Array, input: string): Promise<IdentifyAnswer>;
  recordings(): Recording[];
  /** The riwayah of an indexed reciter: the numbering of its recordings' timelines. */
  riwayahOf(reciterId: string): string;
  /** The indexed reciters (what --reciter may name). */
  reciters(): ReciterNames[];
  stats(): Promise<{ recordings: number; postings: number; bytesOnDisk: number }>;
}

export interface BenchOptions {
  /** AYAH_HOME of the index (reported only). */
  home: string;
  /** Cut clips only from these reciters' recordings (id or name); all when absent. */
  reciters?: string[];
  /** Cut clips only from the recordings of reciters of these riwayat; all when absent. */
  riwayat?: string[];
  clips: number;
  seconds: number;
  seed: number;
  degradations: Degradation[];
  manifest?: string;
  negatives?: string[];
  thresholds?: Threshold[];
  /** Clips rendered ahead of the one being identified (default: cores + 1). */
  lookahead?: number;
}

export interface BenchRun {
  report: BenchReport;
  /** Every clip under every degradation, in play order. */
  outcomes: Outcome[];
}

interface Task {
  clip: BenchClip;
  degradations: Degradation[];
}

type Rendered = { pcms: Float32Array[] } | { error: string };

export async function runBench(identifier: BenchIdentifier, opts: BenchOptions): Promise<BenchRun> {
  const started = performance.now();
  const all = identifier.recordings();
  const sampled = selectRiwayat(selectReciters(all, opts.reciters, identifier.reciters()), opts.riwayat, (id) => identifier.riwayahOf(id));
  const clean = [parseDegradation('clean')];
  let clips = [
    ...sampleClips(sampled, { count: opts.clips, seconds: opts.seconds, seed: opts.seed }, (id) => identifier.riwayahOf(id)),
    ...(opts.manifest ? readClipManifest(opts.manifest) : []),
  ];
  if (opts.degradations.some((d) => d.steps.some((s) => s.kind === 'pcm' && s.babble))) clips = assignBabble(clips, all, opts.seconds, opts.seed);
  const tasks: Task[] = clips.map((clip) => ({ clip, degradations: opts.degradations }));
  for (const dir of opts.negatives ?? []) for (const clip of await negativeClips(dir, opts.seconds)) tasks.push({ clip, degradations: clean });

  const outcomes = await play(identifier, tasks, opts.lookahead ?? os.availableParallelism() + 1);
  const rows = summarize(outcomes);
  const stats = await identifier.stats();
  const report: BenchReport = {
    schema: REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    config: {
      seed: opts.seed,
      clips: opts.clips,
      seconds: opts.seconds,
      degradations: opts.degradations.map((d) => d.name),
      reciters: opts.reciters ?? null,
      riwayat: opts.riwayat ?? null,
      manifest: opts.manifest ?? null,
      negatives: opts.negatives ?? [],
    },
    index: { home: opts.home, ...stats, sampledRecordings: countBy(sampled, (r) => r.reciterId) },
    machine: machineInfo(),
    rows,
    failures: checkThresholds(rows, opts.thresholds ?? []),
    wallS: Math.round((performance.now() - started) / 100) / 10,
  };
  return { report, outcomes };
}

/** The recordings of the named reciters (id, or a name whose id it is). */
function selectReciters(recordings: Recording[], names: string[] | undefined, known: ReciterNames[]): Recording[] {
  if (!names?.length) return recordings;
  const wanted = resolveReciters('--reciter', names, known);
  return recordings.filter((r) => wanted.includes(r.reciterId));
}

/** The recordings of reciters of the given riwayat (all when none are given). */
function selectRiwayat(recordings: Recording[], riwayat: string[] | undefined, riwayahOf: (reciterId: string) => string): Recording[] {
  if (!riwayat?.length) return recordings;
  const wanted = new Set(riwayat.map((r) => r.toLowerCase()));
  const out = recordings.filter((r) => wanted.has(riwayahOf(r.reciterId)));
  if (!out.length) throw new AyahError(`bench: no indexed reciter of riwayah ${[...wanted].join(', ')}`, ExitCode.USAGE);
  return out;
}

/** Renders tasks `lookahead` ahead and identifies them one at a time, in order. */
async function play(identifier: BenchIdentifier, tasks: Task[], lookahead: number): Promise<Outcome[]> {
  const render = (t: Task): Promise<Rendered> =>
    renderClip({ name: t.clip.id, source: t.clip.source, babble: t.clip.babble, seed: t.clip.seed, degradations: t.degradations }).then(
      (pcms) => ({ pcms }),
      (err: unknown) => ({ error: reasonOf(err) }),
    );
  const ahead: Promise<Rendered>[] = [];
  const outcomes: Outcome[] = [];
  let next = 0;
  for (let i = 0; i < tasks.length; i++) {
    while (next < tasks.length && ahead.length < lookahead) ahead.push(render(tasks[next++]));
    const rendered = await ahead.shift()!;
    const { clip, degradations } = tasks[i];
    // One unmeasured call first: the first look-ups warm the index's caches.
    if (i === 0 && 'pcms' in rendered) await identifier.identifyPcm(rendered.pcms[0], 'warm-up').catch(() => undefined);
    for (let d = 0; d < degradations.length; d++) {
      const base = { row: rowName(clip.set, clip.group, degradations[d].name), set: clip.set, degradation: degradations[d].name, clip: clip.id, labels: clip.labels, riwayah: clip.riwayah };
      outcomes.push('error' in rendered ? { ...base, status: 'no_match', rightRank: 0, latencyMs: 0, error: rendered.error } : await identify(identifier, rendered.pcms[d], base));
    }
    if ((i + 1) % 25 === 0 || i + 1 === tasks.length) log.info({ clips: i + 1, of: tasks.length }, 'bench progress');
  }
  return outcomes;
}

async function identify(identifier: BenchIdentifier, pcm: Float32Array, base: Omit<Outcome, 'status' | 'rightRank' | 'latencyMs'>): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const answer = await identifier.identifyPcm(pcm, `${base.clip} [${base.degradation}]`);
    const latencyMs = performance.now() - t0;
    const top = answer.results[0];
    return {
      ...base,
      status: answer.status,
      ...(top ? { top: { surah: top.surah, ayah: top.ayah, riwayah: String(top.riwayah), hafs: top.hafs } } : {}),
      rightRank: rightRankOf(answer, base.labels, base.riwayah),
      latencyMs,
    };
  } catch (err) {
    return { ...base, status: 'no_match', rightRank: 0, latencyMs: performance.now() - t0, error: reasonOf(err) };
  }
}

function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) out[key(it)] = (out[key(it)] ?? 0) + 1;
  return out;
}
