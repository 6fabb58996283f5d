/**
 * locks: the pipeline's locks across processes and machines, without lock files.
 * - "rebuild": one index rebuild at a time (a second one is refused: exit 6);
 * - "index-writer": one writer of the index manifest at a time (merges, compaction,
 *   activation, removal wait for it).
 * Held in PostgreSQL (advisory lock) when DATABASE_URL is set, else in Redis (SET NX PX)
 * when REDIS_URL is set, else by this machine's kernel (local guard) for the embedded default.
 */
import fs from 'node:fs';
import { AyahError, ExitCode } from '../errors.js';
import { indexDir } from '../home.js';
import { log } from '../log.js';
import { envInt, type ServiceConfig } from '../services/config.js';
import { describeHolder, type HeldLock, type LockHolder } from './holder.js';
import { tryLocalGuard } from './local-guard.js';

export type { HeldLock, LockHolder } from './holder.js';

export type LockName = 'rebuild' | 'index-writer';

const LOCK_NUMBER: Record<LockName, number> = { rebuild: 2, 'index-writer': 3 };
const POLL_MS = 250;

/** Takes the lock, or says who holds it. The backend's client library loads only when used. */
export async function tryLock(config: ServiceConfig, name: LockName, what: string): Promise<HeldLock | LockHolder> {
  if (config.databaseUrl) return (await import('./pg-advisory-lock.js')).tryAdvisoryLock(config.databaseUrl, LOCK_NUMBER[name], what);
  if (config.redisUrl) return (await import('./redis-lock.js')).tryRedisLock(config.redisUrl, `${config.queuePrefix}:lock:${name}`, what);
  const dir = indexDir(config.home);
  fs.mkdirSync(dir, { recursive: true });
  return tryLocalGuard(`${name}:${fs.realpathSync(dir)}`, what);
}

export function isHeld(got: HeldLock | LockHolder): got is HeldLock {
  return 'release' in got;
}

/** Waits for the lock (polling) up to `timeoutMs`, then fails with exit 6 naming the holder. */
export async function waitLock(config: ServiceConfig, name: LockName, what: string, timeoutMs: number): Promise<HeldLock> {
  const deadline = Date.now() + timeoutMs;
  let logged = false;
  for (;;) {
    const got = await tryLock(config, name, what);
    if (isHeld(got)) return got;
    if (Date.now() >= deadline) throw new AyahError(`the ${name} lock is held by "${got.what}" (${describeHolder(got)})`, ExitCode.BUSY);
    if (!logged) log.info({ lock: name, holder: got }, 'waiting for lock');
    logged = true;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Runs `fn` holding the lock (waiting for it). */
export async function withLock<T>(config: ServiceConfig, name: LockName, what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const lock = await waitLock(config, name, what, timeoutMs);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/** How long an index writer waits for another one (AYAH_WRITER_WAIT_MS, default 15 min). */
const WRITER_WAIT_MS = envInt('AYAH_WRITER_WAIT_MS', 15 * 60_000);

/** Runs `fn` as the one writer of the index (merges, compaction, activation, removal). */
export function withIndexWriter<T>(config: ServiceConfig, what: string, fn: () => Promise<T>): Promise<T> {
  return withLock(config, 'index-writer', what, WRITER_WAIT_MS, fn);
}
