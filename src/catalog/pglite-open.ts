/**
 * pglite-open: how the embedded catalog's PGlite is started. PostgreSQL's default 128 MB of
 * shared buffers are zeroed at every start, and in PGlite's WASM that took ~0.45 s of each
 * `ayah` command that opens the catalog (a rebuild opens it several times). The catalog's
 * tables are a few MB at most, so 8 MB of buffers do (PostgreSQL reads through the operating
 * system's cache).
 */
import { PGlite } from '@electric-sql/pglite';

/** PGlite's own start parameters, with shared buffers sized for the catalog. */
const START_PARAMS: readonly string[] = [...PGlite.defaultStartParams, '-c', 'shared_buffers=8MB'];

/** Opens (creating it when empty) the PGlite cluster in `dir`. */
export function openPglite(dir: string): Promise<PGlite> {
  return PGlite.create(dir, { startParams: [...START_PARAMS] });
}
