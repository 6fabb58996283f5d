/**
 * `npm run bench:timeline`: issue 9's figures, end to end through the real CLI, written to
 * the "timeline" section of docs/benchmarks.md.
 *
 * - Indexes akhdar, salama (ayah files) and basit-warsh (whole surahs with timings).
 * - Long recordings: surahs 78-114 of akhdar and of salama joined ayah to ayah, the
 *   reciter's basmala before each surah, clean and degraded (mp3 32k, noise 10 dB, phone);
 *   `ayah identify --timeline --json` on each: share of ayahs found, median / p95 error of
 *   start and end, false segments per hour, repeated texts placed right, speed and peak RSS.
 * - Real whole-surah recordings: the 35 basit-warsh surahs joined, degraded copies, scored
 *   against alignments/*.json (as the index holds them).
 * - Memory on a 3-hour input (the akhdar recording three times, through a pipe).
 * - Then the index is grown to 50 hours with synthetic distractor reciters
 *   (src/bench/synthetic-reciters.ts) and the akhdar recordings, the 3-hour pipe and the
 *   follow mode are measured again there.
 * - Follow mode: joined recordings played in real time (`ffmpeg -re`) into
 *   `ayah identify --follow --json -`: delay from each ayah's start to its line.
 *
 * `--quick`: surahs 105-114 only, one degradation, no 3-hour run; prints, writes no docs.
 * `--home DIR`: keeps the built indexes in DIR (DIR/small, DIR/big: the grown copy) and the
 * recordings made for the runs, and reuses them on the next run (building the 50-hour
 * index takes most of a run's time).
 * `--parts small,big,long,follow`: only these parts (default all; docs are written only
 * when all run).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDegradations } from '../src/bench/degrade.js';
import { joinParts, writePcm, type Joined, type Part, type TruthSpan } from '../src/bench/joined-recording.js';
import { renderClip } from '../src/bench/render.js';
import { addVariants, fingerprintFolders } from '../src/bench/synthetic-reciters.js';
import { indexDir } from '../src/home.js';
import { machineInfo } from '../src/bench/report.js';
import { quantile, scoreTimeline, type SegmentJson, type TimelineScore } from '../src/bench/timeline-metrics.js';
import { ffmpegPath } from '../src/fingerprint/ffmpeg-path.js';
import { Identifier } from '../src/query/identifier.js';
import { numbering } from '../src/quran/numbering.js';
import { ayahJson, CORPUS, log, REPO } from './cli.js';
import { writeSection } from './docs-section.js';

const quick = process.argv.includes('--quick');
const argValue = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const keepDir = argValue('--home') ? path.resolve(argValue('--home')!) : undefined;
const PARTS = ['small', 'big', 'long', 'follow'] as const;
const parts = new Set((argValue('--parts') ?? PARTS.join(',')).split(','));
const allParts = PARTS.every((p) => parts.has(p));
const SURAHS = quick ? range(105, 114) : range(78, 114);
const DEGRADE = quick ? 'clean,noise:10' : 'clean,mp3:32,noise:10,phone';
/** The index size of the speed target, hours (reached with synthetic distractor reciters). */
const TARGET_HOURS = quick ? 0 : 50;

/** The 1-minute load average now; every reading is kept for the docs' range. */
const loads: number[] = [];
function loadNow(): string {
  const l = Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  loads.push(l);
  return l.toFixed(1);
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

interface RunFigures {
  indexHours: number;
  name: string;
  degradation: string;
  hours: number;
  score: TimelineScore;
  wallS: number;
  /** CPU time of the identify process (user + system; its ffmpeg child's not included), seconds. */
  cpuS: number;
  rssMB: number;
}

/** Whether a truth span is a repeated text (the basmala, or a text found elsewhere too), in the recording's own numbering. */
const isRepeatedIn = (riwayah: string) => (t: TruthSpan) => (t.surah === 1 && t.ayah === 1) || numbering(riwayah).repeatedGroup(t.surah, t.ayah).length > 1;

/** `ayah identify --timeline --json` on a file (or a shell command's output on stdin), with its wall time and peak RSS. */
function timeline(home: string, input: string, viaShell?: string): { segments: SegmentJson[]; wallS: number; cpuS: number; rssMB: number } {
  const ayahCmd = `/usr/bin/time -f '%e %M %U %S' ${process.execPath} ${path.join(REPO, 'bin', 'ayah')} identify --timeline --json ${viaShell ? '-' : `'${input}'`}`;
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', viaShell ? `${viaShell} | ${ayahCmd}` : ayahCmd], {
    env: { ...process.env, AYAH_HOME: home, LOG_LEVEL: 'warn' },
    maxBuffer: 512 * 1024 * 1024,
  });
  const err = r.stderr.toString().trim().split('\n');
  if (r.status !== 0) throw new Error(`identify --timeline ${input} failed (exit ${r.status}): ${err.slice(-3).join(' / ')}`);
  const [wall, kb, user, sys] = err.at(-1)!.split(' ').map(Number);
  return { segments: r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as SegmentJson), wallS: wall, cpuS: user + sys, rssMB: kb / 1024 };
}

/** Degraded copies of a joined recording, written to `dir` (or kept there from a run before, with --home); returns [degradation, file]. */
async function degradedFiles(joined: Joined, name: string, dir: string): Promise<[string, string][]> {
  const degradations = parseDegradations(DEGRADE);
  // The clean copy as mp3 (the speed figure includes mp3 decoding); the others as 16-bit WAV (already degraded).
  const files = degradations.map((d) => path.join(dir, `${name}-${d.name.replace(/[^a-z0-9]+/gi, '_')}.${d.name === 'clean' ? 'mp3' : 'wav'}`));
  if (!(keepDir && files.every((f) => fs.existsSync(f)))) {
    const rendered = await renderClip({ name, source: { kind: 'pcm', pcm: joined.pcm, rate: joined.rate }, seed: 9, degradations });
    degradations.forEach((d, i) => writePcm(rendered[i], joined.rate, files[i], d.name === 'clean' ? ['-b:a', '64k'] : ['-c:a', 'pcm_s16le']));
  }
  return degradations.map((d, i) => [d.name, files[i]]);
}

function ayahParts(reciter: string): Part[] {
  const dir = path.join(CORPUS, reciter);
  const basmala = path.join(dir, '001001.mp3');
  const parts: Part[] = [];
  for (const s of SURAHS) {
    parts.push({ file: basmala, ref: { surah: 1, ayah: 1 }, note: `before ${s}` });
    const files = fs.readdirSync(dir).filter((f) => f.startsWith(String(s).padStart(3, '0')) && f.endsWith('.mp3') && !f.endsWith('000.mp3')).sort();
    for (const f of files) parts.push({ file: path.join(dir, f), ref: { surah: s, ayah: Number(f.slice(3, 6)) } });
  }
  return parts;
}

async function scoreRuns(home: string, indexHours: number, name: string, joined: Joined, files: [string, string][], riwayah = 'hafs'): Promise<RunFigures[]> {
  const out: RunFigures[] = [];
  for (const [degradation, file] of files) {
    const r = timeline(home, file);
    const score = scoreTimeline(r.segments, joined.truth, joined.durationS, isRepeatedIn(riwayah));
    out.push({ indexHours, name, degradation, hours: joined.durationS / 3600, score, wallS: r.wallS, cpuS: r.cpuS, rssMB: r.rssMB });
    const speed = `${Math.round((joined.durationS) / r.wallS)}x wall, ${Math.round(joined.durationS / r.cpuS)}x per CPU s`;
    log(
      `${name} ${degradation} (index ${indexHours.toFixed(1)} h): ${score.found}/${score.ayahs} found, start error p50/p95 ${s1(quantile(score.startErrors, 50))}/${s1(quantile(score.startErrors, 95))} s, ` +
        `${score.falseSegments} false, repeated ${score.repeatedPlaced}/${score.repeated}, ${r.wallS} s (${speed}), ${Math.round(r.rssMB)} MB, load ${loadNow()}`,
    );
  }
  return out;
}

interface FollowFigures {
  name: string;
  ayahs: number;
  reported: number;
  /** Lines that name no ayah of the recording at that place (wrong or extra). */
  otherLines: number;
  latencies: number[];
}

/** Plays `file` in real time into identify --follow; delay from each truth ayah's start to the arrival of its line. */
async function followLatency(home: string, name: string, file: string, truth: TruthSpan[]): Promise<FollowFigures> {
  const started = performance.now();
  const player = spawn(ffmpegPath(), ['-nostdin', '-v', 'error', '-re', '-i', file, '-flush_packets', '1', '-f', 'wav', 'pipe:1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const follower = spawn(process.execPath, [path.join(REPO, 'bin', 'ayah'), 'identify', '--follow', '--json', '-'], {
    env: { ...process.env, AYAH_HOME: home, LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  player.stdout.pipe(follower.stdin);
  const lines: { at: number; ref: string; startS: number; streamS: number }[] = [];
  let buf = '';
  follower.stdout.on('data', (d: Buffer) => {
    const at = (performance.now() - started) / 1000;
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const j = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      lines.push({ at, ref: `${j.results[0].surah}:${j.results[0].ayah}`, startS: j.start_s, streamS: j.stream_s });
    }
  });
  await new Promise((resolve) => follower.on('exit', resolve));
  if (keepDir) fs.writeFileSync(path.join(keepDir, `follow-${name.replace(/[^a-z0-9]+/gi, '_')}.json`), JSON.stringify({ lines, truth }, null, 1));
  const latencies: number[] = [];
  for (const t of truth) {
    const line = lines.find((l) => l.ref === `${t.surah}:${t.ayah}` && Math.abs(l.startS - t.startS) < 1.5);
    if (line) latencies.push(line.at - t.startS);
  }
  const wrong = lines.filter((l) => !truth.some((t) => l.ref === `${t.surah}:${t.ayah}` && Math.abs(l.startS - t.startS) < 1.5)).length;
  log(
    `follow ${name}: ${latencies.length}/${truth.length} ayahs reported, ${wrong} other lines, p50 ${quantile(latencies, 50).toFixed(2)} s, p90 ${quantile(latencies, 90).toFixed(2)} s, ` +
      `within 3 s ${pct(latencies.filter((x) => x <= 3).length, truth.length)}, load ${loadNow()}`,
  );
  return { name, ayahs: truth.length, reported: latencies.length, otherLines: wrong, latencies };
}

/** Marks an AYAH_HOME as fully built (with --home, a later run reuses it). */
const BUILT = '.bench-timeline-built';
const isBuilt = (home: string) => fs.existsSync(path.join(home, BUILT));
const markBuilt = (home: string) => fs.writeFileSync(path.join(home, BUILT), new Date().toISOString() + '\n');

/** The small index: akhdar, salama (ayah files) and basit-warsh (whole surahs with timings). */
function buildSmallIndex(home: string): void {
  if (keepDir && isBuilt(home)) return log(`reusing the index in ${home}`);
  for (const [name, extra] of [
    ['akhdar', []],
    ['salama', []],
    ['basit-warsh', ['--riwayah', 'warsh', '--layout', 'surah-timed']],
  ] as const) {
    const t0 = performance.now();
    const r = ayahJson(['add-reciter', path.join(CORPUS, name), '--name', name, '--json', ...(extra.length ? extra : ['--riwayah', 'hafs'])], { AYAH_HOME: home });
    log(`indexed ${name}: ${r.added} recordings in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  markBuilt(home);
}

/** The speed target's index size: synthetic distractor reciters made from akhdar and salama, added to `bigHome` (a copy of `home` unless the same). */
async function growIndex(home: string, bigHome: string, indexHours: number): Promise<void> {
  if (keepDir && isBuilt(bigHome)) return log(`reusing the grown index in ${bigHome}`);
  const t0 = performance.now();
  if (bigHome !== home) {
    fs.rmSync(bigHome, { recursive: true, force: true });
    fs.cpSync(home, bigHome, { recursive: true });
  }
  const base = await fingerprintFolders(['akhdar', 'salama'].map((r) => path.join(CORPUS, r)));
  await addVariants(indexDir(bigHome), base, 0, (TARGET_HOURS - indexHours) * 3600);
  markBuilt(bigHome);
  log(`index grown in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

async function main(): Promise<number> {
  const work = keepDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ayah-bench-timeline-'));
  fs.mkdirSync(work, { recursive: true });
  // Without --home the index is grown in place once the small index's runs are done.
  const home = path.join(work, keepDir ? 'small' : 'home');
  const bigHome = keepDir ? path.join(work, 'big') : home;
  try {
    buildSmallIndex(home);
    const identifier = await Identifier.open(home, { withRecordings: true });
    const indexHours = identifier.reader.reciters().reduce((s, r) => s + r.audioSeconds, 0) / 3600;
    const { postings } = await identifier.stats();

    const runs: RunFigures[] = [];
    const joinedOf = new Map<string, { joined: Joined; files: [string, string][] }>();
    for (const reciter of ['akhdar', 'salama']) {
      const joined = await joinParts(ayahParts(reciter));
      const files = await degradedFiles(joined, reciter, work);
      joinedOf.set(reciter, { joined, files });
      if (parts.has('small')) runs.push(...(await scoreRuns(home, indexHours, reciter, joined, files)));
    }
    if (parts.has('small')) {
      // basit-warsh: the surahs joined, each surah's timeline (from alignments/*.json) as truth.
      const warsh = identifier
        .recordings()
        .filter((r) => r.reciterId === 'basit-warsh' && (!quick || r.timeline[0]?.surah >= 105))
        .sort((a, b) => (a.timeline[0]?.surah ?? 0) - (b.timeline[0]?.surah ?? 0));
      const warshJoined = await joinParts(warsh.map((r) => ({ file: r.path, timeline: r.timeline })));
      runs.push(...(await scoreRuns(home, indexHours, 'basit-warsh', warshJoined, await degradedFiles(warshJoined, 'basit-warsh', work), 'warsh')));
    }

    let bigHours = indexHours;
    let bigPostings = postings;
    if (TARGET_HOURS > indexHours) {
      await growIndex(home, bigHome, indexHours);
      const big = await Identifier.open(bigHome);
      bigHours = big.reader.reciters().reduce((s, r) => s + r.audioSeconds, 0) / 3600;
      bigPostings = (await big.stats()).postings;
      log(`index of ${bigHours.toFixed(1)} h (${bigPostings} postings)`);
      if (parts.has('big'))
        for (const reciter of ['akhdar', 'salama']) {
          const { joined, files } = joinedOf.get(reciter)!;
          runs.push(...(await scoreRuns(bigHome, bigHours, reciter, joined, files.filter(([d]) => d === 'clean' || d === 'noise:10'))));
        }
    }

    // Memory on a long input: the akhdar recording three times in a row, through a pipe.
    const loops = quick ? 1 : 3;
    const longHours = (joinedOf.get('akhdar')!.joined.durationS * loops) / 3600;
    let long: { wallS: number; cpuS: number; rssMB: number } | undefined;
    if (parts.has('long')) {
      const akhdarClean = joinedOf.get('akhdar')!.files.find(([d]) => d === 'clean')![1];
      long = timeline(bigHome, '-', `${ffmpegPath()} -nostdin -v error -stream_loop ${loops - 1} -i ${akhdarClean} -f wav pipe:1`);
      log(`${longHours.toFixed(2)} h through a pipe: ${long.wallS} s (${Math.round((longHours * 3600) / long.wallS)}x, ${Math.round((longHours * 3600) / long.cpuS)}x per CPU s), ${Math.round(long.rssMB)} MB`);
    }

    // Follow mode, real time: akhdar 112-114 and salama 110-114, each surah after its basmala.
    const follows: FollowFigures[] = [];
    if (parts.has('follow'))
      for (const [reciter, from] of [
        ['akhdar', 112],
        ['salama', 110],
      ] as const) {
        const followParts = ayahParts(reciter).filter((p) => 'file' in p && ((p.ref!.surah >= from && p.ref!.surah <= 114) || (p.note && Number(p.note.split(' ')[1]) >= from)));
        const joined = await joinParts(followParts);
        const file = path.join(work, `follow-${reciter}.mp3`);
        writePcm(joined.pcm, joined.rate, file, ['-b:a', '64k']);
        follows.push(await followLatency(bigHome, `${reciter} ${from}-114`, file, joined.truth));
        if (quick) break;
      }

    const md = markdown(runs, follows, { indexHours, postings, bigHours, bigPostings, longHours, long });
    process.stdout.write(md + '\n');
    if (!quick && allParts) writeSection(path.join(REPO, 'docs', 'benchmarks.md'), 'timeline', md);
    return 0;
  } finally {
    if (!keepDir) fs.rmSync(work, { recursive: true, force: true });
  }
}

const s1 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : '–');

function markdown(
  runs: RunFigures[],
  follows: FollowFigures[],
  ctx: { indexHours: number; postings: number; bigHours: number; bigPostings: number; longHours: number; long?: { wallS: number; cpuS: number; rssMB: number } },
): string {
  const m = machineInfo();
  const lines = [
    '## Long recordings and live streams: every ayah with its time, and a follow mode',
    '',
    `Written by \`npm run bench:timeline\` (bench/run-timeline.ts) on ${new Date().toISOString().slice(0, 10)}: ${m.cores} cores (${m.cpuModel}), Node ${m.node}. ` +
      `Index: akhdar + salama (ayah files) + basit-warsh (whole surahs), **${ctx.indexHours.toFixed(1)} hours, ${ctx.postings.toLocaleString('en')} postings**` +
      (ctx.bigHours > ctx.indexHours
        ? `; then grown with synthetic distractor reciters (pitch- and time-moved variants of akhdar and salama, src/bench/synthetic-reciters.ts) to **${ctx.bigHours.toFixed(1)} hours, ${ctx.bigPostings.toLocaleString('en')} postings** for the rows marked so, the 3-hour run and the follow mode. `
        : '. ') +
      `The machine (2 cores) is shared with other engineers running builds and tests at the same time (1-minute load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} at the end of the measured runs): times are noisy, and pessimistic; the per-CPU-second figures are the steadier ones.`,
    '',
    '### `ayah identify --timeline`: long recordings',
    '',
    'akhdar and salama: surahs ' + `${SURAHS[0]}-${SURAHS.at(-1)}` + ' joined ayah file to ayah file, the reciter\'s basmala before each surah (truth: the joined files\' boundaries). ' +
      'basit-warsh: its 35 whole-surah recordings joined, truth from alignments/*.json. That reciter is indexed from the same files with the same timings, so its rows measure finding and placing a whole-surah recording under degradation, not the timings themselves. ' +
      'Degraded copies are made from the joined recording (src/bench/degrade.ts); speed is the input\'s duration over the wall time of the whole `ayah identify --timeline --json` call (start-up, index open and decoding included; clean copy as 64 kbit/s mp3, the others 16-bit WAV), ' +
      'and over the CPU time of the identify process (user + system, its LanceDB threads included, its ffmpeg decoder not: decoding costs about 1/1,600 of realtime per core, see ../shared/NOTES.md). On a loaded machine the wall figure is what the other engineers left over; the CPU figure says what 2 free cores would do (two CPU seconds per wall second at best). The mp3:32 rows\' constant ~0.16 s is the mp3 encoder\'s delay: the degraded copy itself starts later than the truth by that much (the same shift in every ayah, start and end).',
    '',
    '| index hours | recording | degradation | hours | ayahs | found | start error p50 / p95 s | end error p50 / p95 s | false segments per hour | repeated texts placed (match) | speed: wall (× realtime) | speed: per CPU second of identify | peak RSS |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map(
      (r) =>
        `| ${r.indexHours.toFixed(1)} | ${r.name} | ${r.degradation} | ${r.hours.toFixed(2)} | ${r.score.ayahs} | ${pct(r.score.found, r.score.ayahs)} | ${s1(quantile(r.score.startErrors, 50))} / ${s1(quantile(r.score.startErrors, 95))} | ${s1(quantile(r.score.endErrors, 50))} / ${s1(quantile(r.score.endErrors, 95))} | ${(r.score.falseSegments / r.hours).toFixed(1)} | ${r.score.repeatedPlaced} / ${r.score.repeated} | ${Math.round((r.hours * 3600) / r.wallS)}x | ${Math.round((r.hours * 3600) / r.cpuS)}x | ${Math.round(r.rssMB)} MB |`,
    ),
    '',
    '### Repeated texts',
    '',
    'Surahs 55 and 77 are not in the shared corpus (akhdar and salama have surah 1 and 78-114). The repeated texts that are: the basmala read before each surah (only in the akhdar / salama recordings), ' +
      '109:3 = 109:5, 83:9 = 83:20, 83:23 = 83:35, 84:2 = 84:5, 79:33 = 80:32, 82:13 = 83:22 and 83:10 (the refrain of 77). "Placed" counts those found at the right place with status `match` (placed by their neighbours), the column above; ' +
      'a single identify call on any of them says `ambiguous`.',
    '',
    '### Memory on a long input',
    '',
    ctx.long
      ? `The clean akhdar recording ${ctx.longHours > 1.5 ? 'three times in a row' : 'once'} (${ctx.longHours.toFixed(2)} h, index of ${ctx.bigHours.toFixed(1)} h) decoded by ffmpeg into \`ayah identify --timeline --json -\`: ${ctx.long.wallS} s wall, ${Math.round((ctx.longHours * 3600) / ctx.long.wallS)}x realtime (${Math.round((ctx.longHours * 3600) / ctx.long.cpuS)}x per CPU second of identify), peak RSS ${Math.round(ctx.long.rssMB)} MB (compare the one-pass rows above: memory does not grow with the input).`
      : '(not run)',
    '',
    '### `ayah identify --follow`: latency on real-time playback',
    '',
    `Index of ${ctx.bigHours.toFixed(1)} h. ` +
      'A joined recording played by `ffmpeg -re -i FILE -flush_packets 1 -f wav -` into `ayah identify --follow --json -`, both started together; delay from the start of each ayah in the recording to the arrival of its line. ' +
        'The first ayahs of each recording include the start-up (node, the index open) and the input\'s first samples: identify\'s ffmpeg (the static build of @ffmpeg-installer) gives none until it has read about 128 KB of a WAV pipe, 8 s of this 8 kHz mono stream (0.7 s of 44.1 kHz stereo); the windows held up are then skipped up to the newest audio (config.follow.maxLagS). ' +
        '"Other lines": lines naming an ayah not recited there (wrong or extra).',
    '',
    '| recording | ayahs | reported | other lines (wrong or extra) | p50 delay | p90 delay | within 3 s |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...follows.map(
      (f) => `| ${f.name} | ${f.ayahs} | ${f.reported} | ${f.otherLines} | ${s1(quantile(f.latencies, 50))} s | ${s1(quantile(f.latencies, 90))} s | ${pct(f.latencies.filter((x) => x <= 3).length, f.ayahs)} |`,
    ),
  ];
  const all = follows.flatMap((f) => f.latencies);
  const ayahs = follows.reduce((s, f) => s + f.ayahs, 0);
  lines.push(`| all | ${ayahs} | ${all.length} | ${follows.reduce((s, f) => s + f.otherLines, 0)} | ${s1(quantile(all, 50))} s | ${s1(quantile(all, 90))} s | ${pct(all.filter((x) => x <= 3).length, ayahs)} |`);
  return lines.join('\n');
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(70);
  },
);
