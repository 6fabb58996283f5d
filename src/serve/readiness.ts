/**
 * readiness: whether this server can answer: the index is open (and the last reload did
 * not fail), the result cache's Redis answers (when REDIS_URL is set), the catalog's
 * PostgreSQL answers (when DATABASE_URL is set). Each check says what is wrong.
 */
import pg from 'pg';
import { reasonOf } from '../errors.js';
import { serviceAddress, unreachable } from '../services/unreachable.js';
import type { ServeContext } from './context.js';

const PG_TIMEOUT_MS = 1000;

async function catalogCheck(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PG_TIMEOUT_MS, query_timeout: PG_TIMEOUT_MS });
  client.on('error', () => {});
  const address = serviceAddress(url, 5432);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return `PostgreSQL at ${address}`;
  } catch (err) {
    throw unreachable('PostgreSQL', address, err);
  } finally {
    void client.end().catch(() => {});
  }
}

export interface Readiness {
  ready: boolean;
  /** The first reason it is not ready. */
  reason?: string;
  checks: Record<string, { ok: boolean; detail: string }>;
}

async function run(fn: () => Promise<string> | string): Promise<{ ok: boolean; detail: string }> {
  try {
    return { ok: true, detail: await fn() };
  } catch (err) {
    return { ok: false, detail: reasonOf(err) };
  }
}

export async function readiness(ctx: ServeContext): Promise<Readiness> {
  const checks: Readiness['checks'] = {};
  checks.index = await run(() => {
    const f = ctx.holder.facts();
    const served = `version ${f.version}, ${f.recordings} recordings`;
    if (ctx.holder.lastReloadError) throw new Error(`${served}; reloading a newer version failed: ${ctx.holder.lastReloadError}`);
    return served;
  });
  const pending: Promise<void>[] = [];
  if (ctx.cache.kind === 'redis') pending.push(run(() => ctx.cache.check()).then((r) => void (checks.redis = r)));
  if (ctx.config.databaseUrl) pending.push(run(() => catalogCheck(ctx.config.databaseUrl!)).then((r) => void (checks.catalog = r)));
  await Promise.all(pending);
  if (ctx.closing) checks.server = { ok: false, detail: 'shutting down' };
  const failed = Object.entries(checks).find(([, c]) => !c.ok);
  return { ready: !failed, ...(failed ? { reason: `${failed[0]}: ${failed[1].detail}` } : {}), checks };
}
