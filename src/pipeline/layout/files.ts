/**
 * files: listing a reciter folder and recognising audio files by extension.
 */
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AyahError, ExitCode } from '../../errors.js';

/** Audio extensions a reciter folder may use (lower case, without the dot). */
export const AUDIO_EXTENSIONS: readonly string[] = ['mp3', 'wav', 'ogg', 'opus', 'm4a', 'flac', 'webm'];

/** Regex source matching one audio extension, for name patterns (use with the `i` flag). */
export const AUDIO_EXT_PATTERN = AUDIO_EXTENSIONS.join('|');

/** The lower-case extension of a file name without the dot ("" when none). */
export function extensionOf(name: string): string {
  return path.extname(name).slice(1).toLowerCase();
}

export function isAudioName(name: string): boolean {
  return AUDIO_EXTENSIONS.includes(extensionOf(name));
}

/**
 * Every regular file under `dir` (following symlinks), as paths relative to `dir` with "/"
 * separators, sorted. Throws a one-line AyahError when `dir` is not a readable folder.
 */
export async function listFiles(dir: string): Promise<string[]> {
  let st: Stats;
  try {
    st = await fs.stat(dir);
  } catch {
    throw new AyahError(`${dir}: no such folder`, ExitCode.BAD_INPUT);
  }
  if (!st.isDirectory()) throw new AyahError(`${dir}: not a directory`, ExitCode.BAD_INPUT);
  const out: string[] = [];
  await walk(dir, '', out);
  return out.sort();
}

async function walk(root: string, rel: string, out: string[]): Promise<void> {
  const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
  for (const e of entries) {
    const relPath = rel ? `${rel}/${e.name}` : e.name;
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      const target = await fs.stat(path.join(root, relPath)).catch(() => undefined);
      isDir = Boolean(target?.isDirectory());
      isFile = Boolean(target?.isFile());
    }
    if (isDir) await walk(root, relPath, out);
    else if (isFile) out.push(relPath);
  }
}
