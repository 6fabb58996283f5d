/**
 * pg-advisory-lock: a lock in PostgreSQL (DATABASE_URL): a session advisory lock
 * (pg_try_advisory_lock) on a connection of its own, held while the connection lives, so
 * a crashed holder releases it. The holder is told by its connection's application_name.
 */
import pg from 'pg';
import { serviceAddress, unreachable } from '../services/unreachable.js';
import { selfHolder, type HeldLock, type LockHolder } from './holder.js';

/** Lock class of Ayahfinder's advisory locks ('Ay'); the object is the lock's number. */
const LOCK_CLASS = 0x4179;

function applicationName(h: LockHolder): string {
  return `ayah ${h.pid}@${h.host}: ${h.what}`.slice(0, 63);
}

function holderOf(row: Record<string, unknown> | undefined): LockHolder {
  const m = /^ayah (\d+)@([^:]*): (.*)$/.exec(String(row?.application_name ?? ''));
  return {
    what: m?.[3] ?? 'unknown',
    host: m?.[2] ?? String(row?.client_addr ?? 'unknown host'),
    pid: Number(m?.[1] ?? row?.pid ?? 0),
    since: row?.since ? new Date(String(row.since)).toISOString() : 'at an unknown time',
  };
}

export async function tryAdvisoryLock(url: string, lockNumber: number, what: string): Promise<HeldLock | LockHolder> {
  const me = selfHolder(what);
  const client = new pg.Client({ connectionString: url, application_name: applicationName(me), connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw unreachable('PostgreSQL', serviceAddress(url, 5432), err);
  }
  const [{ ok }] = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LOCK_CLASS, lockNumber])).rows;
  if (ok) return { release: async () => void (await client.end().catch(() => undefined)) };
  const { rows } = await client.query(
    `SELECT a.application_name, a.pid, a.client_addr::text AS client_addr, a.backend_start::text AS since
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [LOCK_CLASS, lockNumber],
  );
  await client.end().catch(() => undefined);
  return holderOf(rows[0]);
}
