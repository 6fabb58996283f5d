/**
 * fs-errors: a file system failure where Ayahfinder writes (AYAH_HOME: the index, its
 * staging folders, the embedded catalog) as one line naming the path and the cause:
 * read-only file system, disk full, no permission. Exit 7 (README "Exit codes").
 */
import fs from 'node:fs';
import { AyahError, ExitCode, reasonOf } from './errors.js';

const CAUSES: Record<string, string> = {
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EFBIG: 'file too large',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
};

/** The cause of a file system error, in words (Node's code, or LanceDB's/PGlite's message). */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code && CAUSES[code]) return `${CAUSES[code]} (${code})`;
  const m = reasonOf(err);
  if (/No space left|ENOSPC|os error 28/i.test(m)) return `${CAUSES.ENOSPC} (ENOSPC)`;
  if (/Read-only file system|EROFS|os error 30/i.test(m)) return `${CAUSES.EROFS} (EROFS)`;
  if (/Permission denied|EACCES|os error 13/i.test(m)) return `${CAUSES.EACCES} (EACCES)`;
  if (/File too large|EFBIG|os error 27/i.test(m)) return `${CAUSES.EFBIG} (EFBIG)`;
  return m.replace(/,?\s*\/(?:usr|rustc|home|root)\/\S+:\d+:\d+/g, '').slice(0, 200);
}

/** Whether `err` is a failure to write (read-only, full, no permission), not a bug. */
export function isWriteFailure(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code && ['EROFS', 'ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EFBIG'].includes(code)) return true;
  return /No space left|ENOSPC|os error (28|30|13|27)|Read-only file system|EROFS|Permission denied|File too large/i.test(reasonOf(err));
}

/** The exit-7 error: `<path>: cannot write: <cause>; nothing was committed`. */
export function cannotWrite(where: string, err: unknown): AyahError {
  return new AyahError(`${where}: cannot write: ${fsReason(err)}; nothing was committed`, ExitCode.CANNOT_WRITE, { cause: err });
}

/**
 * Checks, before a command writes anything, that AYAH_HOME and the index and catalog
 * folders in it (those that exist) can be written: a read-only one is exit 7 naming it.
 */
export function assertWritable(dirs: string[]): void {
  for (const dir of dirs) {
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw cannotWrite(dir, err);
    }
  }
}

/** The path a write failure is about: Node's `path`, else the first path in the message (LanceDB's, without the leading "/"). */
export function failedPath(err: unknown): string | undefined {
  const p = (err as NodeJS.ErrnoException)?.path;
  if (p) return p;
  const m = /(?:^|[\s'"])(\/?(?:tmp|home|root|var|mnt|srv|data|work)\/[^\s,'"]+)/.exec(reasonOf(err));
  return m ? (m[1].startsWith('/') ? m[1] : `/${m[1]}`) : undefined;
}
