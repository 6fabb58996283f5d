/**
 * The catalog on the real PostgreSQL (a database of its own) and embedded (PGlite):
 * migrations apply once and are idempotent, concurrently too; the same SQL on both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrate, MIGRATIONS } from '../src/catalog/migrations.js';
import { openCatalog } from '../src/catalog/open.js';
import { getReciter, upsertReciter } from '../src/catalog/reciters.js';
import type { ServiceConfig } from '../src/services/config.js';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ayah } from './helpers/env.js';
import { createTestDatabase, runAyah, scratch, type TestDatabase } from './helpers/services.js';

const LATEST = MIGRATIONS[MIGRATIONS.length - 1].version;
const PGLITE_VERSION = (JSON.parse(fs.readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string }).version;

describe('catalog migrations', () => {
  let db: TestDatabase;
  const tmp = scratch('ayah-catalog-');
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
    tmp.remove();
  });

  for (const engine of ['postgres', 'embedded'] as const) {
    it(`apply once on first use and then nothing (${engine})`, async () => {
      const config: ServiceConfig = { home: tmp.dir('home'), queuePrefix: 'unused', ...(engine === 'postgres' ? { databaseUrl: db.url } : {}) };
      const c = await openCatalog(config);
      try {
        assert.equal(c.kind, engine);
        const again = await migrate(c);
        assert.deepEqual(again, { applied: [], current: LATEST });
        const [{ n }] = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
        assert.equal(n, MIGRATIONS.length);
        const [ayahs] = await c.query<{ n: number; pages: number }>('SELECT count(*)::int AS n, max(page)::int AS pages FROM ayahs');
        assert.deepEqual(ayahs, { n: 6236, pages: 604 });
        await c.tx((sql) => upsertReciter(sql, { id: 'test-reciter', nameEn: 'Test Reciter', riwayah: 'hafs' }));
        const r = await getReciter(c, 'test-reciter');
        assert.equal(r?.isActive, false);
        assert.equal(r?.status, 'new');
      } finally {
        await c.close();
      }
    });
  }

  it('apply exactly once when several processes start together (PostgreSQL)', async () => {
    const fresh = await createTestDatabase();
    try {
      const config: ServiceConfig = { home: tmp.dir('home'), queuePrefix: 'unused', databaseUrl: fresh.url };
      const catalogs = await Promise.all([1, 2, 3].map(() => openCatalog(config, { migrate: false })));
      const results = await Promise.all(catalogs.map((c) => migrate(c)));
      await Promise.all(catalogs.map((c) => c.close()));
      assert.equal(results.reduce((n, r) => n + r.applied.length, 0), MIGRATIONS.length);
    } finally {
      await fresh.drop();
    }
  });

  it('new embedded catalogs are copies of one template, made once even by processes starting together', async () => {
    const cache = tmp.dir('cache');
    const homes = [tmp.dir('home'), tmp.dir('home')];
    const runs = await Promise.all(homes.map((home) => runAyah(['db', 'migrate', '--json'], { AYAH_HOME: home, AYAH_CACHE_DIR: cache })));
    for (const r of runs) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).current, LATEST);
    }
    // Only the finished template is left in the cache: no half-made copies.
    assert.deepEqual(fs.readdirSync(cache), [`pglite-${PGLITE_VERSION}-schema-${LATEST}`]);
    for (const home of homes) {
      const c = await openCatalog({ home, queuePrefix: 'unused' }, { migrate: false });
      try {
        const [ayahs] = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM ayahs');
        assert.equal(ayahs.n, 6236);
        await c.tx((sql) => upsertReciter(sql, { id: `r-${path.basename(home)}`, nameEn: 'One Home', riwayah: 'hafs' }));
      } finally {
        await c.close();
      }
    }
    // The homes are copies, not links: what one home writes, the other does not see.
    const other = await openCatalog({ home: homes[1], queuePrefix: 'unused' });
    try {
      assert.equal(await getReciter(other, `r-${path.basename(homes[0])}`), undefined);
    } finally {
      await other.close();
    }
  });

  it('`ayah db migrate` reports the schema version', () => {
    const r = ayah(['db', 'migrate', '--json'], { DATABASE_URL: db.url });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).applied, []);
    assert.equal(JSON.parse(r.stdout).current, LATEST);
  });
});
