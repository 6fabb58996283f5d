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

/**
 * The catalog for a command that only reads (reciters list, doctor): an embedded catalog
 * that does not exist yet is not created (undefined), one on a read-only AYAH_HOME is read
 * from a copy (see openEmbeddedCatalog).
 */
export async function openCatalogToRead(config: ServiceConfig, opts: OpenOptions = {}): Promise<Catalog | undefined> {
  if (config.databaseUrl) return openCatalog(config, opts);
  const catalog = await openEmbeddedCatalog(catalogDir(config.home), { ...embeddedOptions(opts), readOnly: true });
  return catalog && migrated(catalog, opts);
}

export async function openCatalog(config: ServiceConfig, opts: OpenOptions = {}): Promise<Catalog> {
  const catalog = config.databaseUrl
    ? await openPostgresCatalog(config.databaseUrl, config.databaseReadUrl)
    : await openEmbeddedCatalog(catalogDir(config.home), embeddedOptions(opts));
  return migrated(catalog, opts);
}

function embeddedOptions(opts: OpenOptions) {
  return {
    what: opts.what ?? `ayah ${process.argv.slice(2, 3).join(' ')}`.trim(),
    waitMs: envInt('AYAH_CATALOG_WAIT_MS', 60_000),
    template: { key: `schema-${SCHEMA_VERSION}`, prepare: migrate },
  };
}

/** Applies pending migrations (unless `migrate: false`); closes the catalog when they fail. */
async function migrated(catalog: Catalog, opts: OpenOptions): Promise<Catalog> {
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
