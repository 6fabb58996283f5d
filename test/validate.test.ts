import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { ffmpegPath } from '../src/fingerprint/ffmpeg-path.js';
import { decodeStats, isDecoded } from '../src/pipeline/validate/decode-stats.js';
import { renderText } from '../src/pipeline/validate/report.js';
import type { Issue, ValidationReport } from '../src/pipeline/validate/types.js';
import { validateFolder } from '../src/pipeline/validate/validate-folder.js';

/** Files (not the folder) with at least one error. */
const invalidFiles = (report: ValidationReport) => new Set(report.issues.filter((i) => i.severity === 'error' && i.file !== '.').map((i) => i.file));

const CORPUS = '/work/shared/corpus';
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/ayah');
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ayah-validate-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function ffmpeg(...args: string[]): void {
  execFileSync(ffmpegPath(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);
}

function copy(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(path.join(CORPUS, from), to);
  fs.chmodSync(to, 0o644);
}

/** One file per defect, next to clean files (corpus copies) that must raise nothing. */
const flatDir = path.join(tmpRoot, 'flat');
const timedDir = path.join(tmpRoot, 'timed');
let flat: ValidationReport;
let timed: ValidationReport;

before(async () => {
  fs.mkdirSync(flatDir, { recursive: true });
  const f = (name: string) => path.join(flatDir, name);
  for (const clean of ['078008.mp3', '078009.mp3', '078010.mp3']) copy(`akhdar/${clean}`, f(clean));
  const whole = fs.readFileSync(path.join(CORPUS, 'akhdar/078001.mp3'));
  fs.writeFileSync(f('078001.mp3'), whole.subarray(0, Math.floor(whole.length * 0.6))); // truncated
  fs.writeFileSync(f('078002.mp3'), ''); // zero bytes
  fs.writeFileSync(f('078003.mp3'), 'These are my notes about the recording session.\n'); // text named .mp3
  ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=22050:cl=mono', '-t', '4', '-c:a', 'libmp3lame', '-b:a', '32k', f('078004.mp3')); // silent
  copy('akhdar/078005.mp3', f('078005.mp3')); // the same audio under two names
  copy('akhdar/078005.mp3', f('078006.mp3'));
  ffmpeg('-i', path.join(CORPUS, 'akhdar/078007.mp3'), '-af', 'volume=20', '-c:a', 'libmp3lame', '-b:a', '32k', f('078007.mp3')); // clipped
  copy('salama/089001.mp3', f('002282.mp3')); // 0.9 s for the longest ayah: far too short
  copy('akhdar/098008.mp3', f('055064.mp3')); // 26 s for a two-word ayah: far too long
  copy('akhdar/078011.mp3', f('fatiha.mp3')); // not SSSAAA
  copy('akhdar/078012.mp3', f('003201.mp3')); // no such ayah
  fs.writeFileSync(f('README.txt'), 'recorded 2019\n');

  // Whole-surah recording of 112 (19.6 s) with a damaged timing file.
  copy('basit-warsh/audio/112.mp3', path.join(timedDir, 'audio/112.mp3'));
  copy('basit-warsh/audio/113.mp3', path.join(timedDir, 'audio/113.mp3'));
  copy('basit-warsh/alignments/113.json', path.join(timedDir, 'alignments/113.json'));
  const seg = (from: number, to: number, ref: string) => ({ time_from: from, time_to: to, ref_from: `${ref}:1`, ref_to: `${ref}:4` });
  const segments = [
    { time_from: 0.5, time_to: 4.9, ref_from: 'Basmala', ref_to: 'Basmala' },
    seg(5.2, 8.0, '112:1'),
    seg(7.5, 10.5, '112:2'), // overlaps 112:1
    seg(10.8, 14.0, '112:3'),
    seg(14.5, 24.0, '112:4'), // ends after the audio (19.6 s)
  ];
  fs.writeFileSync(path.join(timedDir, 'alignments/112.json'), JSON.stringify({ segments }));

  [flat, timed] = await Promise.all([validateFolder(flatDir), validateFolder(timedDir)]);
});

const issuesOf = (r: ValidationReport, file: string): Issue[] => r.issues.filter((i) => i.file === file);

function assertIssue(r: ValidationReport, file: string, severity: Issue['severity'], check: Issue['check'], reason: RegExp): void {
  const found = issuesOf(r, file);
  assert.ok(
    found.some((i) => i.severity === severity && i.check === check && reason.test(i.reason)),
    `${file}: expected ${severity} ${check} ${reason}, got ${JSON.stringify(found)}`,
  );
}

test('decodeStats measures a real file in one pass', async () => {
  const a = await decodeStats(path.join(CORPUS, 'akhdar/001001.mp3'));
  assert.ok(isDecoded(a));
  assert.equal(a.info.codec, 'mp3');
  assert.equal(a.info.sampleRate, 22050);
  assert.equal(a.info.channels, 1);
  assert.equal(a.info.bitrateKbps, 32);
  assert.ok(Math.abs(a.pcm.durationS - (a.info.headerDurationS ?? 0)) < 0.1, `${a.pcm.durationS} vs ${a.info.headerDurationS}`);
  assert.ok(a.pcm.soundS > 4 && a.pcm.soundS <= a.pcm.durationS);
  assert.ok(a.pcm.rmsDb > -30 && a.pcm.peakDb < 0);
  assert.equal(a.pcm.clippingRatio, 0);
  assert.deepEqual(a.decodeErrors, []);
  const again = await decodeStats(path.join(CORPUS, 'akhdar/001001.mp3'));
  assert.ok(isDecoded(again));
  assert.equal(again.pcm.pcmHash, a.pcm.pcmHash);
  const other = await decodeStats(path.join(CORPUS, 'salama/001001.mp3'));
  assert.ok(isDecoded(other));
  assert.notEqual(other.pcm.pcmHash, a.pcm.pcmHash);
  assert.equal(other.info.channels, 2);
});

test('each defect is reported with its check and reason', () => {
  assertIssue(flat, '078001.mp3', 'error', 'decode', /^truncated or damaged: decodes to [\d.]+ s of the 8\.54 s its header declares$/);
  assertIssue(flat, '078002.mp3', 'error', 'decode', /^empty file \(0 bytes\)$/);
  assertIssue(flat, '078003.mp3', 'error', 'decode', /^not an audio file ffmpeg can read$/);
  assertIssue(flat, '078004.mp3', 'error', 'silence', /^silent: 100% of the audio is below -45 dBFS/);
  assertIssue(flat, '078005.mp3', 'error', 'duplicate', /^same decoded audio as 078006\.mp3$/);
  assertIssue(flat, '078006.mp3', 'error', 'duplicate', /^same decoded audio as 078005\.mp3$/);
  assertIssue(flat, '078007.mp3', 'error', 'clipping', /^clipped: \d+% of samples at full scale/);
  assertIssue(flat, '002282.mp3', 'error', 'duration', /^too short: 0\.\d s of recitation for 2:282 \(547 letters\), expected at least 27\.4 s$/);
  assertIssue(flat, '055064.mp3', 'error', 'duration', /^too long: 2\d\.\d s of recitation for 55:64 \(8 letters\), expected at most 15\.6 s$/);
  assertIssue(flat, 'fatiha.mp3', 'error', 'name', /^name is not SSSAAA/);
  assertIssue(flat, '003201.mp3', 'error', 'name', /^no such ayah 3:201$/);
  assertIssue(flat, 'README.txt', 'warning', 'name', /^not used: not an audio file$/);
  // Coverage is by name: the defective 78:1–7 count as present.
  assertIssue(flat, '.', 'warning', 'coverage', /^surah 78: 10\/40, missing 78:11, 78:12, .* \(\+22 more\)$/);
  assertIssue(flat, '.', 'warning', 'format', /^mixed formats: 9 × mp3 22050 Hz mono; 1 × mp3 22050 Hz stereo \(002282\.mp3\)$/);
});

test('clean files raise nothing; only the defective files are invalid', () => {
  for (const clean of ['078008.mp3', '078009.mp3', '078010.mp3']) assert.deepEqual(issuesOf(flat, clean), []);
  assert.deepEqual(
    [...invalidFiles(flat)].sort(),
    ['002282.mp3', '003201.mp3', '055064.mp3', '078001.mp3', '078002.mp3', '078003.mp3', '078004.mp3', '078005.mp3', '078006.mp3', '078007.mp3', 'fatiha.mp3'],
  );
  assert.equal(flat.ok, false);
  assert.equal(flat.layout, 'flat');
  assert.deepEqual(flat.counts, { files: 15, sources: 12, unmatched: 3, errors: 11, warnings: 5 });
  // Errors come first; every issue is one line.
  const firstWarning = flat.issues.findIndex((i) => i.severity === 'warning');
  assert.ok(flat.issues.slice(firstWarning).every((i) => i.severity === 'warning'));
  assert.ok(flat.issues.every((i) => !i.reason.includes('\n')));
  const facts = flat.files.find((x) => x.relPath === '078008.mp3')?.audio;
  assert.equal(facts?.sampleRate, 22050);
  assert.equal(flat.files.find((x) => x.relPath === '078002.mp3')?.audio, null);
});

test('a timing file with overlapping and out-of-range segments', () => {
  assert.equal(timed.layout, 'surah-timed');
  assertIssue(timed, 'alignments/112.json', 'error', 'timing', /^segment 3 \(112:2, 7\.50–10\.50 s\) overlaps segment 2 \(112:1, 5\.20–8\.00 s\)$/);
  assertIssue(timed, 'alignments/112.json', 'error', 'timing', /^segment 5 \(112:4, 14\.50–24\.00 s\) ends at 24\.00 s, after the audio \(19\.\d\d s\)$/);
  assert.equal(issuesOf(timed, 'alignments/112.json').length, 2);
  assert.deepEqual(issuesOf(timed, 'alignments/113.json'), []);
  assert.deepEqual(issuesOf(timed, 'audio/113.mp3'), []);
  assert.deepEqual([...invalidFiles(timed)], ['alignments/112.json']);
});

test('a clean corpus folder reports no errors', async () => {
  const r = await validateFolder(`${CORPUS}/hudhaifi`);
  assert.equal(r.counts.errors, 0, renderText(r));
  assert.equal(r.ok, true);
  assert.equal(r.counts.sources, 13);
  // Only surah 2 is incomplete (5 of 286 ayahs).
  assert.deepEqual(
    r.issues.map((i) => [i.severity, i.check, i.file]),
    [['warning', 'coverage', '.']],
  );
  const strict = await validateFolder(`${CORPUS}/hudhaifi`, { strict: true });
  assert.equal(strict.ok, false);
});

test('alafasy: the basmala take repeated in every surah folder is not a duplicate', async () => {
  const r = await validateFolder(`${CORPUS}/alafasy`);
  assert.deepEqual(r.issues, []);
  const basmalaHashes = new Set(r.files.filter((f) => f.kind === 'basmala').map((f) => f.audio?.pcmHash));
  assert.equal(basmalaHashes.size, 1);
});

test('a folder without any ayah recording is an error', async () => {
  const empty = path.join(tmpRoot, 'empty');
  fs.mkdirSync(path.join(empty, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(empty, 'docs/notes.txt'), 'nothing yet\n');
  const r = await validateFolder(empty);
  assert.deepEqual(
    r.issues.map((i) => [i.severity, i.check, i.file, i.reason]),
    [
      ['error', 'coverage', '.', 'no ayah recordings found'],
      ['warning', 'name', 'docs/notes.txt', 'not used: not an audio file'],
    ],
  );
});

test('CLI: exit codes, text and JSON output', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'validate', ...args], { encoding: 'utf8' });
  const bad = run(flatDir);
  assert.equal(bad.status, 1, bad.stderr);
  assert.match(bad.stdout, /^error +003201\.mp3 +name +no such ayah 3:201$/m);
  assert.match(bad.stdout, /^FAILED: 11 errors$/m);
  assert.equal(bad.stderr, '');
  const json = run('--json', timedDir);
  assert.equal(json.status, 1);
  const report = JSON.parse(json.stdout) as ValidationReport;
  assert.equal(report.schema, 'ayahfinder.validate/1');
  assert.equal(report.counts.errors, 2);
  const hudhaifi = `${CORPUS}/hudhaifi`;
  assert.equal(run(hudhaifi).status, 0);
  assert.equal(run('--strict', hudhaifi).status, 1);
  const usage = run('--layout', 'nested', hudhaifi);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^ayah: --layout: "nested" is invalid: use flat, folders, surah-timed$/m);
  assert.equal(run(path.join(tmpRoot, 'missing')).status, 3, "a DIR that is not a directory: exit 3, as for add-reciter");
});
