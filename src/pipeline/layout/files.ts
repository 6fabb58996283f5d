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

/** A folder listing: the regular files, and the symlinks skipped because they loop. */
export interface FolderListing {
  files: string[];
  /** Symlinks to a folder already being listed (`ln -s . a`): listed once, not followed. */
  loops: string[];
}

/**
 * Every regular file under `dir` (following symlinks), as paths relative to `dir` with "/"
 * separators, sorted. A symlink to a folder that is already listed (an ancestor: a cycle,
 * or a second link to the same folder) is not followed but returned in `loops`. Throws a
 * one-line AyahError when `dir` is not a readable folder.
 */
export async function listFolder(dir: string): Promise<FolderListing> {
  let st: Stats;
  try {
    st = await fs.stat(dir);
  } catch {
    throw new AyahError(`${dir}: no such folder`, ExitCode.BAD_INPUT);
  }
  if (!st.isDirectory()) throw new AyahError(`${dir}: not a directory`, ExitCode.BAD_INPUT);
  const out: FolderListing = { files: [], loops: [] };
  await walk(dir, '', out, new Set([await fs.realpath(dir)]));
  out.files.sort();
  out.loops.sort();
  return out;
}

/** The regular files of `listFolder`. */
export async function listFiles(dir: string): Promise<string[]> {
  return (await listFolder(dir)).files;
}

async function walk(root: string, rel: string, out: FolderListing, seen: Set<string>): Promise<void> {
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
    if (isDir) {
      const real = await fs.realpath(path.join(root, relPath));
      if (seen.has(real)) {
        out.loops.push(relPath);
        continue;
      }
      seen.add(real);
      await walk(root, relPath, out, seen);
    } else if (isFile) out.files.push(relPath);
  }
}
