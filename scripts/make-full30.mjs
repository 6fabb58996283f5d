#!/usr/bin/env node
/**
 * make-full30: builds a 30-hour benchmark reciter folder (for timing add-reciter; see
 * docs/benchmarks.md), outside the project: 6,236 files SSSAAA.mp3 (Hafs
 * numbering, one per ayah), each a cut WITHOUT re-encoding (ffmpeg -c copy, whole mp3 frames)
 * from a random place in a random 128 kb/s stereo 44.1 kHz source recording:
 *   ../shared/corpus/basit-warsh/audio/*.mp3   (whole surahs; PNG cover stream dropped)
 *   ../shared/corpus/alafasy/*\/*.mp3          (kept only if also 128k stereo 44.1 kHz)
 *
 * Duration of SSSAAA = clamp(letters * FACTOR, 2.5 s, longest source - 1 s), letters =
 * spokenLetters({surah, ayah}, 'hafs') from the project's compiled code. FACTOR starts at
 * 0.33 s/letter and is scaled only if the total is off 29.8 h by more than 10 %.
 *
 * Deterministic: mulberry32(seed 30) drives every choice (source, start), in ayah order; the
 * sources are listed in sorted order and measured by decoding them, so running this again
 * regenerates the same folder (same plan, same bytes). A cut is redrawn (rejection sampling,
 * same PRNG) when the source's audio in that window would fail the project's validation
 * (sound < 0.1·letters, mostly silent, > 5 s of silence at an edge) or would repeat the same
 * source frames as an earlier cut (a duplicate); a source whose decoded audio equals an earlier
 * source's (alafasy's basmala S/0.mp3, the same take in every folder) is used once only.
 *
 * Usage (after `npm run build`): node scripts/make-full30.mjs --out DIR [--jobs 1|2] [--plan-only]
 * Writes: DIR (wiped of SSSAAA.mp3 files first), DIR.plan.json (the cuts).
 * Runs ffmpeg with `nice -n 19`, at most 2 at a time.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpegPath } from '../dist/src/fingerprint/ffmpeg-path.js';
import { spokenLetters } from '../dist/src/pipeline/validate/duration-bounds.js';
import { numbering } from '../dist/src/quran/numbering.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FF = ffmpegPath();
const CORPUS = process.env.AYAH_CORPUS ?? path.resolve(REPO, '..', 'shared', 'corpus');
const SEED = 30;
const TARGET_H = 29.8;
const BASE_FACTOR = 0.33; // s per letter
const MIN_DUR = 2.5; // s
const SRC_END_MARGIN = 0.3; // s kept free at the end of a source after a cut
const LONGEST_MINUS = 1.0; // s: an ayah longer than every source gets the longest source minus this
const ANALYSIS_RATE = 8000; // Hz, the rate the project's validation measures at
const FRAME_S = 0.02; // 20 ms frames, silent below -45 dBFS RMS (pcm-stats.js)
const SILENCE_POWER = 10 ** (-45 / 10);
const MP3_FRAME_S = 1152 / 44100;
const MAX_TRIES = 2000;

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const OUT = path.resolve(opt('--out', path.resolve(REPO, '..', 'full30')));
const JOBS = Math.min(2, Math.max(1, Number(opt('--jobs', 2))));
const PLAN_ONLY = args.includes('--plan-only');

function mulberry32(a) {
  return function () {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function run(cmd, argv, { stdout } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn('nice', ['-n', '19', cmd, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    const err = [];
    p.stderr.on('data', (d) => err.push(d));
    p.stdout.on('data', (d) => stdout?.(d));
    p.on('error', reject);
    p.on('close', (code) => {
      const stderr = Buffer.concat(err).toString();
      if (code === 0) resolve(stderr);
      else reject(new Error(`${cmd} ${argv.join(' ')}: exit ${code}\n${stderr}`));
    });
  });
}

async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

/** Decodes a source to 8 kHz mono: its format (from the banner), length and 20 ms silent flags. */
async function analyseSource(file) {
  const frameLen = Math.round(ANALYSIS_RATE * FRAME_S);
  const flags = [];
  let samples = 0, fill = 0, energy = 0;
  let carry = Buffer.alloc(0);
  const hash = createHash('sha256');
  const stderr = await run(FF, ['-hide_banner', '-nostdin', '-i', file, '-map', '0:a:0', '-ac', '1', '-ar', String(ANALYSIS_RATE), '-f', 'f32le', '-'], {
    stdout: (d) => {
      hash.update(d);
      const buf = carry.length ? Buffer.concat([carry, d]) : d;
      const whole = buf.length - (buf.length % 4);
      for (let o = 0; o < whole; o += 4) {
        const v = buf.readFloatLE(o);
        energy += v * v;
        samples++;
        if (++fill === frameLen) {
          flags.push(energy / frameLen < SILENCE_POWER ? 0 : 1);
          fill = 0;
          energy = 0;
        }
      }
      carry = Buffer.from(buf.subarray(whole));
    },
  });
  const m = /Stream #0:\d+[^:]*: Audio: ([^,\s]+)[^,]*, (\d+) Hz, ([^,]+), [^,]+, (\d+) kb\/s/.exec(stderr);
  return {
    file,
    codec: m?.[1], rate: Number(m?.[2]), layout: m?.[3]?.trim(), kbps: Number(m?.[4]),
    length: samples / ANALYSIS_RATE,
    active: Uint8Array.from(flags),
    pcmHash: hash.digest('hex'),
  };
}

/** What the project's validation would measure on the window [start, start+dur) of a source. */
function windowStats(src, start, dur) {
  const a = Math.floor(start / FRAME_S);
  const b = Math.min(src.active.length, Math.floor((start + dur) / FRAME_S));
  let first = -1, last = -1, silent = 0;
  for (let i = a; i < b; i++) {
    if (src.active[i]) {
      if (first < 0) first = i;
      last = i;
    } else silent++;
  }
  const n = Math.max(1, b - a);
  if (first < 0) return { sound: 0, silentRatio: 1, leading: dur, trailing: dur };
  const leading = (first - a) * FRAME_S;
  const trailing = Math.max(0, dur - (last + 1 - a) * FRAME_S);
  return { sound: Math.max(0, dur - leading - trailing), silentRatio: silent / n, leading, trailing };
}

const t0 = performance.now();

// 1. Sources, sorted; only 128 kb/s stereo 44.1 kHz mp3.
const listMp3 = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.mp3$/i.test(f)).sort().map((f) => path.join(dir, f)) : []);
const candidates = [
  ...listMp3(path.join(CORPUS, 'basit-warsh/audio')),
  ...fs.readdirSync(path.join(CORPUS, 'alafasy')).sort().flatMap((d) => listMp3(path.join(CORPUS, 'alafasy', d))),
];
const analysed = new Array(candidates.length);
await pool(candidates, JOBS, async (f, i) => (analysed[i] = await analyseSource(f)));
const formatOk = analysed.filter((s) => s.codec === 'mp3' && s.rate === 44100 && s.layout === 'stereo' && s.kbps === 128);
const rejected = analysed.filter((s) => !formatOk.includes(s));
// The same take under several names (alafasy's basmala S/0.mp3 in every surah folder): kept
// once, else two cuts of it could decode to the same audio (a validation 'duplicate' error).
const seenHash = new Set();
const sources = formatOk.filter((s) => !seenHash.has(s.pcmHash) && seenHash.add(s.pcmHash));
const sameTake = formatOk.filter((s) => !sources.includes(s));
const longest = Math.max(...sources.map((s) => s.length));
console.error(`sources: ${sources.length} usable of ${analysed.length} (format rejected: ${rejected.map((s) => path.relative(CORPUS, s.file)).join(', ') || 'none'}; ` +
  `same audio as an earlier source: ${sameTake.map((s) => path.relative(CORPUS, s.file)).join(', ') || 'none'}); ` +
  `${(sources.reduce((t, s) => t + s.length, 0) / 3600).toFixed(2)} h, longest ${longest.toFixed(2)} s; analysed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// 2. Ayahs and letters (Hafs).
const hafs = numbering('hafs');
const ayahs = [];
for (let s = 1; s <= 114; s++)
  for (let a = 1; a <= hafs.ayahCount(s); a++) ayahs.push({ surah: s, ayah: a, letters: spokenLetters({ surah: s, ayah: a }, 'hafs') });

const maxDur = longest - SRC_END_MARGIN - LONGEST_MINUS;
const durOf = (letters, factor) => Math.round(Math.min(Math.max(letters * factor, MIN_DUR), maxDur) * 1000) / 1000;
let factor = BASE_FACTOR;
const totalH = (f) => ayahs.reduce((t, x) => t + durOf(x.letters, f), 0) / 3600;
for (let k = 0; k < 5 && Math.abs(totalH(factor) - TARGET_H) / TARGET_H > 0.1; k++) factor = Math.round(factor * (TARGET_H / totalH(factor)) * 10000) / 10000;

// 3. The plan: for each ayah in order, a random source long enough and a random start.
const rng = mulberry32(SEED);
const used = new Map(); // source file -> [start, dur][] already cut from it
let redraws = 0, unverified = 0, clampedShort = 0, raisedToMin = 0;
const plan = ayahs.map(({ surah, ayah, letters }) => {
  const ideal = letters * factor;
  const dur = durOf(letters, factor);
  if (dur < ideal - 1e-9) clampedShort++;
  if (dur > ideal + 1e-9) raisedToMin++;
  const fits = sources.filter((s) => s.length >= dur + SRC_END_MARGIN);
  const needSound = Math.max(0.3, 0.1 * letters) * 1.25 + 0.5; // validation's minimum, with margin
  let best;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const src = fits[Math.floor(rng() * fits.length)];
    const start = Math.round(rng() * (src.length - dur - SRC_END_MARGIN) * 1000) / 1000;
    // Same source, start and length within a few mp3 frames of an earlier cut: could be the same frames.
    const dup = (used.get(src.file) ?? []).some(([s0, d0]) => Math.abs(s0 - start) < 4 * MP3_FRAME_S && Math.abs(d0 - dur) < 4 * MP3_FRAME_S);
    const st = windowStats(src, start, dur);
    const ok = !dup && st.sound >= needSound && st.silentRatio <= 0.8 && st.leading <= 5 && st.trailing <= 5;
    if (!best || (!dup && st.sound > best.st.sound)) best = { src, start, st };
    if (ok) {
      best = { src, start, st };
      break;
    }
    redraws++;
    if (tries === MAX_TRIES - 1) unverified++;
  }
  if (!used.has(best.src.file)) used.set(best.src.file, []);
  used.get(best.src.file).push([best.start, dur]);
  const name = `${String(surah).padStart(3, '0')}${String(ayah).padStart(3, '0')}.mp3`;
  return { name, surah, ayah, letters, dur, src: path.relative(CORPUS, best.src.file), start: best.start, estSound: Math.round(best.st.sound * 100) / 100 };
});
const total = plan.reduce((t, p) => t + p.dur, 0);
const summary = {
  seed: SEED, factorSPerLetter: factor, files: plan.length, totalS: Math.round(total * 1000) / 1000, totalH: Math.round((total / 3600) * 1000) / 1000,
  raisedToMin2_5s: raisedToMin, clampedShortBySourceLength: clampedShort, maxDurS: Math.max(...plan.map((p) => p.dur)),
  redraws, unverifiedAfterMaxTries: unverified, sources: sources.length, sourcesSameTakeDropped: sameTake.length,
};
fs.writeFileSync(`${OUT}.plan.json`, JSON.stringify({ summary, plan }, null, 1) + '\n');
console.error(`plan: ${JSON.stringify(summary)}`);
if (PLAN_ONLY) process.exit(0);

// 4. Cut. Output folder: wiped of SSSAAA.mp3; anything else in it is an error (not ours to delete).
fs.mkdirSync(OUT, { recursive: true });
const stray = fs.readdirSync(OUT).filter((f) => !/^\d{6}\.mp3$/.test(f));
if (stray.length) throw new Error(`${OUT} holds files this script did not make: ${stray.slice(0, 5).join(', ')}`);
for (const f of fs.readdirSync(OUT)) fs.unlinkSync(path.join(OUT, f));
const TMP = `${OUT}.tmp`;
fs.rmSync(TMP, { recursive: true, force: true });
fs.mkdirSync(TMP);
const t1 = performance.now();
let done = 0;
await pool(plan, JOBS, async (p) => {
  const tmp = path.join(TMP, p.name);
  await run(FF, ['-nostdin', '-v', 'error', '-ss', p.start.toFixed(3), '-t', p.dur.toFixed(3), '-i', path.join(CORPUS, p.src), '-map', '0:a:0', '-c', 'copy', '-y', tmp]);
  if (!(fs.statSync(tmp).size > 0)) throw new Error(`empty output ${p.name}`);
  fs.renameSync(tmp, path.join(OUT, p.name));
  if (++done % 500 === 0) console.error(`  ${done}/${plan.length} cut, ${((performance.now() - t1) / 1000).toFixed(0)} s`);
});
fs.rmSync(TMP, { recursive: true, force: true });
const n = fs.readdirSync(OUT).filter((f) => /^\d{6}\.mp3$/.test(f)).length;
console.error(`done: ${n} files in ${OUT}; cutting ${((performance.now() - t1) / 1000).toFixed(1)} s, total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
if (n !== plan.length) process.exit(1);
