/**
 * `ayah bench` and its library (src/bench): spec parsing, seeded sampling, degradations
 * measured on real corpus audio, metrics and thresholds, and the CLI end to end on a
 * tiny index (same seed → same clips and results; a missed threshold fails, naming it).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDegradations } from '../src/bench/degrade.js';
import type { FfInput } from '../src/bench/ffmpeg-graph.js';
import { writeNonRecitation } from '../src/bench/generated-audio.js';
import { isRight, summarize, type Outcome } from '../src/bench/metrics.js';
import { activePower, measureSnrDb } from '../src/bench/pcm.js';
import { renderClip } from '../src/bench/render.js';
import type { BenchReport } from '../src/bench/report.js';
import { runBench } from '../src/bench/run-bench.js';
import { labelsOf, sampleClips } from '../src/bench/sample.js';
import { checkThresholds, parseThreshold } from '../src/bench/thresholds.js';
import { RealPowerSpectrum } from '../src/fingerprint/fft.js';
import { Identifier } from '../src/query/identifier.js';
import type { Recording } from '../src/types.js';
import { ayah, CORPUS, folderOf, tempDir } from './helpers/env.js';

const RATE = 8000;
const SOURCE: FfInput = { kind: 'file', path: path.join(CORPUS, 'akhdar/001007.mp3'), startS: 2, durationS: 5 };
const BABBLE: FfInput = { kind: 'file', path: path.join(CORPUS, 'salama/113002.mp3'), startS: 0, durationS: 5 };

/** Share of the energy of `pcm` (8 kHz) in [loHz, hiHz], Hann-windowed 1024-point frames. */
function bandShare(pcm: Float32Array, loHz: number, hiHz: number): number {
  const n = 1024;
  const spectrum = new RealPowerSpectrum(n);
  const window = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  const logPower = new Float32Array(n / 2 + 1);
  let band = 0;
  let total = 0;
  for (let start = 0; start + n <= pcm.length; start += n / 2) {
    spectrum.logPower(pcm, start, window, 0, n / 2, logPower);
    logPower.forEach((lp, k) => {
      const p = Math.exp(lp);
      const hz = (k * RATE) / n;
      total += p;
      if (hz >= loHz && hz <= hiHz) band += p;
    });
  }
  return band / total;
}

/** Largest normalized cross-correlation of a and b over lags 0..maxLag of b behind a. */
function bestCorrelation(a: Float32Array, b: Float32Array, maxLag: number): number {
  let best = 0;
  for (let lag = 0; lag <= maxLag; lag += 1) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    const n = Math.min(a.length, b.length - lag);
    for (let i = 0; i < n; i++) {
      ab += a[i] * b[i + lag];
      aa += a[i] * a[i];
      bb += b[i + lag] * b[i + lag];
    }
    best = Math.max(best, ab / Math.sqrt(aa * bb));
  }
  return best;
}

describe('bench degradation specs', () => {
  it('parses lists, combinations and signed values into canonical names', () => {
    const names = parseDegradations('clean, mp3:32,noise:5,tempo:5,tempo:-5,pitch:+1,phone+noise:10,tempo:+5+noise:10,reverb,gain:-10,clean+phone,mp3:32').map((d) => d.name);
    assert.deepEqual(names, ['clean', 'mp3:32', 'noise:5', 'tempo:+5', 'tempo:-5', 'pitch:+1', 'phone+noise:10', 'tempo:+5+noise:10', 'reverb', 'gain:-10', 'phone']);
  });

  it('rejects unknown steps and bad values with one line listing what is known', () => {
    assert.throws(() => parseDegradations('nois:5'), /unknown degradation "nois:5"; known: clean, noise:DB/);
    assert.throws(() => parseDegradations('noise'), /"noise" needs a value/);
    assert.throws(() => parseDegradations('tempo:+500'), /bad value in "tempo:\+500"/);
    assert.throws(() => parseDegradations('phone:3'), /"phone:3" takes no value/);
  });
});

describe('bench degradations on a real clip', () => {
  const degradations = parseDegradations('clean,noise:5,tempo:+5,phone,mp3:32,babble:5,reverb,pitch:+1,opus:16,noise:10+mp3:32');
  const byName = new Map<string, Float32Array>();

  before(async () => {
    const out = await renderClip({ name: 'test clip', source: SOURCE, babble: BABBLE, seed: 42, degradations });
    degradations.forEach((d, i) => byName.set(d.name, out[i]));
  });

  it('renders every degradation as 8 kHz mono PCM of about the clip length', () => {
    const clean = byName.get('clean')!;
    assert.equal(clean.length, 5 * RATE);
    assert.ok(activePower(clean, RATE) > 1e-4, 'the clip is not silent');
    for (const [name, pcm] of byName) assert.ok(pcm.length > 4.5 * RATE && pcm.length < 5.5 * RATE, `${name}: ${pcm.length} samples`);
  });

  it('noise:5 adds white noise 5 dB below the active speech (within 0.5 dB)', () => {
    const snr = measureSnrDb(byName.get('clean')!, byName.get('noise:5')!, RATE);
    assert.ok(Math.abs(snr - 5) < 0.5, `measured ${snr.toFixed(2)} dB`);
  });

  it('tempo:+5 shortens the clip by about 5 %', () => {
    const ratio = byName.get('tempo:+5')!.length / byName.get('clean')!.length;
    assert.ok(Math.abs(ratio - 1 / 1.05) < 0.01, `length ratio ${ratio.toFixed(4)}`);
  });

  it('phone removes the energy below 300 Hz and above 3,400 Hz', () => {
    const clean = byName.get('clean')!;
    const phone = byName.get('phone')!;
    for (const [lo, hi] of [
      [0, 200],
      [3700, 4000],
    ]) {
      const before = bandShare(clean, lo, hi);
      const afterPhone = bandShare(phone, lo, hi);
      assert.ok(afterPhone < 0.01 && afterPhone < before / 10, `${lo}-${hi} Hz: ${before.toFixed(4)} → ${afterPhone.toFixed(4)}`);
    }
  });

  it('mp3:32 round-trips: same length (give or take the codec delay) and the same waveform', () => {
    const clean = byName.get('clean')!;
    const mp3 = byName.get('mp3:32')!;
    assert.ok(Math.abs(mp3.length - clean.length) < 0.1 * RATE, `${mp3.length} vs ${clean.length}`);
    assert.ok(bestCorrelation(clean, mp3, 1200) > 0.9);
  });

  it('the same seed renders identical audio; another seed other noise', async () => {
    const again = await renderClip({ name: 'test clip', source: SOURCE, babble: BABBLE, seed: 42, degradations });
    degradations.forEach((d, i) => assert.deepEqual(Buffer.from(again[i].buffer), Buffer.from(byName.get(d.name)!.buffer), d.name));
    const [other] = await renderClip({ name: 'test clip', source: SOURCE, seed: 43, degradations: parseDegradations('noise:5') });
    assert.notDeepEqual(Buffer.from(other.buffer), Buffer.from(byName.get('noise:5')!.buffer));
  });
});

describe('bench sampling', () => {
  const recording = (id: number, relPath: string, durationS: number, timeline: Recording['timeline']): Recording => ({
    id,
    reciterId: 'r',
    path: `/audio/${relPath}`,
    relPath,
    contentHash: '',
    durationS,
    timeline,
  });
  const recordings = [
    recording(1, '001001.mp3', 4, [{ surah: 1, ayah: 1, start: 0, end: 4 }]),
    recording(
      2,
      '002.mp3',
      60,
      Array.from({ length: 10 }, (_x, i) => ({ surah: 2, ayah: i + 1, start: i * 6, end: i * 6 + 6 })),
    ),
  ];

  it('labels are the ayahs a clip covers for a second or wholly', () => {
    const timeline = [
      { surah: 9, ayah: 1, start: 0, end: 3 },
      { surah: 9, ayah: 2, start: 3, end: 3.5 },
      { surah: 9, ayah: 3, start: 3.5, end: 10 },
    ];
    assert.deepEqual(labelsOf(timeline, 2.5, 7.5), [
      { surah: 9, ayah: 2 },
      { surah: 9, ayah: 3 },
    ]);
    assert.deepEqual(labelsOf(timeline, 1.5, 6.5), [
      { surah: 9, ayah: 1 },
      { surah: 9, ayah: 2 },
      { surah: 9, ayah: 3 },
    ]);
  });

  it('the same seed gives the same clips; files shorter than the clip give shorter clips', () => {
    const a = sampleClips(recordings, { count: 200, seconds: 5, seed: 7 });
    const b = sampleClips([...recordings].reverse(), { count: 200, seconds: 5, seed: 7 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, sampleClips(recordings, { count: 200, seconds: 5, seed: 8 }));
    for (const c of a) {
      assert.equal(c.source.kind, 'file');
      if (c.source.kind !== 'file') continue;
      const rec = recordings.find((r) => r.path === (c.source as { path: string }).path)!;
      assert.equal(c.source.durationS, Math.min(5, rec.durationS));
      assert.ok(c.source.startS >= 0 && c.source.startS + c.source.durationS! <= rec.durationS + 1e-9);
      assert.ok(c.labels.length >= 1);
    }
    // Uniform over audio time: the 4-second file holds 4/64 of the audio.
    const short = a.filter((c) => c.id.includes('001001')).length / a.length;
    assert.ok(short > 0.02 && short < 0.12, `share of the short file: ${short}`);
  });
});

describe('bench metrics and thresholds', () => {
  const outcome = (row: string, set: Outcome['set'], status: Outcome['status'], rightRank: number, latencyMs: number, top?: { surah: number; ayah: number }): Outcome => ({
    row,
    set,
    degradation: row,
    clip: 'c',
    labels: [{ surah: 55, ayah: 13 }],
    riwayah: 'hafs',
    status,
    rightRank,
    latencyMs,
    ...(top ? { top } : {}),
  });

  it('counts an ayah with the same text as right', () => {
    assert.ok(isRight({ surah: 55, ayah: 16 }, [{ surah: 55, ayah: 13 }]));
    assert.ok(!isRight({ surah: 55, ayah: 14 }, [{ surah: 55, ayah: 13 }]));
  });

  it('summarizes top-1, top-5, no-match, wrong and latency percentiles per row', () => {
    const rows = summarize([
      outcome('noise:5', 'index', 'match', 1, 10, { surah: 55, ayah: 13 }),
      outcome('noise:5', 'index', 'ambiguous', 2, 20, { surah: 1, ayah: 1 }),
      outcome('noise:5', 'index', 'no_match', 0, 30),
      outcome('noise:5', 'index', 'match', 1, 40, { surah: 55, ayah: 16 }),
      outcome('negatives/x', 'negatives', 'match', 0, 5, { surah: 55, ayah: 13 }),
      outcome('negatives/x', 'negatives', 'no_match', 0, 5),
    ]);
    assert.equal(rows.length, 2);
    assert.deepEqual(
      { top1: rows[0].top1, top5: rows[0].top5, noMatch: rows[0].noMatch, wrong: rows[0].wrongMatch, p50: rows[0].latencyMs.p50, p99: rows[0].latencyMs.p99 },
      { top1: 0.5, top5: 0.75, noMatch: 0.25, wrong: 0.25, p50: 20, p99: 40 },
    );
    assert.deepEqual({ top1: rows[1].top1, wrong: rows[1].wrongMatch, wrongAyah: rows[1].wrongAyah }, { top1: null, wrong: 0.5, wrongAyah: 0 });
  });

  it('names each missed threshold; a ROW=X value replaces the general one for its row', () => {
    const rows = summarize([outcome('clean', 'index', 'match', 1, 1), outcome('noise:5', 'index', 'no_match', 0, 1), outcome('negatives/x', 'negatives', 'match', 0, 1)]);
    const thresholds = ['0.9', 'noise:5=0'].map((t) => parseThreshold('top1', t));
    assert.deepEqual(checkThresholds(rows, thresholds), []);
    assert.deepEqual(checkThresholds(rows, [parseThreshold('top1', '75%'), parseThreshold('wrong', 'negatives/x=0.01'), parseThreshold('top1', 'tempo:+5=0.9')]), [
      'top-1 0 < 0.75 for noise:5',
      'wrong 1 > 0.01 for negatives/x',
      '--min-top1 names row "tempo:+5", which was not run',
    ]);
    assert.throws(() => parseThreshold('top1', 'clean=1.5'), /--min-top1: expected X or ROW=X/);
  });
});

describe('ayah bench on a tiny index', () => {
  const home = tempDir('ayah-bench-home-');
  const env = { AYAH_HOME: home };
  const files = ['112001', '112002', '112003', '112004', '113001', '113002', '113003', '113004', '113005'].map((n) => `akhdar/${n}.mp3`);
  const common = ['bench', '--clips', '12', '--seed', '3'];

  before(() => {
    const r = ayah(['add-reciter', folderOf(files), '--name', 'akhdar', '--riwayah', 'hafs'], env);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it('the same seed gives the same clips and the same results twice', async () => {
    const identifier = await Identifier.open(home, { withRecordings: true });
    const opts = { home, clips: 12, seconds: 5, seed: 3, degradations: parseDegradations('clean,noise:5,tempo:+5') };
    const strip = (o: Outcome) => ({ ...o, latencyMs: 0 });
    const first = await runBench(identifier, opts);
    const second = await runBench(identifier, opts);
    await identifier.close();
    assert.equal(first.outcomes.length, 36);
    assert.deepEqual(second.outcomes.map(strip), first.outcomes.map(strip));
    assert.deepEqual(
      second.report.rows.map((r) => ({ ...r, latencyMs: null })),
      first.report.rows.map((r) => ({ ...r, latencyMs: null })),
    );
  });

  it('passes, writing JSON and Markdown, when the thresholds are met', () => {
    const json = path.join(home, 'report.json');
    const md = path.join(home, 'report.md');
    const gen = fs.mkdtempSync(path.join(home, 'neg-'));
    writeNonRecitation(gen, 6);
    const manifest = path.join(home, 'manifest.csv');
    fs.writeFileSync(manifest, `path,surah,ayah\n${path.join(CORPUS, 'akhdar/113002.mp3')},113,2\n${path.join(CORPUS, 'akhdar/112001.mp3')},112,1;2\n`);
    const r = ayah([...common, '--degrade', 'clean', '--min-top1', '0.5', '--max-wrong', '0.5', '--negatives', gen, '--manifest', manifest, '--json', json, '--markdown', md], env);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as BenchReport;
    assert.equal(report.schema, 'ayahfinder.bench/1');
    assert.deepEqual(
      report.rows.map((x) => [x.name, x.clips]),
      [
        ['clean', 12],
        ['manifest/clean', 2],
        [`negatives/${path.basename(gen)}`, 8],
      ],
    );
    assert.equal(report.index.recordings, files.length);
    assert.ok(report.machine.cores >= 1 && report.machine.node.startsWith('v'));
    assert.match(fs.readFileSync(md, 'utf8'), /\| clean \| 12 \|/);
    assert.equal(r.stdout, fs.readFileSync(md, 'utf8'));
  });

  it('fails with exit 1 and a line naming the missed threshold and its degradation', () => {
    const r = ayah([...common, '--degrade', 'clean,noise:-20', '--min-top1', '0.5'], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^ayah: bench: top-1 0(\.\d+)? < 0\.5 for noise:-20$/m);
    assert.doesNotMatch(r.stderr, /for clean/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('rejects an unknown degradation or reciter with a usage error', () => {
    const d = ayah([...common, '--degrade', 'hiss:3'], env);
    assert.equal(d.code, 2);
    assert.match(d.stderr, /unknown degradation "hiss:3"/);
    const n = ayah([...common, '--reciter', 'nobody'], env);
    assert.equal(n.code, 2);
    assert.match(n.stderr, /^ayah: --reciter: no reciter "nobody"; known: akhdar$/m);
  });
});
