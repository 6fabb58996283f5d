/**
 * Issue 13, item 11: a fingerprint thread that ends (crash, out of memory, killed) fails
 * its job with a reason and is replaced: the jobs after it still run (before, a pool whose
 * threads had all ended waited forever).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { scanReciterFolder } from '../src/pipeline/layout.js';
import { ThreadPool } from '../src/pipeline/runner/thread-pool.js';
import { folderOf, tempDir } from './helpers/env.js';

describe('fingerprint thread pool', () => {
  it('replaces a thread that ended; its job fails with the reason, the next ones run', async () => {
    const dir = folderOf(['akhdar/112001.mp3', 'akhdar/112002.mp3']);
    const scan = await scanReciterFolder(dir);
    const indexDir = path.join(tempDir('ayah-pool-'), 'index');
    const job = (k: number) => ({ buildId: 'pool-test', indexDir, reciterId: 'r', batchKey: `000${k}`, sources: [scan.sources[k]] });
    const pool = new ThreadPool(1);
    try {
      const first = pool.fingerprint(job(0));
      await pool.threads()[0].terminate(); // as a crash or an out-of-memory kill would end it
      await assert.rejects(first, /fingerprint thread ended/);
      const next = await Promise.race([pool.fingerprint(job(1)), new Promise((_, reject) => setTimeout(() => reject(new Error('no thread took the job')), 30_000))]);
      assert.equal((next as { recordings: number }).recordings, 1);
      assert.equal(pool.threads().length, 1);
    } finally {
      await pool.close();
    }
  });
});
