/**
 * migrations: the catalog's schema, as numbered migrations applied in order, each once,
 * recorded in schema_migrations. `migrate` runs them all in one transaction under an
 * advisory lock, so processes starting together (workers) apply them exactly once.
 * Applied on first use of a catalog and by `ayah db migrate`. Never edit a released
 * migration: add a new one.
 */
import type { Catalog, Sql } from './catalog.js';
import { seedQuran } from './quran-seed.js';

interface Migration {
  version: number;
  name: string;
  up: string | ((sql: Sql) => Promise<void>);
}

/** Advisory lock key of migrations (two-int form: class 'Ay', object 1). */
const MIGRATION_LOCK = [0x4179, 1] as const;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'quran, riwayat, reciters, index builds, recordings',
    up: `
      CREATE TABLE surahs (
        surah int PRIMARY KEY CHECK (surah BETWEEN 1 AND 114),
        name_ar text NOT NULL,
        name_en text NOT NULL,
        translit text NOT NULL,
        ayah_count int NOT NULL
      );
      CREATE TABLE ayahs (
        surah int NOT NULL REFERENCES surahs (surah),
        ayah int NOT NULL,
        text text NOT NULL,
        juz int NOT NULL,
        page int NOT NULL,
        PRIMARY KEY (surah, ayah)
      );
      CREATE TABLE riwayat (
        id text PRIMARY KEY,
        name_en text NOT NULL,
        name_ar text
      );
      INSERT INTO riwayat (id, name_en, name_ar) VALUES
        ('hafs', 'Hafs ''an ''Asim', 'حفص عن عاصم'),
        ('shubah', 'Shu''bah ''an ''Asim', 'شعبة عن عاصم'),
        ('warsh', 'Warsh ''an Nafi''', 'ورش عن نافع'),
        ('qalun', 'Qalun ''an Nafi''', 'قالون عن نافع'),
        ('duri', 'Al-Duri ''an Abi ''Amr', 'الدوري عن أبي عمرو'),
        ('susi', 'Al-Susi ''an Abi ''Amr', 'السوسي عن أبي عمرو');
      CREATE TABLE reciters (
        id text PRIMARY KEY,
        name_en text NOT NULL,
        name_ar text,
        riwayah text NOT NULL REFERENCES riwayat (id),
        style text,
        country text,
        is_active boolean NOT NULL DEFAULT false,
        priority int NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'indexing', 'ready', 'failed')),
        status_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE index_builds (
        id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('add-reciter', 'rebuild')),
        reciter_id text REFERENCES reciters (id) ON DELETE SET NULL,
        runner text NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
        status_reason text,
        files int NOT NULL DEFAULT 0,
        batches int NOT NULL DEFAULT 0,
        recordings_added int,
        recordings_removed int,
        postings bigint,
        failed_files int,
        index_version int,
        host text,
        pid int,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        duration_ms int
      );
      CREATE INDEX index_builds_by_reciter ON index_builds (reciter_id, created_at DESC);
      CREATE TABLE recordings (
        id serial PRIMARY KEY,
        reciter_id text NOT NULL REFERENCES reciters (id) ON DELETE CASCADE,
        surah int NOT NULL,
        ayah_from int NOT NULL,
        ayah_to int NOT NULL,
        kind text NOT NULL CHECK (kind IN ('ayah', 'surah')),
        rel_path text NOT NULL,
        source_path text NOT NULL,
        content_hash text NOT NULL,
        duration_ms int NOT NULL,
        quality_score real,
        timeline jsonb NOT NULL,
        build_id text REFERENCES index_builds (id) ON DELETE SET NULL,
        indexed_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ayah_to >= ayah_from),
        FOREIGN KEY (surah, ayah_from) REFERENCES ayahs (surah, ayah),
        FOREIGN KEY (surah, ayah_to) REFERENCES ayahs (surah, ayah),
        UNIQUE (reciter_id, rel_path),
        UNIQUE (reciter_id, surah, ayah_from, ayah_to)
      );
      CREATE INDEX recordings_by_ayah ON recordings (surah, ayah_from);
    `,
  },
  { version: 2, name: 'quran text, juz and page of every ayah', up: seedQuran },
];

/** The schema version the migrations lead to. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export interface MigrateResult {
  applied: { version: number; name: string }[];
  current: number;
}

export async function migrate(catalog: Catalog): Promise<MigrateResult> {
  return catalog.tx(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK]);
    await sql.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await sql.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const applied: MigrateResult['applied'] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      if (typeof m.up === 'string') await sql.script(m.up);
      else await m.up(sql);
      await sql.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push({ version: m.version, name: m.name });
    }
    return { applied, current: Math.max(0, ...done, ...applied.map((a) => a.version)) };
  });
}
