/**
 * The local guard (the embedded catalog's and the index's lock between processes of one
 * machine): a process that asks who holds it and hangs up before the answer (a waiter that
 * timed out under load, or was killed) must not take the holder down.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, it } from 'node:test';
import { tryLocalGuard } from '../src/locks/local-guard.js';

/** The guard's Linux abstract socket address (as local-guard.ts names it). */
const addressOf = (name: string) => `\0ayahfinder-${createHash('sha1').update(name).digest('hex').slice(0, 20)}`;

describe('local guard', { skip: process.platform !== 'linux' && 'abstract sockets are Linux only' }, () => {
  it('survives askers that hang up at once, and still names itself to the next one', async () => {
    const name = `test-guard-${randomBytes(6).toString('hex')}`;
    const held = await tryLocalGuard(name, 'the holder');
    assert.ok('release' in held);
    const errors: unknown[] = [];
    const onError = (err: unknown) => errors.push(err);
    process.on('uncaughtException', onError);
    try {
      for (let i = 0; i < 200; i++) {
        await new Promise<void>((resolve) => {
          const s = net.connect(addressOf(name), () => {
            s.destroy();
            resolve();
          });
          s.on('error', () => resolve());
        });
      }
      await new Promise((r) => setTimeout(r, 200));
      const other = await tryLocalGuard(name, 'the asker');
      assert.ok(!('release' in other), 'the guard is still held');
      assert.equal(other.what, 'the holder');
      assert.equal(other.pid, process.pid);
    } finally {
      process.off('uncaughtException', onError);
      await held.release();
    }
    assert.deepEqual(errors, []);
  });
});
