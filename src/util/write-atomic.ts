/**
 * write-atomic: a file written whole or not at all, as readers see it, even after a power
 * loss: written under a temporary name beside it and flushed to disk (fsync), then renamed
 * over it, and the rename flushed too (its folder fsynced). Without the first fsync a crash
 * of the machine can leave the new name on a file of the right length but zeros inside.
 * Synchronous from start to end: nothing yields to the event loop half-way.
 */
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | NodeJS.ArrayBufferView): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true }); // a full disk leaves no partial file behind
    throw err;
  }
  syncDir(dir);
}

/** Flushes a folder's entries (a rename in it) to disk; where a folder cannot be opened for that (some platforms), the rename stands as is. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic for readers.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
