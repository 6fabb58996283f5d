/**
 * open: `openCatalog(config)`, the one way to reach the catalog: PostgreSQL when
 * DATABASE_URL is set, the embedded PGlite otherwise; migrated on first use.
 */
import { catalogDir } from '../home.js';
import { envInt, type ServiceConfig } from '../services/config.js';
import type { Catalog } from './catalog.js';
import { openEmbeddedCatalog } from './embedded.js';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { openPostgresCatalog } from './postgres.js';

export interface OpenOptions {
  /** What this process does (told to another process that finds the embedded catalog busy). */
  what?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

export async function openCatalog(config: ServiceConfig, opts: OpenOptions = {}): Promise<Catalog> {
  const catalog = config.databaseUrl
    ? await openPostgresCatalog(config.databaseUrl, config.databaseReadUrl)
    : await openEmbeddedCatalog(catalogDir(config.home), {
        what: opts.what ?? `ayah ${process.argv.slice(2, 3).join(' ')}`.trim(),
        waitMs: envInt('AYAH_CATALOG_WAIT_MS', 60_000),
        template: { key: `schema-${SCHEMA_VERSION}`, prepare: migrate },
      });
  if (opts.migrate === false) return catalog;
  try {
    await migrate(catalog);
    return catalog;
  } catch (err) {
    await catalog.close();
    throw err;
  }
}

/** Opens the catalog, runs `fn`, closes it. */
export async function withCatalog<T>(config: ServiceConfig, fn: (c: Catalog) => Promise<T>, opts?: OpenOptions): Promise<T> {
  const catalog = await openCatalog(config, opts);
  try {
    return await fn(catalog);
  } finally {
    await catalog.close();
  }
}
