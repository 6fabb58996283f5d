/**
 * spool: a stream input (standard input, a FIFO, /dev/stdin, a `<(...)` descriptor) copied
 * to a temporary file as it arrives, so that a long input read from a pipe can be analysed
 * whole (identify answers for the whole input, not its first seconds) with the same decoding
 * as a file. Streamed to disk: memory stays flat; at most AYAH_MAX_STREAM_BYTES (default
 * 4 GiB, hours of uncompressed audio) are taken, so an endless source is refused, not kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Spooled {
  path: string;
  remove(): void;
}

const MAX_BYTES = Number(process.env.AYAH_MAX_STREAM_BYTES) || 4 * 2 ** 30;

/** Passes at most `max` bytes, then fails naming the limit. */
function limited(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(new Error(`longer than ${max} bytes (AYAH_MAX_STREAM_BYTES); use --timeline or --follow to read a stream as it comes`));
      else done(null, chunk);
    },
  });
}

/** Copies the stream input `input` ("-" is standard input) to a temporary file. */
export async function spoolStream(input: string): Promise<Spooled> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ayah-stdin-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const file = path.join(dir, 'input');
  try {
    await pipeline(input === '-' ? process.stdin : fs.createReadStream(input), limited(MAX_BYTES), fs.createWriteStream(file));
  } catch (err) {
    remove();
    throw err;
  }
  return { path: file, remove };
}
