/**
 * spool: standard input copied to a temporary file as it arrives, so that a long input read
 * from a pipe can be analysed whole (identify answers for the whole input, not its first
 * seconds) with the same decoding as a file. Streamed to disk: memory stays flat.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

export interface Spooled {
  path: string;
  remove(): void;
}

export async function spoolStdin(): Promise<Spooled> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ayah-stdin-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const file = path.join(dir, 'input');
  try {
    await pipeline(process.stdin, fs.createWriteStream(file));
  } catch (err) {
    remove();
    throw err;
  }
  return { path: file, remove };
}
