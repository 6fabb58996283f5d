/**
 * pglite-template: a new embedded catalog is a copy of an empty PGlite cluster made once per
 * machine, PGlite version and schema version, instead of an `initdb` and the migrations per
 * AYAH_HOME (initdb of PGlite's WASM PostgreSQL and the Quran seed cost 5-20 s; copying the
 * 40 MB cluster, well under one).
 *
 * The template lives in the user's cache (XDG_CACHE_HOME/ayahfinder or ~/.cache/ayahfinder;
 * AYAH_CACHE_DIR overrides). It is made in a private temporary folder and renamed into place,
 * so a reader never sees half a template and two processes making one at once both succeed.
 * Where the cache cannot be written, the catalog is created by initdb in place, as before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { openPglite } from './pglite-open.js';

function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AYAH_CACHE_DIR) return env.AYAH_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'ayahfinder');
}

/** Whether `dir` holds a PostgreSQL (PGlite) cluster: an embedded catalog that has been created. */
export function hasCluster(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'PG_VERSION'));
}

/** Gives a new, empty cluster its schema (it closes nothing). */
export type PrepareCluster = (db: PGlite, dir: string) => Promise<unknown>;

async function makeTemplate(template: string, prepare: PrepareCluster): Promise<void> {
  fs.mkdirSync(path.dirname(template), { recursive: true });
  const tmp = fs.mkdtempSync(`${template}.tmp-`);
  try {
    const db = await openPglite(tmp);
    try {
      await prepare(db, tmp);
    } finally {
      await db.close();
    }
    try {
      fs.renameSync(tmp, template);
    } catch (err) {
      // Another process put its template in place first: use that one.
      if (!hasCluster(template)) throw err;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Fills the empty folder `dir` with a copy of the machine's template named `key` (made on
 * first use by `prepare`). Returns false, leaving `dir` empty, where no template can be had.
 */
export async function seedFromTemplate(dir: string, key: string, prepare: PrepareCluster): Promise<boolean> {
  const template = path.join(cacheRoot(), `pglite-${pgliteVersion()}-${key}`);
  try {
    if (!hasCluster(template)) await makeTemplate(template, prepare);
    fs.cpSync(template, dir, { recursive: true });
    return true;
  } catch {
    for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    return false;
  }
}
