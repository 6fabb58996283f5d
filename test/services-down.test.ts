/**
 * Configured services that cannot be used, and locks held by another process: one clear
 * line naming the service and where, the documented exit code, no stack trace, and no
 * half-written catalog rows.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { catalogDir } from '../src/home.js';
import { indexExists } from '../src/index/api.js';
import { isHeld, tryLock } from '../src/locks/locks.js';
import type { ServiceConfig } from '../src/services/config.js';
import { ayah, REPO } from './helpers/env.js';
import { cleanRedis, createTestDatabase, queryDb, REDIS_URL, runAyah, scratch, testPrefix, type TestDatabase } from './helpers/services.js';

const SAMPLE = path.join(REPO, 'data', 'samples', 'akhdar');
const ADD = ['add-reciter', SAMPLE, '--name', 'Ibrahim Al-Akhdar'];

function assertOneLine(r: { code: number; stderr: string }, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line expected:\n${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
}

async function catalogRows(url: string): Promise<number> {
  const [{ t }] = await queryDb<{ t: string | null }>(url, `SELECT to_regclass('reciters')::text AS t`);
  if (!t) return 0;
  const [{ n }] = await queryDb<{ n: number }>(url, 'SELECT (SELECT count(*) FROM reciters) + (SELECT count(*) FROM index_builds) + (SELECT count(*) FROM recordings) AS n');
  return Number(n);
}

describe('services down', () => {
  let db: TestDatabase;
  const prefix = testPrefix();
  const tmp = scratch('ayah-services-down-');
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
    await cleanRedis(prefix);
    tmp.remove();
  });

  it('PostgreSQL unreachable: one line, exit 5, for every command that needs it', () => {
    const env = { AYAH_HOME: tmp.dir('home'), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/ayah' };
    for (const args of [ADD, ['reciters', 'list'], ['db', 'migrate'], ['index', 'rebuild']])
      assertOneLine(ayah(args, env), 5, /^ayah: PostgreSQL at 127\.0\.0\.1:1 is unreachable: .*ECONNREFUSED/);
    const doctor = ayah(['doctor'], env);
    assert.equal(doctor.code, 1);
    assert.match(doctor.stdout, /^catalog: FAILED: PostgreSQL at 127\.0\.0\.1:1 is unreachable/m);
  });

  it('Redis unreachable: one line, exit 5, and nothing written to the catalog', async () => {
    const home = tmp.dir('home');
    for (const extra of [{ DATABASE_URL: db.url }, {}]) {
      const env = { AYAH_HOME: home, REDIS_URL: 'redis://127.0.0.1:1', AYAH_QUEUE_PREFIX: prefix, ...extra };
      for (const args of [ADD, ['worker'], ['jobs'], ['schedule', 'list'], ['index', 'rebuild']])
        assertOneLine(ayah(args, env), 5, /^ayah: Redis at 127\.0\.0\.1:1 is unreachable: .*ECONNREFUSED/);
    }
    assert.equal(await catalogRows(db.url), 0);
    assert.equal(fs.existsSync(catalogDir(home)), false, 'no embedded catalog was created');
    assert.equal(indexExists(path.join(home, 'index')), false);
  });

  it('commands that need REDIS_URL say so', () => {
    const r = ayah(['jobs'], { AYAH_HOME: tmp.dir('home'), REDIS_URL: '' });
    assertOneLine(r, 2, /^ayah: ayah jobs needs REDIS_URL/);
  });

  const backends: [string, (home: string) => Partial<ServiceConfig>, (home: string) => Record<string, string>][] = [
    ['PostgreSQL advisory lock', () => ({ databaseUrl: db.url }), () => ({ DATABASE_URL: db.url })],
    ['Redis lock', () => ({ redisUrl: REDIS_URL }), () => ({ REDIS_URL, AYAH_QUEUE_PREFIX: prefix })],
    ['local guard (embedded)', () => ({}), () => ({})],
  ];
  for (const [name, config, env] of backends)
    it(`a second rebuild is refused while one runs: exit 6 (${name})`, async () => {
      const home = tmp.dir('home');
      const lock = await tryLock({ home, queuePrefix: prefix, ...config(home) }, 'rebuild', 'index rebuild');
      assert.ok(isHeld(lock));
      try {
        const r = await runAyah(['index', 'rebuild'], { AYAH_HOME: home, DATABASE_URL: '', REDIS_URL: '', ...env(home) });
        assertOneLine(r, 6, new RegExp(`^ayah: another rebuild is running \\(started \\d{4}-\\d\\d-\\d\\dT[^ ]+ by [^/]+/${process.pid}\\)$`));
      } finally {
        await lock.release();
      }
    });
});
