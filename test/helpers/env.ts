/**
 * Test environment helpers: the corpus beside the repository, temporary AYAH_HOMEs,
 * running the real `ayah` command, and making clips with the real ffmpeg.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpegPath } from '../../src/fingerprint/ffmpeg-path.js';

/** Repository root (dist/test/helpers → ../../..). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CORPUS = process.env.AYAH_CORPUS ?? path.resolve(REPO, '..', 'shared', 'corpus');
export const BIN = path.join(REPO, 'bin', 'ayah');

const made: string[] = [];
// Tests clean up after themselves: every folder made here goes when the test process ends.
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'ayah-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function ayah(args: string[], env: Record<string, string | undefined> = {}, input?: Buffer): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    input,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** Starts `ayah` without waiting (for kill tests). */
export function ayahSpawn(args: string[], env: Record<string, string | undefined> = {}) {
  return spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs the bundled ffmpeg with the given arguments (quiet, overwrite). */
export function ffmpeg(args: string[]): void {
  execFileSync(ffmpegPath(), ['-v', 'error', '-y', ...args]);
}

/** Copies corpus files (relative to CORPUS) into a new folder; returns the folder. */
export function folderOf(files: string[], into = tempDir('ayah-reciter-')): string {
  for (const f of files) {
    const dest = path.join(into, path.basename(f));
    fs.copyFileSync(path.join(CORPUS, f), dest);
  }
  return into;
}
