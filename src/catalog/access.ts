/**
 * access: how a long-lived process (a worker, a command waiting for a build) reaches the
 * catalog. PostgreSQL: one pool, opened on first use and kept. Embedded (PGlite): opened
 * for each use and closed right after, so other processes of the machine (workers, another
 * command) can take their turn.
 */
import type { ServiceConfig } from '../services/config.js';
import type { Catalog } from './catalog.js';
import { openCatalog, openCatalogToRead, withCatalog } from './open.js';

export class CatalogAccess {
  private shared?: Promise<Catalog>;

  constructor(
    readonly config: ServiceConfig,
    private readonly what: string,
  ) {}

  async use<T>(fn: (catalog: Catalog) => Promise<T>): Promise<T> {
    if (!this.config.databaseUrl) return withCatalog(this.config, fn, { what: this.what });
    this.shared ??= openCatalog(this.config, { what: this.what });
    return fn(await this.shared);
  }

  /**
   * Runs `fn` to read only: `none` when there is no catalog yet (the embedded one is not
   * created by reading), a read-only AYAH_HOME is read from a copy.
   */
  async read<T>(fn: (catalog: Catalog) => Promise<T>, none: T): Promise<T> {
    if (this.config.databaseUrl) return this.use(fn);
    const catalog = await openCatalogToRead(this.config, { what: this.what });
    if (!catalog) return none;
    try {
      return await fn(catalog);
    } finally {
      await catalog.close();
    }
  }

  async close(): Promise<void> {
    const shared = this.shared;
    this.shared = undefined;
    if (shared) await (await shared.catch(() => undefined))?.close();
  }
}
