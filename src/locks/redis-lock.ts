/**
 * redis-lock: a lock in Redis (REDIS_URL without DATABASE_URL): SET key NX PX with a
 * time to live, renewed while held and deleted on release only by its owner (compare and
 * delete), so a crashed holder's lock expires after LOCK_TTL_MS. The value says who holds it.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectRedis } from '../services/redis.js';
import { selfHolder, type HeldLock, type LockHolder } from './holder.js';

const LOCK_TTL_MS = 30_000;

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export async function tryRedisLock(url: string, key: string, what: string): Promise<HeldLock | LockHolder> {
  const redis: Redis = await connectRedis(url);
  const value = JSON.stringify({ ...selfHolder(what), token: randomBytes(8).toString('hex') });
  if ((await redis.set(key, value, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
    const current = await redis.get(key);
    redis.disconnect();
    try {
      return JSON.parse(current ?? '') as LockHolder;
    } catch {
      return { what: 'unknown', host: 'unknown host', pid: 0, since: 'at an unknown time' };
    }
  }
  const timer = setInterval(() => void redis.eval(RENEW, 1, key, value, LOCK_TTL_MS).catch(() => undefined), LOCK_TTL_MS / 3);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, value).catch(() => undefined);
      redis.disconnect();
    },
  };
}
