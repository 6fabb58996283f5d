/**
 * read-io: how an index's tables are read. A look-up takes hundreds to thousands of single
 * rows at random, one small read each. On Linux LanceDB can hand those reads to the kernel
 * through io_uring (its `file+uring://` scheme) instead of a thread per read: measured on the
 * 1,001-hour index (docs/benchmarks.md), a take of 1,000 rows costs 4.2 ms that way against
 * 9.6 ms, with a third of the system time.
 *
 * LanceDB's io_uring reader cannot fall back by itself: where the kernel refuses io_uring
 * (a seccomp filter such as Docker's default profile, or `kernel.io_uring_disabled`), its
 * reader thread stops and a read waits forever. So it is used only where io_uring can be
 * had: Linux 5.6 or later (the read operation it uses), io_uring not disabled, and no seccomp
 * filter on the process. `AYAH_IO_URING=0` turns it off, `AYAH_IO_URING=1` uses it
 * regardless. Writers always use ordinary reads and writes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Whether reads go through io_uring here (decided once per process). */
let decided: boolean | undefined;

export function readsThroughIoUring(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.AYAH_IO_URING === '0') return false;
  if (env.AYAH_IO_URING === '1') return true;
  return (decided ??= ioUringAvailable());
}

/** The address of `lanceDir` (a folder) for LanceDB's io_uring reader. */
export function ioUringUri(lanceDir: string): string {
  return `file+uring://${path.resolve(lanceDir)}`;
}

function ioUringAvailable(): boolean {
  if (process.platform !== 'linux') return false;
  const [major, minor] = os.release().split(/[.-]/).map(Number);
  if (!(major > 5 || (major === 5 && minor >= 6))) return false;
  const disabled = readProc('/proc/sys/kernel/io_uring_disabled');
  if (disabled !== undefined && disabled.trim() !== '0') return false;
  const seccomp = /^Seccomp:\s*(\d+)/m.exec(readProc('/proc/self/status') ?? '');
  return seccomp?.[1] === '0';
}

function readProc(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
