/**
 * `npm run bench:scale -- [options] DIR...`: how indexing and identify grow with the index.
 *
 * Indexes each reciter folder DIR with the real `ayah add-reciter` (timed: x realtime,
 * validation and decoding included, peak RSS), then measures identify at every index
 * size of `--sizes` (hours) that the folders reach. With `--synthetic`, sizes beyond the
 * real audio are reached with synthetic distractor reciters made from the real ones
 * (src/bench/synthetic-reciters.ts), compacted as `ayah index rebuild --compact` would.
 *
 * At each size: index bytes per hour; `ayah identify` in one call over `--clips` 5-second
 * clips of indexed reciters and as many of `--negatives` folders (not indexed): wall time
 * per clip with identify's default threads and with one (`--jobs 1`), that call's per-clip
 * p50/p95/p99 (each clip alone), peak RSS; cold single calls; `ayah bench` top-1 per
 * degradation (clean, mp3 32k, noise 5 dB, phone, reverb, tempo ±5 %), 2-second clean
 * clips, and wrong answers on the negatives. Writes the "scale" section of
 * docs/benchmarks.md, docs/scale.svg and (with --json) the raw figures.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addVariants, fingerprintFolders } from '../src/bench/synthetic-reciters.js';
import type { BenchReport } from '../src/bench/report.js';
import { machineInfo } from '../src/bench/report.js';
import { mulberry32 } from '../src/bench/prng.js';
import { ffmpegPath } from '../src/fingerprint/ffmpeg-path.js';
import { compactIndex, currentIndexBytes, indexedReciters, indexStats } from '../src/index/api.js';
import { REPO, log } from './cli.js';
import { writeSection } from './docs-section.js';
import { scalePlot } from './scale-plot.js';

interface Options {
  /** Labelled folders (exact ayah labels): indexed first; clips and accuracy come from them. */
  dirs: string[];
  /** Folders indexed only to grow the index with real voices (labels may be estimates). */
  distractors: string[];
  sizes: number[];
  synthetic: boolean;
  negatives: string[];
  clips: number;
  benchClips: number;
  cold: number;
  home?: string;
  json?: string;
  docs: boolean;
  /** Only write the docs from the --json FILE of an earlier run. */
  render?: string;
}

interface Measured {
  ms: number;
  rssMb: number;
  cpuS: number;
  status: number;
  stdout: string;
}

export interface Latency {
  clips: number;
  /** Wall time of the call over all clips, per clip: identify's default threads (one per core). */
  wallPerClipMs: number;
  /** The same call with `--jobs 1`, whose per-clip times are p50..p99 (absent in results of before it). */
  oneThreadWallPerClipMs?: number;
  /** Each clip's time (identify's elapsed_ms) in the call with `--jobs 1`: with more threads, each clip shares the cores with the others'. */
  p50: number;
  p95: number;
  p99: number;
  /** Peak RSS of either call. */
  rssMb: number;
}

export interface SizePoint {
  /** The size of --sizes this point was measured for (the index may have passed it). */
  size?: number;
  hours: number;
  realHours: number;
  recordings: number;
  postings: number;
  indexMb: number;
  mbPerHour: number;
  compactS?: number;
  matches: Latency;
  nonMatches: Latency;
  coldMatchMs: { p50: number; max: number };
  coldNonMatchMs: { p50: number; max: number };
  top1: Record<string, number>;
  negatives: { clips: number; wrong: number };
}

interface Indexed {
  dir: string;
  hours: number;
  wallS: number;
  xRealtime: number;
  cpuS: number;
  rssMb: number;
  failed: number;
}

const DEGRADE = 'clean,mp3:32,noise:5,phone,reverb,tempo:+5,tempo:-5';

function parse(argv: string[]): Options {
  const o: Options = { dirs: [], distractors: [], sizes: [], synthetic: false, negatives: [], clips: 500, benchClips: 300, cold: 10, docs: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--sizes') o.sizes = value().split(',').map(Number);
    else if (a === '--synthetic') o.synthetic = true;
    else if (a === '--distractors') while (argv[i + 1] && !argv[i + 1].startsWith('--')) o.distractors.push(argv[++i]);
    else if (a === '--negatives') while (argv[i + 1] && !argv[i + 1].startsWith('--')) o.negatives.push(argv[++i]);
    else if (a === '--clips') o.clips = Number(value());
    else if (a === '--bench-clips') o.benchClips = Number(value());
    else if (a === '--cold') o.cold = Number(value());
    else if (a === '--home') o.home = value();
    else if (a === '--json') o.json = value();
    else if (a === '--no-docs') o.docs = false;
    else if (a === '--render') o.render = value();
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.dirs.push(a);
  }
  if (o.dirs.length === 0 && !o.render) throw new Error('usage: npm run bench:scale -- [--sizes 50,250,500,1000] [--synthetic] [--distractors DIR...] [--negatives DIR...] [--clips N] DIR...');
  return o;
}

/**
 * Runs `ayah ARGS` under /usr/bin/time: wall, peak RSS, CPU seconds, all as time(1) reports
 * them for the command alone. The wall time is time's own (%e), not the time spawnSync
 * takes here: forking this process, which holds the base fingerprints (gigabytes), costs
 * 100-250 ms that a user's shell does not pay (a cold identify measured 0.34 s by `time`
 * took 0.45-0.55 s from here).
 */
function measured(args: string[], env: Record<string, string>): Measured {
  const stats = path.join(os.tmpdir(), `ayah-time-${process.pid}.txt`);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', '-o', stats, process.execPath, path.join(REPO, 'bin', 'ayah'), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 512 * 1024 * 1024,
  });
  const [wallS, kb, user, sys] = fs.readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  fs.rmSync(stats, { force: true });
  if (r.status !== 0 && r.status !== 1) log(`ayah ${args[0]} exited ${r.status}: ${r.stderr.toString().trim().split('\n').pop()}`);
  return { ms: wallS * 1000, rssMb: Math.round(kb / 1024), cpuS: user + sys, status: r.status ?? 70, stdout: r.stdout.toString() };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * `n` WAV clips of `seconds` cut from the audio of `dirs`, seeded: each starts in a random
 * file, up to 2 s in, and runs on into the next files of its folder (consecutive ayahs,
 * as a listener's recording would).
 */
function cutClips(dirs: string[], n: number, out: string, seed: number, seconds = 5): string[] {
  fs.mkdirSync(out, { recursive: true });
  const folders = dirs.map((d) => listAudio(d)).filter((f) => f.length > 0);
  const rng = mulberry32(seed);
  const clips: string[] = [];
  for (let i = 0; clips.length < n && i < n * 4; i++) {
    const files = folders[Math.floor(rng() * folders.length)];
    const at = Math.floor(rng() * files.length);
    const run = files.slice(at, at + 4);
    const file = path.join(out, `clip${clips.length}.wav`);
    const inputs = run.flatMap((f) => ['-i', f]);
    const graph = `${run.map((_, k) => `[${k}:a:0]aformat=sample_rates=16000:channel_layouts=mono[a${k}]`).join(';')};${run.map((_, k) => `[a${k}]`).join('')}concat=n=${run.length}:v=0:a=1[out]`;
    const start = (rng() * 2).toFixed(2);
    const r = spawnSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', ...inputs, '-filter_complex', graph, '-map', '[out]', '-ss', start, '-t', String(seconds), '-c:a', 'pcm_s16le', file]);
    // Keep clips that have their full length (the last files of a folder may be too short).
    if (r.status === 0 && fs.existsSync(file) && fs.statSync(file).size >= 44 + seconds * 0.98 * 16000 * 2) clips.push(file);
  }
  return clips;
}

function listAudio(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listAudio(p));
    else if (/\.(mp3|wav|ogg|flac|m4a|opus)$/i.test(e.name) && !/(^|\/)0*0\.mp3$|000\.mp3$/.test(p)) out.push(p);
  }
  return out.sort();
}

/**
 * Reads every file under `dir` (the index) into the page cache, as a server that has run a
 * while has them: the call measured first after a compaction would otherwise pay for the
 * files it rewrote and the machine has since evicted.
 */
function readAll(dir: string): void {
  const buf = Buffer.alloc(1 << 24);
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const fd = fs.openSync(path.join(e.parentPath, e.name), 'r');
    try {
      while (fs.readSync(fd, buf, 0, buf.length, null) > 0);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** `ayah identify` over every clip in one call: with its default threads (throughput), and with one (each clip's own time); the index read into memory before each. */
function identifyBatch(clips: string[], env: Record<string, string>, indexDir: string): Latency {
  readAll(indexDir);
  const threaded = measured(['identify', '--json', ...clips], env);
  readAll(indexDir);
  const m = measured(['identify', '--jobs', '1', '--json', ...clips], env);
  const elapsed = m.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(JSON.parse(l).elapsed_ms))
    .sort((a, b) => a - b);
  return {
    clips: clips.length,
    wallPerClipMs: round1(threaded.ms / clips.length),
    oneThreadWallPerClipMs: round1(m.ms / clips.length),
    p50: percentile(elapsed, 0.5),
    p95: percentile(elapsed, 0.95),
    p99: percentile(elapsed, 0.99),
    rssMb: Math.max(threaded.rssMb, m.rssMb),
  };
}

function cold(clip: string, times: number, env: Record<string, string>): { p50: number; max: number } {
  const ms = Array.from({ length: times }, () => measured(['identify', clip], env).ms).sort((a, b) => a - b);
  return { p50: Math.round(percentile(ms, 0.5)), max: Math.round(ms[ms.length - 1]) };
}

function accuracy(o: Options, reciters: string[], work: string, env: Record<string, string>): { top1: Record<string, number>; negatives: { clips: number; wrong: number } } {
  const run = (extra: string[], name: string) => {
    const json = path.join(work, `${name}.json`);
    measured(['bench', '--reciter', reciters.join(','), '--clips', String(o.benchClips), '--json', json, ...extra], env);
    return JSON.parse(fs.readFileSync(json, 'utf8')) as BenchReport;
  };
  const five = run(['--degrade', DEGRADE, ...(o.negatives.length ? ['--negatives', ...o.negatives] : [])], 'bench5');
  const two = run(['--seconds', '2', '--degrade', 'clean'], 'bench2');
  const top1: Record<string, number> = {};
  for (const r of five.rows) if (r.top1 !== null && r.top1 !== undefined) top1[r.name] = r.top1;
  for (const r of two.rows) if (r.top1 !== null && r.top1 !== undefined) top1[`2s ${r.name}`] = r.top1;
  const neg = five.rows.filter((r) => r.name.startsWith('negatives/'));
  return { top1, negatives: { clips: neg.reduce((n, r) => n + r.clips, 0), wrong: neg.reduce((n, r) => n + Math.round(r.wrongMatch * r.clips), 0) } };
}

type ScaleResult = { createdAt: string; machine: ReturnType<typeof machineInfo>; options: Partial<Options>; indexed: Indexed[]; points: SizePoint[] };

function writeDocs(result: ScaleResult): void {
  writeSection(path.join(REPO, 'docs', 'benchmarks.md'), 'scale', scaleMarkdown(result));
  fs.writeFileSync(path.join(REPO, 'docs', 'scale.svg'), scalePlot(result.points));
  log('wrote docs/benchmarks.md (scale section) and docs/scale.svg');
}

async function main(): Promise<number> {
  const o = parse(process.argv.slice(2));
  if (o.render) {
    writeDocs(JSON.parse(fs.readFileSync(o.render, 'utf8')) as ScaleResult);
    return 0;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ayah-scale-'));
  const home = o.home ?? path.join(work, 'home');
  const env = { AYAH_HOME: home };
  const indexDir = path.join(home, 'index');
  try {
    // A run keeps its state in the home, so that one that stopped can be resumed (--home).
    const stateFile = path.join(home, 'scale-state.json');
    const state = fs.existsSync(stateFile) ? (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { indexed: Indexed[]; points: SizePoint[]; labelled: string[] }) : undefined;
    const indexed: Indexed[] = state?.indexed ?? [];
    const save = () => fs.writeFileSync(stateFile, JSON.stringify({ indexed, points, labelled: labelledIds }, null, 1));
    const hoursIndexed = () => indexStats(indexDir)!.audioSeconds / 3600;
    const matchClips = cutClips(o.dirs, o.clips, path.join(work, 'match'), 1);
    const negClips = o.negatives.length ? cutClips(o.negatives, o.clips, path.join(work, 'neg'), 2) : [];
    let labelledIds: string[] = state?.labelled ?? [];
    const points: SizePoint[] = state?.points ?? [];
    const sizes = [...o.sizes].sort((a, b) => a - b).filter((x) => !points.some((p) => p.size === x));
    const measureDue = async () => {
      while (sizes.length && hoursIndexed() >= sizes[0] - 0.01) {
        const size = sizes.shift()!;
        points.push({ size, ...(await measurePoint(o, indexDir, env, work, labelledIds, matchClips, negClips, indexed)) });
        save();
      }
    };
    for (const dir of [...o.dirs, ...o.distractors]) {
      if (indexed.some((x) => x.dir === dir)) continue;
      const x = indexFolder(dir, indexDir, env);
      if (x) indexed.push(x);
      if (dir === o.dirs[o.dirs.length - 1]) labelledIds = indexedReciters(indexDir).map((r) => r.id);
      save();
      await measureDue();
    }
    if (sizes.length && o.synthetic) {
      const base = await fingerprintFolders(o.dirs);
      // Variants already committed (a resumed run) are named synthetic-FROM-TO.
      let nextVariant = Math.max(0, ...indexedReciters(indexDir).map((r) => Number(/^synthetic-\d+-(\d+)$/.exec(r.id)?.[1] ?? -1) + 1));
      while (sizes.length) {
        nextVariant = await addVariants(indexDir, base, nextVariant, (sizes[0] - hoursIndexed()) * 3600);
        await measureDue();
      }
    } else if (sizes.length) log(`sizes ${sizes.join(', ')} h not reached: the folders give ${hoursIndexed().toFixed(1)} h (add --synthetic)`);
    if (o.sizes.length === 0) points.push(await measurePoint(o, indexDir, env, work, labelledIds, matchClips, negClips, indexed));
    const result: ScaleResult = { createdAt: new Date().toISOString(), machine: machineInfo(), options: { ...o, home: undefined }, indexed, points };
    if (o.json) fs.writeFileSync(o.json, JSON.stringify(result, null, 1));
    if (o.docs) writeDocs(result);
    process.stdout.write(scaleMarkdown(result) + '\n');
    return 0;
  } finally {
    if (!o.home) fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Indexes a folder with `ayah add-reciter`; undefined (logged) when it cannot be indexed at all. */
function indexFolder(dir: string, indexDir: string, env: Record<string, string>): Indexed | undefined {
  const m = measured(['add-reciter', dir, '--name', path.basename(path.resolve(dir)), '--skip-invalid', '--json'], env);
  if (!m.stdout.trim()) {
    log(`${dir}: not indexed (add-reciter exited ${m.status})`);
    return undefined;
  }
  const res = JSON.parse(m.stdout) as { failed?: unknown[]; reciter: { id: string } };
  const reciter = indexedReciters(indexDir).find((r) => r.id === res.reciter.id);
  const hours = (reciter?.audioSeconds ?? 0) / 3600;
  const x: Indexed = { dir, hours: Math.round(hours * 100) / 100, wallS: round1(m.ms / 1000), xRealtime: Math.round((hours * 3600) / (m.ms / 1000)), cpuS: round1(m.cpuS), rssMb: m.rssMb, failed: res.failed?.length ?? 0 };
  log(`indexed ${dir}: ${hours.toFixed(2)} h in ${x.wallS} s (${x.xRealtime}x realtime, ${x.cpuS} CPU s, ${m.rssMb} MB peak)`);
  return x;
}

/** Compacts the index (as `ayah index rebuild --compact` would), then measures identify at its size. */
async function measurePoint(o: Options, indexDir: string, env: Record<string, string>, work: string, labelled: string[], matchClips: string[], negClips: string[], indexed: Indexed[]): Promise<SizePoint> {
  const t = performance.now();
  const stats = await compactIndex(indexDir);
  const compactS = round1((performance.now() - t) / 1000);
  const hours = stats.audioSeconds / 3600;
  const postings = stats.postings;
  const indexMb = currentIndexBytes(indexDir) / 2 ** 20;
  log(`${hours.toFixed(0)} h: ${postings.toLocaleString('en')} postings, ${indexMb.toFixed(0)} MB in ${stats.segments} segment(s); measuring identify`);
  const nan = { clips: 0, wallPerClipMs: NaN, p50: NaN, p95: NaN, p99: NaN, rssMb: NaN };
  const point: SizePoint = {
    hours: round1(hours),
    realHours: round1(indexed.reduce((n, x) => n + x.hours, 0)),
    recordings: stats.recordings,
    postings,
    indexMb: Math.round(indexMb),
    mbPerHour: round1((indexMb / hours) * 10) / 10,
    compactS,
    matches: identifyBatch(matchClips, env, indexDir),
    nonMatches: negClips.length ? identifyBatch(negClips, env, indexDir) : nan,
    coldMatchMs: cold(matchClips[0], o.cold, env),
    coldNonMatchMs: negClips.length ? cold(negClips[0], o.cold, env) : { p50: NaN, max: NaN },
    ...accuracy(o, labelled, work, env),
  };
  log(JSON.stringify(point));
  return point;
}

/** " (N on one thread)" when the point has it. */
function oneThread(l: Latency): string {
  return l.oneThreadWallPerClipMs === undefined ? '' : ` (${l.oneThreadWallPerClipMs} on one thread)`;
}

/** Issue 8's targets, checked on the largest index measured. */
function targetRows(r: ScaleResult): string[] {
  const p = r.points[r.points.length - 1];
  if (!p) return [];
  const realHours = r.indexed.reduce((n, x) => n + x.hours, 0);
  const realWall = r.indexed.reduce((n, x) => n + x.wallS, 0);
  const t1 = (k: string) => p.top1[k];
  const rows: [string, string, boolean][] = [
    ['identify ≤ 15 ms per 5-s clip in one call (matches)', `${p.matches.wallPerClipMs} ms${oneThread(p.matches)}`, p.matches.wallPerClipMs <= 15],
    ['identify ≤ 15 ms per 5-s clip in one call (no match)', `${p.nonMatches.wallPerClipMs} ms${oneThread(p.nonMatches)}`, p.nonMatches.wallPerClipMs <= 15],
    ['p99 ≤ 60 ms (matches / no match; each clip alone: `--jobs 1`)', `${p.matches.p99} / ${p.nonMatches.p99} ms`, p.matches.p99 <= 60 && p.nonMatches.p99 <= 60],
    ['cold `ayah identify clip.wav` ≤ 0.5 s (match / no match, p50)', `${p.coldMatchMs.p50} / ${p.coldNonMatchMs.p50} ms`, p.coldMatchMs.p50 <= 500 && p.coldNonMatchMs.p50 <= 500],
    ['top-1 clean ≥ 99 %', pctOf(t1('clean')), (t1('clean') ?? 0) >= 0.99],
    ['top-1 mp3 32k ≥ 99 %', pctOf(t1('mp3:32')), (t1('mp3:32') ?? 0) >= 0.99],
    ['top-1 noise 5 dB ≥ 95 %', pctOf(t1('noise:5')), (t1('noise:5') ?? 0) >= 0.95],
    ['top-1 phone ≥ 95 %', pctOf(t1('phone')), (t1('phone') ?? 0) >= 0.95],
    ['top-1 reverb ≥ 95 %', pctOf(t1('reverb')), (t1('reverb') ?? 0) >= 0.95],
    ['top-1 tempo ±5 % ≥ 97 %', `${pctOf(t1('tempo:+5'))} / ${pctOf(t1('tempo:-5'))}`, Math.min(t1('tempo:+5') ?? 0, t1('tempo:-5') ?? 0) >= 0.97],
    ['top-1 2-second clean clips ≥ 90 %', pctOf(t1('2s clean')), (t1('2s clean') ?? 0) >= 0.9],
    ['0 wrong answers on ≥ 300 clips of not-indexed reciters', `${p.negatives.wrong} of ${p.negatives.clips}`, p.negatives.wrong === 0 && p.negatives.clips >= 300],
    ['add-reciter ≥ 1,500x realtime (all real folders together)', `${Math.round((realHours * 3600) / realWall)}x`, (realHours * 3600) / realWall >= 1500],
    ['identify ≤ 1.5 GB RSS', `${Math.max(p.matches.rssMb, p.nonMatches.rssMb || 0)} MB`, Math.max(p.matches.rssMb, p.nonMatches.rssMb || 0) <= 1536],
    ['index ≤ 4 MB per hour', `${p.mbPerHour.toFixed(2)} MB`, p.mbPerHour <= 4],
  ];
  return [
    `### Issue 8 targets, on the largest index measured (${p.hours} h)`,
    '',
    '| target | measured | met |',
    '|---|---:|---|',
    ...rows.map(([what, v, ok]) => `| ${what} | ${v} | ${ok ? 'yes' : '**no**'} |`),
    '',
  ];
}

const pctOf = (x: number | undefined) => (x === undefined ? 'not run' : `${(x * 100).toFixed(1)} %`);

function scaleMarkdown(r: ScaleResult): string {
  const m = r.machine;
  const rows = r.points;
  const pct = (x: number | undefined) => (x === undefined ? '–' : `${(x * 100).toFixed(1)} %`);
  const accRows = [...new Set(rows.flatMap((p) => Object.keys(p.top1)))];
  return [
    '## Scale (`npm run bench:scale`)',
    '',
    `Written by \`npm run bench:scale\` (bench/run-scale.ts) on ${r.createdAt.slice(0, 10)}. Machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}.`,
    `Labelled folders (clips and accuracy): ${(r.options.dirs ?? []).map((d) => path.basename(d)).join(', ')}. ` +
      `Real distractor folders indexed after them: ${(r.options.distractors ?? []).length}. ` +
      (r.options.synthetic ? 'Sizes beyond the real audio are reached with synthetic distractor reciters made from the labelled ones (pitch and time moved; see docs/scaling.md). ' : '') +
      'The index is compacted (`ayah index rebuild --compact`) before each measurement.',
    '',
    ...targetRows(r),
    '### Indexing',
    '',
    '| folder | hours | wall | x realtime | CPU s | peak RSS | failed files |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.indexed.map((x) => `| ${path.basename(x.dir)} | ${x.hours} | ${x.wallS} s | ${x.xRealtime}x | ${x.cpuS} | ${x.rssMb} MB | ${x.failed} |`),
    '',
    '### Identify, by index size (5-second clips; `ayah identify --json` over all clips in one call)',
    '',
    '| index hours | postings | index MB | MB per hour | match: ms per clip (wall; default threads) | match p50 / p95 / p99 ms (one thread) | no match: ms per clip | no match p50 / p95 / p99 ms (one thread) | identify peak RSS | cold match p50 (max) | cold no match p50 (max) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (p) =>
        `| ${p.hours} | ${p.postings.toLocaleString('en')} | ${p.indexMb} | ${p.mbPerHour.toFixed(2)} | ${p.matches.wallPerClipMs}${oneThread(p.matches)} | ${p.matches.p50} / ${p.matches.p95} / ${p.matches.p99} | ${p.nonMatches.wallPerClipMs}${oneThread(p.nonMatches)} | ${p.nonMatches.p50} / ${p.nonMatches.p95} / ${p.nonMatches.p99} | ${Math.max(p.matches.rssMb, p.nonMatches.rssMb || 0)} MB | ${p.coldMatchMs.p50} (${p.coldMatchMs.max}) ms | ${p.coldNonMatchMs.p50} (${p.coldNonMatchMs.max}) ms |`,
    ),
    '',
    '### Accuracy, by index size (`ayah bench` on clips of the real reciters; negatives: folders not indexed)',
    '',
    `| index hours | ${accRows.join(' | ')} | negatives: wrong / clips |`,
    `|---:|${accRows.map(() => '---:').join('|')}|---:|`,
    ...rows.map((p) => `| ${p.hours} | ${accRows.map((k) => pct(p.top1[k])).join(' | ')} | ${p.negatives.wrong} / ${p.negatives.clips} |`),
    '',
    '![identify latency and memory against index hours](scale.svg)',
  ].join('\n');
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`bench:scale: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
