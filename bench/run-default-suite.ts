/**
 * `npm run bench`: the default benchmark suite of issue 5, end to end through the real CLI.
 *
 * Indexes the akhdar and salama folders of ../shared/corpus (beside the repository, or
 * AYAH_CORPUS) into a temporary AYAH_HOME with `ayah add-reciter`, times that and
 * `ayah identify` (a cold single call and one batch call), runs `ayah bench` with the
 * default suite and negatives (alafasy, hudhaifi, generated non-recitation audio), and
 * writes docs/benchmarks.md.
 *
 * `--quick`: the CI guard (well under 2 minutes with indexing): fewer clips and
 * degradations, prints the table, writes no docs, and exits non-zero when a threshold is
 * missed. Thresholds are QUICK_THRESHOLDS unless --min-top1/--max-wrong are given.
 * Any other arguments are passed to `ayah bench` (e.g. --seed 7, --clips 50).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SUITE } from '../src/bench/degrade.js';
import { writeNonRecitation } from '../src/bench/generated-audio.js';
import type { BenchReport } from '../src/bench/report.js';
import { ffmpegPath } from '../src/fingerprint/ffmpeg-path.js';
import { writeSection } from './docs-section.js';
import { ayah, ayahJson, CORPUS, log, REPO, timed } from './cli.js';

const INDEXED = ['akhdar', 'salama'];
const NEGATIVES = ['alafasy', 'hudhaifi'];

const FULL = { clips: 500, degrade: DEFAULT_SUITE };
const QUICK = { clips: 150, degrade: 'clean,mp3:32,noise:5,tempo:+5,speed:+5,phone' };
/**
 * The CI guard: figures measured on 2026-11-23 (150 clips, seed 1: every row 100 %, no
 * wrong answer) minus a margin of two to seven clips. Fingerprint v2 (2026-11-24): speed +5 %
 * 97.3 % (a clip whose third peaks the speed change moved too far no longer votes), noise 5 dB
 * 99.3 %, the rest 100 %; the speed row's threshold moved to keep a margin of three clips.
 */
const QUICK_THRESHOLDS = ['--min-top1', 'clean=0.98', '--min-top1', 'mp3:32=0.97', '--min-top1', 'noise:5=0.95', '--min-top1', 'tempo:+5=0.97', '--min-top1', 'speed:+5=0.95', '--min-top1', 'phone=0.95', '--max-wrong', '0.02'];

/** Issue 2's "Must show" targets, checked in docs/benchmarks.md. */
const TARGETS: Array<{ what: string; row: string; min?: number; max?: number; metric: 'top1' | 'wrongAyah' }> = [
  { what: 'top-1 clean ≥ 98 %', row: 'clean', metric: 'top1', min: 0.98 },
  { what: 'top-1 mp3 32 kbit/s ≥ 95 %', row: 'mp3:32', metric: 'top1', min: 0.95 },
  { what: 'top-1 white noise 5 dB SNR ≥ 75 %', row: 'noise:5', metric: 'top1', min: 0.75 },
  { what: 'top-1 tempo +5 % ≥ 90 %', row: 'tempo:+5', metric: 'top1', min: 0.9 },
  ...[...NEGATIVES, 'generated'].map((n) => ({ what: `not indexed (${n}): wrong surah:ayah ≤ 1 %`, row: `negatives/${n}`, metric: 'wrongAyah' as const, max: 0.01 })),
];

function main(): number {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const extra = args.filter((a) => a !== '--quick');
  if (!fs.existsSync(path.join(CORPUS, INDEXED[0]))) {
    process.stderr.write(`bench: no corpus at ${CORPUS} (set AYAH_CORPUS)\n`);
    return 2;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ayah-bench-'));
  try {
    return run(work, quick, extra);
  } catch (err) {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    return 70;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function run(work: string, quick: boolean, extra: string[]): number {
  const env = { AYAH_HOME: path.join(work, 'home') };
  const indexing = INDEXED.map((name) => {
    const t = timed(() => ayahJson(['add-reciter', path.join(CORPUS, name), '--name', name, '--riwayah', 'hafs', '--json'], env));
    log(`indexed ${name}: ${t.value.added} recordings in ${(t.ms / 1000).toFixed(1)} s`);
    return { name, ms: t.ms, added: Number(t.value.added), postings: Number(t.value.postings) };
  });

  const generated = path.join(work, 'generated');
  fs.mkdirSync(generated);
  writeNonRecitation(generated, 20);
  const suite = quick ? QUICK : FULL;
  const thresholds = quick && !extra.some((a) => a === '--min-top1' || a === '--max-wrong') ? QUICK_THRESHOLDS : [];
  const jsonFile = path.join(work, 'bench.json');
  const benchArgs = ['bench', '--clips', String(suite.clips), '--degrade', suite.degrade, '--negatives', ...NEGATIVES.map((n) => path.join(CORPUS, n)), generated, '--json', jsonFile, ...thresholds, ...extra];
  log(`ayah ${benchArgs.join(' ')}`);
  const bench = ayah(benchArgs, env, 'inherit');
  process.stdout.write(bench.stdout);
  if (bench.status !== 0 && bench.status !== 1) return bench.status;
  const report = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as BenchReport;
  if (!quick) {
    const latency = identifyLatency(work, env);
    const file = path.join(REPO, 'docs', 'benchmarks.md');
    writeSection(file, 'default', benchmarksMarkdown(report, bench.stdout, indexing, latency, benchArgs));
    log(`wrote ${path.relative(process.cwd(), file)}`);
  }
  return bench.status;
}

interface Latency {
  coldMs: number;
  batchClips: number;
  batchWallMs: number;
  /** (batch wall − cold single-clip wall) / (clips − 1): the cost of one more clip in a call. */
  batchMarginalMsPerClip: number;
  batchMeanElapsedMs: number;
}

/** A cold `ayah identify clip.wav` (median of 3) and one batch call on 5-second clips. */
function identifyLatency(work: string, env: Record<string, string>): Latency {
  const dir = path.join(work, 'clips');
  fs.mkdirSync(dir);
  const sources = fs.readdirSync(path.join(CORPUS, 'akhdar')).filter((f) => f.endsWith('.mp3'));
  const clips = sources
    .filter((_f, i) => i % 12 === 5)
    .map((f, i) => {
      const out = path.join(dir, `clip${i}.wav`);
      spawnSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', '-ss', '0.5', '-t', '5', '-i', path.join(CORPUS, 'akhdar', f), out]);
      return out;
    });
  const cold = [0, 1, 2].map(() => timed(() => ayah(['identify', clips[0]], env, 'ignore')).ms).sort((a, b) => a - b)[1];
  const batch = timed(() => ayah(['identify', '--json', ...clips], env, 'ignore'));
  const elapsed = batch.value.stdout
    .trim()
    .split('\n')
    .map((l) => Number(JSON.parse(l).elapsed_ms));
  return {
    coldMs: Math.round(cold),
    batchClips: clips.length,
    batchWallMs: Math.round(batch.ms),
    batchMarginalMsPerClip: Math.round(((batch.ms - cold) / (clips.length - 1)) * 10) / 10,
    batchMeanElapsedMs: Math.round((elapsed.reduce((a, b) => a + b, 0) / elapsed.length) * 10) / 10,
  };
}

function benchmarksMarkdown(report: BenchReport, table: string, indexing: Array<{ name: string; ms: number; added: number; postings: number }>, latency: Latency, benchArgs: string[]): string {
  const m = report.machine;
  const row = (name: string) => report.rows.find((r) => r.name === name);
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const targets = TARGETS.map((t) => {
    const r = row(t.row);
    const v = r ? r[t.metric] : null;
    const ok = v !== null && v !== undefined && (t.min === undefined || v >= t.min) && (t.max === undefined || v <= t.max);
    return `| ${t.what} | ${v === null || v === undefined ? 'not run' : pct(v)} | ${ok ? 'yes' : '**no**'} |`;
  });
  const akhdar = indexing.find((i) => i.name === 'akhdar');
  return [
    '## Default suite: the shared corpus (`npm run bench`)',
    '',
    `Written by \`npm run bench\` (bench/run-default-suite.ts) on ${report.createdAt.slice(0, 10)}. ` +
      `Machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}. ` +
      'How the clips, degradations and figures are made: [bench.md](bench.md).',
    '',
    '### Issue 2 targets',
    '',
    '| target | measured | met |',
    '|---|---:|---|',
    ...targets,
    `| add-reciter akhdar (571 files, 1 h) ≤ 60 s | ${akhdar ? (akhdar.ms / 1000).toFixed(1) + ' s' : 'not run'} | ${akhdar && akhdar.ms <= 60000 ? 'yes' : '**no**'} |`,
    `| identify ≤ 30 ms per 5-s clip in one batch call | ${latency.batchMarginalMsPerClip} ms | ${latency.batchMarginalMsPerClip <= 30 ? 'yes' : '**no**'} |`,
    `| cold \`ayah identify clip.wav\` ≤ 1 s | ${latency.coldMs} ms | ${latency.coldMs <= 1000 ? 'yes' : '**no**'} |`,
    '',
    '### Indexing (`ayah add-reciter`, wall time of the whole command)',
    '',
    '| reciter | recordings | postings | wall |',
    '|---|---:|---:|---:|',
    ...indexing.map((i) => `| ${i.name} | ${i.added} | ${i.postings.toLocaleString('en-US')} | ${(i.ms / 1000).toFixed(1)} s |`),
    '',
    '### Identify latency (`ayah identify`, 5-second WAV clips of akhdar)',
    '',
    `- cold, one clip, a new process each time (median of 3): ${latency.coldMs} ms`,
    `- one call with ${latency.batchClips} clips: ${latency.batchWallMs} ms of wall time, so ${latency.batchMarginalMsPerClip} ms per clip beyond the first ` +
      `((batch − cold single) / (clips − 1)); mean \`elapsed_ms\` printed per clip ${latency.batchMeanElapsedMs} ms`,
    '',
    '### Accuracy (`ayah bench`)',
    '',
    '```',
    `ayah ${benchArgs.map((a) => (a.startsWith('/') ? path.basename(a) : a)).join(' ')}`,
    '```',
    '',
    'Rows: one per degradation of clips cut from the indexed audio; `negatives/<folder>` rows are clips of audio that is not indexed ' +
      '(other reciters, and generated tones, music-like audio, noise and silence), where any answer but no_match counts as wrong; ' +
      '"wrong ayah" there counts only answers naming an ayah the audio does not recite. Latency is that of `identifyPcm` alone.',
    '',
    table.trimEnd(),
    '',
  ].join('\n');
}

process.exitCode = main();
