/**
 * Test helpers for the real services on this machine: a PostgreSQL database of its own
 * per test file (created from the `postgres` database, dropped after), a BullMQ key prefix
 * of its own (keys deleted after), and `ayah worker` processes.
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import pg from 'pg';
import { deleteKeysStartingWith } from '../../src/services/redis.js';
import { ayahSpawn, tempDir, type CliResult } from './env.js';

export const PG_ADMIN_URL = process.env.AYAH_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.AYAH_TEST_REDIS ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `ayah_test_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))) };
}

/** Runs one query on a test database. */
export async function queryDb<R extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Temporary folders of a test file under one root, removed by `remove()`. */
export function scratch(prefix: string): { dir: (name: string) => string; remove: () => void } {
  const root = tempDir(prefix);
  let n = 0;
  return {
    dir: (name) => {
      const d = path.join(root, `${name}-${n++}`);
      fs.mkdirSync(d);
      return d;
    },
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export function testPrefix(): string {
  return `ayahtest_${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under the prefix. */
export async function cleanRedis(prefix: string): Promise<void> {
  await deleteKeysStartingWith(REDIS_URL, `${prefix}:`);
}

export function queue(prefix: string, name: string): Queue {
  return new Queue(name, { connection: { url: REDIS_URL }, prefix });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `ayah worker` and waits until Redis lists it among the fingerprint queue's workers. */
export async function startWorker(env: Record<string, string>, args: string[] = ['--concurrency', '1']): Promise<WorkerProcess> {
  const child = ayahSpawn(['worker', ...args], { LOG_LEVEL: 'info', ...env });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await waitFor('the worker to start', async () => err.includes('ayah worker ready') || child.exitCode !== null, 30_000);
  if (child.exitCode !== null) throw new Error(`ayah worker exited: ${err}`);
  const q = queue(env.AYAH_QUEUE_PREFIX, 'fingerprint');
  try {
    await waitFor('the worker to connect', async () => (await q.getWorkers()).some((w) => w.rawname?.endsWith(`/${child.pid}`)), 30_000);
  } finally {
    await q.close();
  }
  return { child, pid: child.pid!, stderr: () => err, exited };
}

export async function stopWorker(w: WorkerProcess): Promise<number | null> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  return w.exited;
}

/** Runs `ayah` without blocking this process (it may hold a lock another process asks about). */
export function runAyah(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const child = ayahSpawn(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}
