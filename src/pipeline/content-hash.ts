/**
 * content-hash: SHA-256 of a file's bytes, streamed; tells a changed file from an unchanged one.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

export async function contentHashOfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
