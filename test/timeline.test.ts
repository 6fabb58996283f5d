/**
 * identify --timeline, the whole-input answer and --follow, through the real `ayah`
 * command, on recordings joined from real corpus files (one small index shared by every
 * test: akhdar's basmala, surahs 109 and 112-114).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { joinParts, writePcm, type Joined, type Part } from '../src/bench/joined-recording.js';
import { scoreTimeline, type SegmentJson } from '../src/bench/timeline-metrics.js';
import { Identifier } from '../src/query/identifier.js';
import { timelineOf } from '../src/query/timeline.js';
import { ayah, BIN, CORPUS, folderOf, tempDir } from './helpers/env.js';

const FILES = ['001001', '109001', '109002', '109003', '109004', '109005', '109006', '112001', '112002', '112003', '112004', '113001', '113002', '113003', '113004', '113005', '114001', '114002', '114003', '114004', '114005', '114006'];
const part = (name: string, note?: string): Part => ({ file: path.join(CORPUS, 'akhdar', `${name}.mp3`), ref: { surah: Number(name.slice(0, 3)), ayah: Number(name.slice(3)) }, note });
/** Exit code of a child (killed after 30 s if it does not end). */
function exitOf(child: ReturnType<typeof spawn>): Promise<number | null> {
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
}
const refOf = (s: SegmentJson) => (s.results[0] ? `${s.results[0].surah}:${s.results[0].ayah}` : '-');

describe('identify --timeline / --follow', () => {
  const home = tempDir('ayah-home-');
  const env = { AYAH_HOME: home };
  const dir = tempDir('ayah-long-');
  const file = (n: string) => path.join(dir, n);
  let mixed: Joined;

  before(async () => {
    const a = ayah(['add-reciter', folderOf(FILES.map((f) => `akhdar/${f}.mp3`)), '--name', 'Ibrahim Al-Akhdar', '--riwayah', 'hafs'], env);
    assert.equal(a.code, 0, a.stderr);
    // Read in order, then a repeat (112:2 twice), a skip (112:3), a jump (114:1), 6 s of
    // noise, the basmala and all of 109 (109:3 = 109:5, the same text), the basmala and 113:1.
    mixed = await joinParts([
      part('112001'),
      part('112002'),
      part('112002'),
      part('112004'),
      part('114001'),
      { lavfi: 'anoisesrc=color=pink:amplitude=0.05:seed=3', seconds: 6 },
      part('001001', 'before 109'),
      ...['109001', '109002', '109003', '109004', '109005', '109006'].map((n) => part(n)),
      part('001001', 'before 113'),
      part('113001'),
    ]);
    writePcm(mixed.pcm, mixed.rate, file('mixed.mp3'), ['-b:a', '32k']);
    fs.writeFileSync(file('text.mp3'), 'not audio\n');
    writePcm(new Float32Array(mixed.rate * 3), mixed.rate, file('silent.wav'));
  });

  it('--timeline --json: segments tile the input; repeats, skips and jumps as recited; no_match where nothing is recited', () => {
    const r = ayah(['identify', '--timeline', '--json', file('mixed.mp3')], env);
    assert.equal(r.code, 0, r.stderr);
    const segs: (SegmentJson & { input: string })[] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(segs[0].start_s, 0);
    for (let i = 1; i < segs.length; i++) assert.equal(segs[i].start_s, segs[i - 1].end_s, 'contiguous');
    assert.ok(Math.abs(segs.at(-1)!.end_s - mixed.durationS) < 0.2, `ends at the end (${segs.at(-1)!.end_s} / ${mixed.durationS})`);
    assert.deepEqual(
      segs.map(refOf),
      ['112:1', '112:2', '112:2', '112:4', '114:1', '-', '1:1', '109:1', '109:2', '109:3', '109:4', '109:5', '109:6', '1:1', '113:1'],
    );
    const noise = segs[5];
    assert.equal(noise.status, 'no_match');
    assert.deepEqual(noise.results, []);
    const score = scoreTimeline(segs, mixed.truth, mixed.durationS, () => false);
    assert.equal(score.found, mixed.truth.length);
    assert.equal(score.falseSegments, 0);
    assert.ok(Math.max(...score.startErrors, ...score.endErrors) < 0.6, `boundaries within 0.6 s: ${score.startErrors} / ${score.endErrors}`);
    const first = segs[0].results[0] as unknown as Record<string, unknown>;
    for (const k of ['surah', 'ayah', 'surah_name_en', 'surah_name_ar', 'text', 'reciter', 'reciter_id', 'riwayah', 'confidence', 'offset_s', 'also_covers', 'same_text_at']) assert.ok(k in first, k);
  });

  it('places repeated texts by their neighbours: 109:3 and 109:5, the basmala before a surah', () => {
    const r = ayah(['identify', '--timeline', '--json', file('mixed.mp3')], env);
    const segs: SegmentJson[] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const at = (ref: string) => segs.filter((s) => refOf(s) === ref);
    for (const s of [...at('109:3'), ...at('109:5')]) {
      assert.equal(s.status, 'match');
      assert.equal(s.results[0].same_text_at.length, 1, 'still says where else the text is');
    }
    const basmalas = at('1:1');
    assert.equal(basmalas.length, 2);
    assert.ok(basmalas.every((s) => s.status === 'match'));
    assert.match(basmalas[0].results[0].note!, /before surah 109/);
    assert.match(basmalas[1].results[0].note!, /before surah 113/);
  });

  it('windows matched at the same time read a hash they share once (the look-up cache shares a read under way)', async () => {
    const identifier = await Identifier.open(home);
    const reader = identifier.reader;
    const read = reader.lookup.bind(reader);
    const underWay = new Map<number, number>();
    let reads = 0;
    let again = 0;
    reader.lookup = async (hashes: number[]) => {
      reads++;
      for (const h of hashes) {
        if (underWay.get(h)) again++;
        underWay.set(h, (underWay.get(h) ?? 0) + 1);
      }
      try {
        return await read(hashes);
      } finally {
        for (const h of hashes) underWay.set(h, underWay.get(h)! - 1);
      }
    };
    const tl = await timelineOf(identifier, file('mixed.mp3'));
    assert.ok(reads > 5, `${reads} reads`);
    assert.equal(again, 0, 'hashes read again while their read was under way');
    assert.equal(tl.segments.filter((s) => s.results[0]).length, 14);
  });

  it('text output: one line per segment with its time range, then the text; bad inputs get one line each (exit 3)', () => {
    const r = ayah(['identify', '--timeline', file('mixed.mp3'), file('text.mp3'), file('silent.wav'), file('missing.mp3')], env);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /mixed\.mp3: 0:00\.0–0:0\d\.\d {2}112:1 The Sincerity \(الإخلاص\) · Ibrahim Al-Akhdar \(hafs\) · confidence 1\.00\n {2}قُلۡ/);
    assert.match(r.stdout, /no match/);
    const errs = r.stderr.trim().split('\n');
    assert.equal(errs.length, 3, r.stderr);
    assert.match(errs[0], /^ayah: .*text\.mp3: not an audio file/);
    assert.match(errs[1], /^ayah: .*silent\.wav: silent/);
    assert.match(errs[2], /^ayah: .*missing\.mp3: no such file/);
  });

  it('without --timeline a long input gets one answer for all of it, from a file or standard input', () => {
    const fromFile = ayah(['identify', '--json', file('mixed.mp3')], env);
    const fromStdin = ayah(['identify', '--json', '-'], env, fs.readFileSync(file('mixed.mp3')));
    for (const r of [fromFile, fromStdin]) {
      assert.equal(r.code, 0, r.stderr);
      const a = JSON.parse(r.stdout);
      const all = [`${a.results[0].surah}:${a.results[0].ayah}`, ...a.results[0].also_covers];
      // The ayahs after the first 32 s are in the answer: it is not the first 32 s alone.
      for (const ref of ['112:1', '114:1', '109:6', '113:1']) assert.ok(all.includes(ref), `${ref} in ${all}`);
    }
    assert.equal(JSON.parse(fromStdin.stdout).input, '<stdin>');
  });

  it('--follow: a line at each change of ayah with the stream time; exit 0 at the end of input', () => {
    const r = ayah(['identify', '--follow', '--json', '-'], env, fs.readFileSync(file('mixed.mp3')));
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const refs = lines.map((l) => `${l.results[0].surah}:${l.results[0].ayah}`);
    // Every ayah read, in order (a repeat is a change too), within 3 s of its start (stream time).
    assert.deepEqual(refs, mixed.truth.map((t) => `${t.surah}:${t.ayah}`));
    lines.forEach((l, i) => {
      assert.ok(l.stream_s - mixed.truth[i].startS <= 3, `${refs[i]} reported ${l.stream_s - mixed.truth[i].startS} s after its start`);
      assert.ok(Math.abs(l.start_s - mixed.truth[i].startS) < 0.6, `${refs[i]} start ${l.start_s} vs ${mixed.truth[i].startS}`);
    });
  });

  it('--follow exits at once and quietly on a closed stdout (| head)', async () => {
    const child = spawn(process.execPath, [BIN, 'identify', '--follow', '-'], { env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.on('error', () => {});
    // Live input that does not end: the file, then nothing more.
    child.stdin.write(fs.readFileSync(file('mixed.mp3')));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await exitOf(child);
    child.stdin.destroy();
    assert.equal(code, 0);
    assert.equal(stderr, '');
  });

  it('--follow FILE reads a file as it grows, and exits at once and quietly on SIGINT', async () => {
    const bytes = fs.readFileSync(file('mixed.mp3'));
    const growing = file('growing.mp3');
    fs.writeFileSync(growing, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const child = spawn(process.execPath, [BIN, 'identify', '--follow', '--json', growing], { env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      if (!stdout) fs.appendFileSync(growing, bytes.subarray(Math.floor(bytes.length / 3)));
      stdout += d;
      if (/"surah":113/.test(stdout)) child.kill('SIGINT'); // the last ayah: read from what was appended
    });
    const code = await exitOf(child);
    assert.equal(code, 130);
    assert.equal(stderr, '');
    assert.match(stdout, /"surah":112,"ayah":1,/);
    // Its ffmpeg (following the file, so never at an end of its own) went with it.
    const left = spawnSync('pgrep', ['-f', growing], { encoding: 'utf8' }).stdout.trim();
    assert.equal(left, '', `ffmpeg still follows ${growing}: ${left}`);
  });
});
