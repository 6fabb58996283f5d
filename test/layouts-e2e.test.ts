/**
 * The other layouts end to end: whole-surah files with timings (Abdul Basit, Warsh) and
 * S/A.mp3 folders (Alafasy); and inputs in other containers (flac, m4a, webm video).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ayah, CORPUS, ffmpeg, tempDir } from './helpers/env.js';

function copy(rel: string, into: string): void {
  fs.mkdirSync(path.dirname(path.join(into, rel)), { recursive: true });
  fs.copyFileSync(path.join(CORPUS, rel), path.join(into, rel));
}

describe('surah-timed and folders layouts, other containers', () => {
  const home = tempDir('ayah-home-');
  const env = { AYAH_HOME: home };
  const clips = tempDir('ayah-clips-');
  const basit = tempDir('ayah-basit-');
  const alafasy = tempDir('ayah-alafasy-');

  before(() => {
    for (const s of ['112', '113', '114']) {
      fs.mkdirSync(path.join(basit, 'audio'), { recursive: true });
      fs.mkdirSync(path.join(basit, 'alignments'), { recursive: true });
      fs.copyFileSync(path.join(CORPUS, 'basit-warsh', 'audio', `${s}.mp3`), path.join(basit, 'audio', `${s}.mp3`));
      fs.copyFileSync(path.join(CORPUS, 'basit-warsh', 'alignments', `${s}.json`), path.join(basit, 'alignments', `${s}.json`));
    }
    for (const f of fs.readdirSync(path.join(CORPUS, 'alafasy', '112'))) copy(path.join('alafasy', '112', f), alafasy);
    const b = ayah(['add-reciter', basit, '--name', 'Abdul Basit', '--riwayah', 'warsh', '--json'], env);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(JSON.parse(b.stdout).layout, 'surah-timed');
    const a = ayah(['add-reciter', path.join(alafasy, 'alafasy'), '--name', 'Mishary Alafasy', '--json'], env);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(JSON.parse(a.stdout).layout, 'folders');

    const surah113 = path.join(CORPUS, 'basit-warsh', 'audio', '113.mp3');
    // 113:3 is at 14.3-18.8 s of the whole-surah file (alignments/113.json).
    ffmpeg(['-ss', '14.6', '-t', '4', '-i', surah113, '-vn', '-c:a', 'flac', path.join(clips, 'basit-113-3.flac')]);
    // 6 s from 11.0 s: the second half of 113:2 (10.56-13.64 s) into 113:3 (a clip crossing ayahs).
    ffmpeg(['-ss', '11.0', '-t', '6', '-i', surah113, '-vn', '-c:a', 'aac', '-b:a', '64k', path.join(clips, 'basit-113-2-3.m4a')]);
    const alafasy1122 = path.join(CORPUS, 'alafasy', '112', '2.mp3');
    ffmpeg(['-f', 'lavfi', '-i', 'color=c=black:s=64x64:r=10', '-ss', '0.2', '-t', '3', '-i', alafasy1122, '-shortest', '-map', '0:v', '-map', '1:a', '-c:v', 'libvpx', '-c:a', 'libopus', '-ar', '48000', path.join(clips, 'alafasy-112-2.webm')]);
  });

  it('finds an ayah inside a whole-surah recording, with its riwayah and position', () => {
    const r = ayah(['identify', '--json', path.join(clips, 'basit-113-3.flac')], env);
    assert.equal(r.code, 0, r.stderr);
    const best = JSON.parse(r.stdout).results[0];
    assert.deepEqual([best.surah, best.ayah, best.riwayah, best.reciter], [113, 3, 'warsh', 'Abdul Basit']);
    assert.ok(Math.abs(best.offset_s - 0.3) < 0.4, `offset ${best.offset_s}`);
  });

  it('names every ayah a clip of a whole-surah recording covers', () => {
    const r = ayah(['identify', '--json', path.join(clips, 'basit-113-2-3.m4a')], env);
    const best = JSON.parse(r.stdout).results[0];
    assert.deepEqual([`${best.surah}:${best.ayah}`, ...best.also_covers].sort(), ['113:2', '113:3']);
  });

  it('indexes S/A.mp3 folders and reads video containers', () => {
    const r = ayah(['identify', '--json', '--riwayah', 'hafs', path.join(clips, 'alafasy-112-2.webm')], env);
    assert.equal(r.code, 0, r.stderr);
    const best = JSON.parse(r.stdout).results[0];
    assert.deepEqual([best.surah, best.ayah, best.reciter_id], [112, 2, 'mishary-alafasy']);
  });
});
