/**
 * End to end: add-reciter and identify through the real `ayah` command, on real corpus
 * audio (surahs 112-114 of two reciters) and clips made with ffmpeg.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { indexStats } from '../src/index/api.js';
import { ayah, ayahSpawn, CORPUS, ffmpeg, folderOf, tempDir } from './helpers/env.js';

const AKHDAR = ['001001', '109003', '109005', '112001', '112002', '112003', '112004', '113001', '113002', '113003', '113004', '113005', '114001', '114002', '114003', '114004', '114005', '114006'].map(
  (n) => `akhdar/${n}.mp3`,
);
const SALAMA = AKHDAR.slice(3).map((f) => f.replace('akhdar', 'salama'));

describe('ayah add-reciter + identify', () => {
  const home = tempDir('ayah-home-');
  const env = { AYAH_HOME: home };
  const clips = tempDir('ayah-clips-');
  const clip = (name: string) => path.join(clips, name);
  let akhdarDir = '';

  before(() => {
    akhdarDir = folderOf(AKHDAR);
    const a = ayah(['add-reciter', akhdarDir, '--name', 'Ibrahim Al-Akhdar', '--riwayah', 'hafs'], env);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /indexed 18 recordings/);
    const s = ayah(['add-reciter', folderOf(SALAMA), '--name', 'Yasser Salama', '--riwayah', 'hafs', '--json'], env);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(JSON.parse(s.stdout).added, 15);

    const src = (f: string) => path.join(CORPUS, f);
    ffmpeg(['-ss', '0.3', '-t', '4', '-i', src('akhdar/113003.mp3'), clip('akhdar-113-3.wav')]);
    ffmpeg(['-ss', '0.5', '-t', '4', '-i', src('salama/114002.mp3'), '-af', 'atempo=1.05', '-b:a', '32k', clip('salama-114-2-fast.mp3')]);
    ffmpeg(['-t', '4', '-i', src('akhdar/112001.mp3'), '-af', 'highpass=f=300,lowpass=f=3400', '-ar', '8000', clip('akhdar-112-1-phone.ogg')]);
    for (const speed of [1.06, 0.94]) ffmpeg(['-ss', '0.5', '-t', '4.5', '-i', src('akhdar/114004.mp3'), '-af', `rubberband=tempo=${speed}:pitch=${speed}`, clip(`akhdar-114-4-speed-${speed}.wav`)]);
    ffmpeg(['-i', src('akhdar/113001.mp3'), '-i', src('akhdar/113002.mp3'), '-filter_complex', '[0:a][1:a]concat=n=2:v=0:a=1,areverse,atrim=duration=5,areverse[a]', '-map', '[a]', clip('cross-113-1-2.wav')]);
    ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '3', clip('silent.wav')]);
    ffmpeg(['-t', '0.2', '-i', src('akhdar/113003.mp3'), clip('short.wav')]);
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=5', clip('sine.wav')]);
    ffmpeg(['-ss', '0.2', '-t', '4', '-i', src('akhdar/109005.mp3'), clip('akhdar-109-5.wav')]);
    ffmpeg(['-t', '4', '-i', src('akhdar/001001.mp3'), clip('basmala.wav')]);
    fs.writeFileSync(clip('text.mp3'), 'this is not audio\n');
    fs.writeFileSync(clip('empty.mp3'), '');
    fs.writeFileSync(clip('truncated.mp3'), fs.readFileSync(src('akhdar/113003.mp3')).subarray(0, 2000));
  });

  it('identifies a clean clip: surah, ayah, text, reciter, riwayah, confidence', () => {
    const r = ayah(['identify', '--json', clip('akhdar-113-3.wav')], env);
    assert.equal(r.code, 0, r.stderr);
    const a = JSON.parse(r.stdout);
    assert.equal(a.status, 'match');
    assert.equal(a.results[0].surah, 113);
    assert.equal(a.results[0].ayah, 3);
    assert.equal(a.results[0].reciter, 'Ibrahim Al-Akhdar');
    assert.equal(a.results[0].riwayah, 'hafs');
    assert.equal(a.results[0].surah_name_en, 'The Daybreak');
    assert.ok(a.results[0].text.length > 10);
    assert.ok(a.results[0].confidence > 0.9 && a.results[0].confidence <= 1);
    assert.ok(Math.abs(a.results[0].offset_s - 0.3) < 0.3, `offset ${a.results[0].offset_s}`);
    assert.equal(typeof a.elapsed_ms, 'number');
  });

  it('identifies re-encoded, sped-up and phone-band clips, several files in one call', () => {
    const r = ayah(['identify', '--json', clip('salama-114-2-fast.mp3'), clip('akhdar-112-1-phone.ogg')], env);
    assert.equal(r.code, 0, r.stderr);
    const [fast, phone] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual([fast.results[0].surah, fast.results[0].ayah, fast.results[0].reciter_id], [114, 2, 'yasser-salama']);
    assert.deepEqual([phone.results[0].surah, phone.results[0].ayah, phone.results[0].reciter_id], [112, 1, 'ibrahim-al-akhdar']);
  });

  it('answers each clip of one call as it answers it alone (the next clip\'s first look-up runs while one is matched)', () => {
    const names = ['akhdar-113-3.wav', 'sine.wav', 'salama-114-2-fast.mp3', 'akhdar-114-4-speed-0.94.wav', 'akhdar-109-5.wav', 'akhdar-112-1-phone.ogg', 'cross-113-1-2.wav'];
    const answers = (stdout: string) => stdout.trim().split('\n').map((l) => ({ ...JSON.parse(l), elapsed_ms: undefined }));
    const together = ayah(['identify', '--json', ...names.map(clip)], env);
    assert.equal(together.code, 0, together.stderr);
    const alone = names.map((n) => answers(ayah(['identify', '--json', clip(n)], env).stdout)[0]);
    assert.deepEqual(answers(together.stdout), alone);
    assert.deepEqual(alone.map((a) => a.status), ['match', 'no_match', 'match', 'match', 'ambiguous', 'match', 'match']);
  });

  it('answers a call on several threads (--jobs) as on one: the same answers, refusals and exit code, in input order', () => {
    const names = ['akhdar-113-3.wav', 'text.mp3', 'sine.wav', 'salama-114-2-fast.mp3', 'missing.wav', 'akhdar-109-5.wav', 'akhdar-112-1-phone.ogg', 'cross-113-1-2.wav', 'empty.mp3'];
    const answers = (stdout: string) => stdout.trim().split('\n').map((l) => ({ ...JSON.parse(l), elapsed_ms: undefined }));
    const one = ayah(['identify', '--jobs', '1', '--json', ...names.map(clip)], env);
    const three = ayah(['identify', '--jobs', '3', '--json', ...names.map(clip)], env);
    assert.equal(one.code, 3, one.stderr);
    assert.equal(three.code, 3, three.stderr);
    assert.deepEqual(answers(three.stdout), answers(one.stdout));
    assert.equal(three.stderr, one.stderr);
    assert.deepEqual(answers(one.stdout).map((a) => a.status), ['match', 'no_match', 'no_match', 'match', 'no_match', 'ambiguous', 'match', 'match', 'no_match']);
    assert.equal(one.stderr.trim().split('\n').length, 3, 'one line per input that cannot be read');
    const bad = ayah(['identify', '--jobs', '2', '--reciter', 'nobody', clip('akhdar-113-3.wav'), clip('sine.wav')], env);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /^ayah: --reciter: .*nobody.*\n$/);
  });

  it('logs each clip\'s passes at --log-level debug: time, candidates and best, on stderr; stdout unchanged', () => {
    const quiet = ayah(['identify', '--json', clip('akhdar-113-3.wav'), clip('sine.wav')], env);
    const r = ayah(['--log-level', 'debug', 'identify', '--json', clip('akhdar-113-3.wav'), clip('sine.wav')], env);
    assert.equal(r.code, 0, r.stderr);
    const strip = (stdout: string) => stdout.trim().split('\n').map((l) => ({ ...JSON.parse(l), elapsed_ms: undefined }));
    assert.deepEqual(strip(r.stdout), strip(quiet.stdout));
    const traces = r.stderr.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.passes);
    assert.deepEqual(traces.map((t) => path.basename(t.input)), ['akhdar-113-3.wav', 'sine.wav']);
    const [match, none] = traces.map((t) => t.passes as { pass: string; ms: number; candidates: number; best?: { aligned: number; logP: number } }[]);
    assert.equal(match[0].pass, 'exactFirst');
    assert.ok(match.every((p) => typeof p.ms === 'number' && p.ms >= 0));
    assert.ok(match[0].best && match[0].best.aligned >= 16 && match[0].best.logP < -10, 'a clean clip is decided by the first step');
    assert.deepEqual(none.map((p) => p.pass), ['exactFirst', 'exact', 'tempo', 'exactDeep', 'speed', 'verify'], 'a clip that matches nothing runs every pass');
  });

  it('identifies clips sped up or slowed down without pitch correction (the speed pass)', () => {
    const r = ayah(['identify', '--json', clip('akhdar-114-4-speed-1.06.wav'), clip('akhdar-114-4-speed-0.94.wav')], env);
    assert.equal(r.code, 0, r.stderr);
    for (const a of r.stdout.trim().split('\n').map((l) => JSON.parse(l))) {
      assert.equal(a.status, 'match', JSON.stringify(a));
      assert.deepEqual([a.results[0].surah, a.results[0].ayah, a.results[0].reciter_id], [114, 4, 'ibrahim-al-akhdar']);
      assert.ok(Math.abs(a.results[0].offset_s - 0.5) < 0.4, `offset ${a.results[0].offset_s}`);
    }
  });

  it('names both ayahs when a clip crosses from one into the next', () => {
    const r = ayah(['identify', '--json', clip('cross-113-1-2.wav')], env);
    const a = JSON.parse(r.stdout);
    const covered = [`${a.results[0].surah}:${a.results[0].ayah}`, ...a.results[0].also_covers].sort();
    assert.deepEqual(covered, ['113:1', '113:2']);
  });

  it('says ambiguous when the text occurs in several places (109:3 = 109:5, the basmala)', () => {
    const r = ayah(['identify', '--json', clip('akhdar-109-5.wav'), clip('basmala.wav')], env);
    const [refrain, basmala] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(refrain.status, 'ambiguous');
    const places = [refrain.results[0], ...refrain.results[0].same_text_at.map((x: string) => ({ surah: 109, ayah: Number(x.split(':')[1]) }))].map((x) => x.ayah).sort();
    assert.deepEqual(places, [3, 5]);
    assert.equal(basmala.status, 'ambiguous');
    assert.deepEqual([basmala.results[0].surah, basmala.results[0].ayah], [1, 1]);
    assert.match(basmala.results[0].note, /basmala/);
    const text = ayah(['identify', clip('akhdar-109-5.wav')], env);
    assert.match(text.stdout, /ambiguous: the same text is also at 109:[35]/);
  });

  it('reads standard input with -', () => {
    const r = ayah(['identify', '--json', '-'], env, fs.readFileSync(clip('akhdar-113-3.wav')));
    assert.equal(r.code, 0, r.stderr);
    const a = JSON.parse(r.stdout);
    assert.equal(a.input, '<stdin>');
    assert.equal(a.results[0].ayah, 3);
  });

  it('filters by reciter and lists alternatives with --top', () => {
    const r = ayah(['identify', '--json', '--reciter', 'yasser-salama', '--top', '3', clip('akhdar-113-3.wav')], env);
    const a = JSON.parse(r.stdout);
    assert.ok(a.results.every((x: { reciter_id: string }) => x.reciter_id === 'yasser-salama'));
    assert.notEqual(a.status, 'match', 'salama does not have this audio');
  });

  it('answers no_match for audio that is not recitation', () => {
    const r = ayah(['identify', '--json', clip('sine.wav')], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).status, 'no_match');
  });

  it('reports each bad input in one line and still answers the good ones', () => {
    const bad = ['missing.mp3', '', 'text.mp3', 'empty.mp3', 'truncated.mp3', 'silent.wav', 'short.wav'].map((n) => (n ? clip(n) : clips));
    const r = ayah(['identify', '--json', ...bad, clip('akhdar-113-3.wav')], env);
    assert.equal(r.code, 3, 'exit code 3: some input could not be read');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, bad.length + 1);
    assert.equal(lines.at(-1).results[0].ayah, 3);
    const errs = r.stderr.trim().split('\n');
    assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
    for (const [i, reason] of [
      [0, /no such file/],
      [1, /is a directory/],
      [2, /not an audio file/],
      [3, /empty file/],
      [5, /silent/],
      [6, /too short/],
    ] as const) {
      assert.equal(lines[i].status, 'no_match');
      assert.match(lines[i].error, reason);
      assert.ok(errs.some((e) => e.includes(path.basename(bad[i])) && reason.test(e)), `stderr names ${bad[i]}`);
    }
  });

  it('says clearly when there is no index', () => {
    const r = ayah(['identify', clip('akhdar-113-3.wav')], { AYAH_HOME: tempDir() });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^ayah: .*no index/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('changes nothing when the same folder is added again, and re-indexes a changed file', () => {
    const again = ayah(['add-reciter', akhdarDir, '--name', 'Ibrahim Al-Akhdar'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing changed/);
    fs.copyFileSync(path.join(CORPUS, 'akhdar/078001.mp3'), path.join(akhdarDir, '112004.mp3'));
    const changed = ayah(['add-reciter', akhdarDir, '--name', 'Ibrahim Al-Akhdar', '--json'], env);
    const j = JSON.parse(changed.stdout);
    assert.equal(j.reindexed, 1);
    assert.equal(j.unchanged, 17);
  });

  it('adding a deactivated reciter again changes nothing (its recordings are still indexed)', () => {
    assert.equal(ayah(['reciters', 'deactivate', 'ibrahim-al-akhdar'], env).code, 0);
    const again = ayah(['add-reciter', akhdarDir, '--name', 'Ibrahim Al-Akhdar'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing changed \(18 recordings already indexed\)/);
    assert.equal(ayah(['reciters', 'activate', 'ibrahim-al-akhdar'], env).code, 0);
  });

  it('a killed add-reciter leaves the previous index usable and unchanged', async () => {
    const before = indexStats(path.join(home, 'index'));
    const big = folderOf(fs.readdirSync(path.join(CORPUS, 'salama')).filter((f) => f.startsWith('08')).map((f) => `salama/${f}`));
    const child = ayahSpawn(['add-reciter', big, '--name', 'Interrupted'], env);
    // Kill it once the first fingerprint batch is staged: mid-build, before the merge.
    const staging = path.join(home, 'index', 'staging');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(fs.existsSync(staging) && fs.readdirSync(staging).some((b) => fs.readdirSync(path.join(staging, b)).some((f) => f.endsWith('.bin')))))
      await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    assert.deepEqual(indexStats(path.join(home, 'index')), before);
    const r = ayah(['identify', '--json', clip('akhdar-113-3.wav')], env);
    assert.equal(JSON.parse(r.stdout).results[0].ayah, 3);
  });
});
