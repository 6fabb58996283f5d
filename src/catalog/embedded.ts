/**
 * embedded: the catalog in an embedded PostgreSQL (PGlite) in AYAH_HOME/catalog, for the
 * default install with no server. PGlite does not stop a second process from opening the
 * same directory (that corrupts it), so the directory is held with a local guard while it
 * is open: another process waits for it, then gives up with exit 6 naming the holder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { openPglite } from './pglite-open.js';
import { AyahError, ExitCode } from '../errors.js';
import { cannotWrite, isWriteFailure } from '../fs-errors.js';
import { describeHolder, type HeldLock } from '../locks/holder.js';
import { tryLocalGuard } from '../locks/local-guard.js';
import type { Catalog, Row, Sql } from './catalog.js';
import { hasCluster, seedFromTemplate } from './pglite-template.js';

const POLL_MS = 200;

function sqlOf(db: PGlite | Transaction): Sql {
  return {
    query: async <R extends Row>(text: string, params?: unknown[]) => (await db.query<R>(text, params)).rows,
    script: async (text: string) => void (await db.exec(text)),
  };
}

async function guardCatalog(dir: string, what: string, waitMs: number): Promise<HeldLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const got = await tryLocalGuard(`catalog:${fs.realpathSync(dir)}`, what);
    if ('release' in got) return got;
    if (Date.now() >= deadline)
      throw new AyahError(`the embedded catalog ${dir} is in use by "${got.what}" (${describeHolder(got)})`, ExitCode.BUSY);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export interface EmbeddedOptions {
  /** What this process does, told to another process that finds the catalog busy. */
  what: string;
  /** How long to wait for another process to close the catalog. */
  waitMs: number;
  /**
   * How a new catalog gets its schema. A new catalog is then a copy of one prepared once per
   * machine under `key` (see pglite-template.ts) rather than an initdb and a migration of its own.
   */
  template?: { key: string; prepare: (catalog: Catalog) => Promise<unknown> };
  /**
   * Only reads (reciters list, doctor): a catalog that does not exist yet is not created
   * (undefined), and one in a folder this process cannot write (a read-only AYAH_HOME) is
   * opened from a temporary copy, since PGlite writes to its folder even to read.
   */
  readOnly?: boolean;
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function catalogOf(db: PGlite, dir: string, release: () => Promise<void>): Catalog {
  const self = sqlOf(db);
  return {
    kind: 'embedded',
    where: dir,
    query: self.query,
    script: self.script,
    read: self,
    tx: (fn) => db.transaction((tx) => fn(sqlOf(tx))),
    async close() {
      try {
        await db.close();
      } finally {
        await release();
      }
    },
  };
}

export async function openEmbeddedCatalog(dir: string, opts: EmbeddedOptions & { readOnly: true }): Promise<Catalog | undefined>;
export async function openEmbeddedCatalog(dir: string, opts: EmbeddedOptions): Promise<Catalog>;
export async function openEmbeddedCatalog(dir: string, opts: EmbeddedOptions): Promise<Catalog | undefined> {
  if (opts.readOnly && !hasCluster(dir)) return undefined;
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw cannotWrite(dir, err);
  }
  const guard = await guardCatalog(dir, opts.what, opts.waitMs);
  const copy = opts.readOnly && !writable(dir) ? fs.mkdtempSync(path.join(os.tmpdir(), 'ayah-catalog-ro-')) : undefined;
  let db: PGlite;
  try {
    const template = opts.template;
    if (copy) fs.cpSync(dir, copy, { recursive: true });
    else if (template && !hasCluster(dir))
      await seedFromTemplate(dir, template.key, (fresh, where) => template.prepare(catalogOf(fresh, where, async () => {})));
    db = await openPglite(copy ?? dir);
  } catch (err) {
    await guard.release();
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
    if (!writable(dir)) throw cannotWrite(dir, Object.assign(new Error('read-only'), { code: 'EROFS' }));
    if (isWriteFailure(err)) throw cannotWrite(dir, err);
    throw new AyahError(`the embedded catalog ${dir} cannot be opened: ${(err as Error).message}`, ExitCode.INTERNAL, { cause: err });
  }
  return catalogOf(db, dir, async () => {
    await guard.release();
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  });
}
