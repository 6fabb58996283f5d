/**
 * One truth for what is indexed, on PostgreSQL + Redis: two add-reciter runs of one folder
 * at once, their builds on a BullMQ worker, index every recording once, and a later run
 * finds nothing to do; an add-reciter killed mid-build leaves nothing after the next run.
 * Own database, own BullMQ prefix, removed after.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IndexReader } from '../src/index/api.js';
import { ayahSpawn, folderOf } from './helpers/env.js';
import { cleanRedis, createTestDatabase, queryDb, REDIS_URL, runAyah, scratch, startWorker, stopWorker, testPrefix, waitFor, type TestDatabase, type WorkerProcess } from './helpers/services.js';

const FILES = ['113001', '113002', '113003', '113004', '113005', '114001', '114002', '114003', '114004', '114005', '114006'];

describe('one truth for what is indexed (PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  let worker: WorkerProcess;
  const prefix = testPrefix();
  const tmp = scratch('ayah-one-truth-');
  const home = tmp.dir('home');
  let env: Record<string, string>;
  const staging = path.join(home, 'index', 'staging');

  before(async () => {
    db = await createTestDatabase();
    env = { AYAH_HOME: home, DATABASE_URL: db.url, REDIS_URL, AYAH_QUEUE_PREFIX: prefix, AYAH_FILES_PER_JOB: '3' };
    worker = await startWorker(env);
  });
  after(async () => {
    await stopWorker(worker);
    await cleanRedis(prefix);
    await db.drop();
    tmp.remove();
  });

  it('two add-reciter runs of one folder at once index every recording once; later runs find nothing to do', async () => {
    const dir = folderOf(FILES.map((n) => `akhdar/${n}.mp3`), tmp.dir('akhdar'));
    const runs = await Promise.all([1, 2].map(() => runAyah(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar', '--json'], env)));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const results = runs.map((r) => JSON.parse(r.stdout) as { added: number; buildId: string | null });
    assert.ok(results.every((r) => r.buildId), 'both runs planned every file before either merged (the race happened)');
    assert.deepEqual(results.map((r) => r.added).sort((a, b) => a - b), [0, FILES.length]);
    const recs = await (await IndexReader.open(path.join(home, 'index'))).reciterRecordings('ibrahim-al-akhdar');
    assert.equal(recs.length, FILES.length);
    assert.equal(new Set(recs.map((r) => r.relPath)).size, FILES.length);
    const [{ n }] = await queryDb<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM recordings');
    assert.equal(Number(n), FILES.length);
    assert.deepEqual(fs.existsSync(staging) ? fs.readdirSync(staging) : [], [], 'both merges removed their staged batches');
    const again = await runAyah(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`nothing changed \\(${FILES.length} recordings already indexed\\)`));
  });

  it('an add-reciter killed mid-build (catalog on PostgreSQL) leaves staging and an "indexing" reciter; the next run cleans them', async () => {
    const inProcess = { ...env, REDIS_URL: '', AYAH_FILES_PER_JOB: '1' };
    const dir = folderOf(FILES.map((n) => `salama/${n}.mp3`), tmp.dir('salama'));
    const staged = () => (fs.existsSync(staging) ? fs.readdirSync(staging) : []);
    const child = ayahSpawn(['add-reciter', dir, '--name', 'Yasser Salama'], inProcess);
    const exited = new Promise((r) => child.on('exit', r));
    await waitFor('a staged batch', async () => staged().some((b) => fs.readdirSync(path.join(staging, b)).some((f) => f.endsWith('.bin'))), 60_000, 20);
    child.kill('SIGKILL');
    await exited;
    assert.equal(staged().length, 1);
    const status = async () => (await queryDb<{ status: string; is_active: boolean }>(db.url, `SELECT status, is_active FROM reciters WHERE id = 'yasser-salama'`))[0];
    assert.equal((await status()).status, 'indexing');

    const r = await runAyah(['add-reciter', dir, '--name', 'Yasser Salama'], inProcess);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(staged(), []);
    assert.deepEqual(await status(), { status: 'ready', is_active: true });
    const builds = await queryDb<{ status: string; status_reason: string | null }>(db.url, `SELECT status, status_reason FROM index_builds WHERE reciter_id = 'yasser-salama' ORDER BY created_at`);
    assert.deepEqual(builds.map((b) => b.status), ['failed', 'done']);
    assert.match(builds[0].status_reason ?? '', /^interrupted: /);
    assert.match(r.stdout, /cleaned up after interrupted builds:/);
  });
});
