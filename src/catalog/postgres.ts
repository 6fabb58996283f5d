/**
 * postgres: the catalog on a PostgreSQL server (DATABASE_URL), through a `pg` Pool; reads
 * go to DATABASE_READ_URL when it is set. Connecting is checked up front, so an unreachable
 * server is one clear line (exit 5) before anything is written.
 */
import pg from 'pg';
import { serviceAddress, unreachable } from '../services/unreachable.js';
import type { Catalog, Row, Sql } from './catalog.js';

const CONNECT_TIMEOUT_MS = 5000;

function poolOf(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'ayah' });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

function sqlOf(client: pg.Pool | pg.PoolClient): Sql {
  return {
    query: async <R extends Row>(text: string, params?: unknown[]) => (await client.query(text, params as unknown[])).rows as R[],
    script: async (text: string) => void (await client.query(text)),
  };
}

/** Opens a pool and checks that the server answers; throws the one-line error otherwise. */
async function connectedPool(url: string): Promise<pg.Pool> {
  const pool = poolOf(url);
  try {
    await pool.query('SELECT 1');
    return pool;
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw unreachable('PostgreSQL', serviceAddress(url, 5432), err);
  }
}

export async function openPostgresCatalog(url: string, readUrl?: string): Promise<Catalog> {
  const pool = await connectedPool(url);
  let readPool: pg.Pool | undefined;
  try {
    if (readUrl && readUrl !== url) readPool = await connectedPool(readUrl);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const write = sqlOf(pool);
  const u = new URL(url);
  return {
    kind: 'postgres',
    where: `${serviceAddress(url, 5432)}${u.pathname}`,
    query: write.query,
    script: write.script,
    read: readPool ? sqlOf(readPool) : write,
    async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(sqlOf(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await Promise.all([pool.end(), readPool?.end()]);
    },
  };
}
