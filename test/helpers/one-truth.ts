/**
 * What the embedded one-truth tests share: a reciter folder of the corpus, the clips they
 * ask about, and how they read `ayah`'s JSON answers.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ayah, CORPUS, ffmpeg, folderOf, tempDir } from './env.js';

export const AKHDAR = ['113001', '113002', '113003', '113004', '113005', '114001', '114002', '114003', '114004', '114005', '114006'].map((n) => `akhdar/${n}.mp3`);
export const N = AKHDAR.length;
const ALAFASY = ['1', '2', '3', '4', '5', '6'].map((a) => `alafasy/114/${a}.mp3`);
/** Alafasy's surah 114 in its folders layout (114/A.mp3). */
export const alafasyFolder = () => {
  const dir = tempDir('ayah-reciter-');
  fs.mkdirSync(path.join(dir, '114'));
  folderOf(ALAFASY, path.join(dir, '114'));
  return dir;
};

interface Shown {
  catalog?: { recordings: number; riwayah: string; status: string; isActive: boolean };
  index?: { recordings: number; audioSeconds: number };
  builds: { id: string; status: string; statusReason?: string }[];
}
export const show = (env: Record<string, string>, id: string) => {
  const r = ayah(['reciters', 'show', id, '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Shown;
};
export const json = (stdout: string) => JSON.parse(stdout) as { added: number; reindexed: number; removed: string[]; described: string[]; unchanged: number; buildId: string | null };
/** identify --json answers, elapsed_ms aside. */
export const answers = (env: Record<string, string>, clips: string[]) => {
  const r = ayah(['identify', '--json', ...clips], env);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => {
      const { elapsed_ms: _e, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return rest as { status: string; results: { surah: number; ayah: number; reciter: string; riwayah: string; confidence: number }[] };
    });
};
export const stagingLeft = (home: string) => {
  const dir = path.join(home, 'index', 'staging');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

/** The clips the tests identify, made once per file: akhdar 113:3 and 114:2 (phone band), alafasy 114:4. */
export function makeClips(): (name: string) => string {
  const clips = tempDir('ayah-clips-');
  const clip = (n: string) => path.join(clips, n);
  ffmpeg(['-ss', '0.3', '-t', '4', '-i', path.join(CORPUS, 'akhdar/113003.mp3'), clip('akhdar-113-3.wav')]);
  ffmpeg(['-ss', '0.2', '-t', '3', '-i', path.join(CORPUS, 'akhdar/114002.mp3'), '-af', 'highpass=f=300,lowpass=f=3400', '-ar', '8000', clip('akhdar-114-2.ogg')]);
  ffmpeg(['-ss', '0.2', '-t', '4', '-i', path.join(CORPUS, 'alafasy/114/4.mp3'), clip('alafasy-114-4.wav')]);
  return clip;
}
