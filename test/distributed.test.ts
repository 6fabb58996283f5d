/**
 * The distributed pipeline on the real Redis and PostgreSQL: `ayah worker` processes
 * index reciters together, a worker killed with SIGKILL mid-job loses nothing, the
 * embedded default gives the same index, a job scheduler rebuilds and stops when removed,
 * and workers stop cleanly on SIGTERM. Own database, own BullMQ prefix, removed after.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IndexReader, indexStats } from '../src/index/api.js';
import { CORPUS, ffmpeg, folderOf } from './helpers/env.js';
import {
  cleanRedis,
  createTestDatabase,
  queryDb,
  queue,
  REDIS_URL,
  runAyah,
  scratch,
  startWorker,
  stopWorker,
  testPrefix,
  waitFor,
  type TestDatabase,
  type WorkerProcess,
} from './helpers/services.js';

const NAMES = ['109001', '109002', '109003', '109004', '109005', '109006', '110001', '110002', '110003', '111001', '111002', '111003', '111004', '111005']
  .concat(['112001', '112002', '112003', '112004', '113001', '113002', '113003', '113004', '113005', '114001', '114002', '114003', '114004', '114005', '114006'])
  .map((n) => `${n}.mp3`);
const FILES = NAMES.length;

describe('distributed pipeline (BullMQ workers, PostgreSQL catalog)', () => {
  let db: TestDatabase;
  const prefix = testPrefix();
  const tmp = scratch('ayah-distributed-');
  const home = tmp.dir('home');
  const embeddedHome = tmp.dir('embedded-home');
  const clips = tmp.dir('clips');
  let env: Record<string, string>;
  const workers: WorkerProcess[] = [];
  let akhdar = '';
  let salama = '';

  before(async () => {
    db = await createTestDatabase();
    env = {
      AYAH_HOME: home,
      DATABASE_URL: db.url,
      REDIS_URL,
      AYAH_QUEUE_PREFIX: prefix,
      AYAH_FILES_PER_JOB: '3',
      AYAH_JOB_LOCK_MS: '2000',
      AYAH_JOB_BACKOFF_MS: '200',
    };
    akhdar = folderOf(NAMES.map((n) => `akhdar/${n}`), tmp.dir('akhdar'));
    salama = folderOf(NAMES.map((n) => `salama/${n}`), tmp.dir('salama'));
    const src = (f: string) => path.join(CORPUS, f);
    ffmpeg(['-ss', '0.3', '-t', '4', '-i', src('akhdar/113003.mp3'), path.join(clips, 'a-113-3.wav')]);
    ffmpeg(['-ss', '0.5', '-t', '4', '-i', src('akhdar/110001.mp3'), '-af', 'highpass=f=300,lowpass=f=3400', '-ar', '8000', path.join(clips, 'a-110-1.ogg')]);
    ffmpeg(['-t', '4', '-i', src('akhdar/111002.mp3'), '-b:a', '32k', path.join(clips, 'a-111-2.mp3')]);
    workers.push(...(await Promise.all([startWorker(env), startWorker(env)])));
  });

  after(async () => {
    await Promise.all(workers.map(stopWorker));
    await cleanRedis(prefix);
    await db.drop();
    tmp.remove();
  });

  const recordingsIn = async (dir: string, reciterId: string) => (await (await IndexReader.open(dir)).allRecordings()).filter((r) => r.reciterId === reciterId);
  const catalogCount = async (reciterId: string) =>
    Number((await queryDb<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM recordings WHERE reciter_id = $1', [reciterId]))[0].n);
  const identify = async (h: string, extra: Record<string, string> = {}) => {
    const r = await runAyah(['identify', '--json', path.join(clips, 'a-113-3.wav'), path.join(clips, 'a-110-1.ogg'), path.join(clips, 'a-111-2.mp3')], {
      AYAH_HOME: h,
      ...extra,
    });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string; results: Record<string, unknown>[] })
      .map((a) => ({ status: a.status, results: a.results }));
  };

  it('two workers index a reciter together: every file exactly once, identify finds it', async () => {
    const r = await runAyah(['add-reciter', akhdar, '--name', 'Ibrahim Al-Akhdar', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).added, FILES);
    const recs = await recordingsIn(path.join(home, 'index'), 'ibrahim-al-akhdar');
    assert.equal(recs.length, FILES);
    assert.equal(new Set(recs.map((x) => x.relPath)).size, FILES);
    assert.equal(await catalogCount('ibrahim-al-akhdar'), FILES);
    const q = queue(prefix, 'fingerprint');
    const done = await q.getCompleted(0, -1);
    await q.close();
    assert.equal(done.length, Math.ceil(FILES / 3));
    assert.equal(new Set(done.map((j) => j.processedBy)).size, 2, 'both workers took jobs');
    const answers = await identify(home);
    assert.deepEqual(
      answers.map((a) => [a.status, a.results[0]?.surah, a.results[0]?.ayah, a.results[0]?.reciter]),
      [['match', 113, 3, 'Ibrahim Al-Akhdar'], ['match', 110, 1, 'Ibrahim Al-Akhdar'], ['match', 111, 2, 'Ibrahim Al-Akhdar']],
    );
  });

  it('the embedded default (no Redis, no PostgreSQL) gives the same recordings and answers', async () => {
    const emb = { AYAH_HOME: embeddedHome, DATABASE_URL: '', REDIS_URL: '' };
    const r = await runAyah(['add-reciter', akhdar, '--name', 'Ibrahim Al-Akhdar', '--json'], emb);
    assert.equal(r.code, 0, r.stderr);
    const shown = await Promise.all([runAyah(['reciters', 'show', 'ibrahim-al-akhdar', '--json'], emb), runAyah(['reciters', 'show', 'ibrahim-al-akhdar', '--json'], env)]);
    const [embedded, distributed] = shown.map((s) => JSON.parse(s.stdout) as { catalog: { recordings: number; isActive: boolean } });
    assert.equal(embedded.catalog.recordings, FILES);
    assert.equal(distributed.catalog.recordings, embedded.catalog.recordings);
    assert.equal(embedded.catalog.isActive && distributed.catalog.isActive, true);
    assert.deepEqual(await identify(embeddedHome), await identify(home));
  });

  it('a worker killed with SIGKILL mid-job: its job is retried by the other worker, nothing lost or duplicated', async () => {
    // One job of every file: long enough that the kill lands while it runs (a job of 3 small
    // files can finish between seeing it active and the kill, on a quiet machine).
    const r = await runAyah(['add-reciter', salama, '--name', 'Yasser Salama', '--detach', '--json'], { ...env, AYAH_FILES_PER_JOB: String(FILES) });
    assert.equal(r.code, 0, r.stderr);
    const { buildId } = JSON.parse(r.stdout) as { buildId: string };
    const fp = queue(prefix, 'fingerprint');
    const merges = queue(prefix, 'merge');
    try {
      const [victimJob, victim] = await waitFor(
        'a fingerprint job in progress',
        async () => {
          for (const job of await fp.getActive()) {
            const w = workers.find((x) => job.processedBy?.endsWith(`/${x.pid}`));
            if (w && job.id?.includes(buildId)) return [job.id, w] as const;
          }
          return undefined;
        },
        30_000,
        10,
      );
      victim.child.kill('SIGKILL');
      await victim.exited;
      workers.splice(workers.indexOf(victim), 1);
      const merged = await waitFor('the build to be merged', async () => (await merges.getJob(`merge-${buildId}`))?.isCompleted(), 60_000, 200);
      assert.ok(merged);
      const job = await fp.getJob(victimJob);
      assert.ok(job && (job.attemptsStarted >= 2 || job.stalledCounter >= 1), 'the killed job ran again');
      assert.ok(!job.processedBy?.endsWith(`/${victim.pid}`), 'another worker finished it');
    } finally {
      await fp.close();
      await merges.close();
    }
    const recs = await recordingsIn(path.join(home, 'index'), 'yasser-salama');
    assert.equal(recs.length, FILES);
    assert.equal(new Set(recs.map((x) => x.relPath)).size, FILES);
    assert.equal(await catalogCount('yasser-salama'), FILES);
    const status = JSON.parse((await runAyah(['reciters', 'show', 'yasser-salama', '--json'], env)).stdout) as { catalog: { status: string; isActive: boolean } };
    assert.deepEqual([status.catalog.status, status.catalog.isActive], ['ready', true]);
    workers.push(await startWorker(env));
  });

  it('a job that keeps failing ends in the failed set with its reason; the reciter stays inactive; `jobs retry` completes it', async () => {
    const staging = path.join(home, 'index', 'staging');
    fs.rmSync(staging, { recursive: true, force: true });
    fs.writeFileSync(staging, 'not a directory');
    const r = await runAyah(['add-reciter', salama, '--name', 'Failing Reciter', '--force'], env);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^ayah: build \S+ failed: fingerprint job fp-\S+: ENOTDIR.*`ayah jobs retry`/m);
    const jobs = JSON.parse((await runAyah(['jobs', '--json'], env)).stdout) as { failed: { reason: string; attempts: number; maxAttempts: number; reciterId: string }[] };
    assert.ok(jobs.failed.length > 0 && jobs.failed.every((f) => f.reciterId === 'failing-reciter' && /ENOTDIR/.test(f.reason) && f.attempts === f.maxAttempts));
    const listed = JSON.parse((await runAyah(['reciters', 'list', '--json'], env)).stdout) as { id: string; catalog: { isActive: boolean; status: string; statusReason: string } }[];
    const failing = listed.find((x) => x.id === 'failing-reciter')!;
    assert.deepEqual([failing.catalog.isActive, failing.catalog.status], [false, 'failed']);
    assert.match(failing.catalog.statusReason, /ENOTDIR/);

    fs.rmSync(staging);
    const retry = await runAyah(['jobs', 'retry', '--json'], env);
    assert.equal(retry.code, 0, retry.stderr);
    await waitFor('the retried build to be merged', async () => {
      const shown = JSON.parse((await runAyah(['reciters', 'show', 'failing-reciter', '--json'], env)).stdout) as { catalog: { status: string } };
      return shown.catalog.status === 'ready';
    }, 60_000, 300);
    assert.equal(await catalogCount('failing-reciter'), FILES);
    const removed = await runAyah(['reciters', 'remove', 'failing-reciter'], env);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, new RegExp(`removed \\(${FILES} recordings taken out of the index\\)`));
  });

  it('a job scheduler with a short interval fires and rebuilds; removed, it stops', async () => {
    const rebuilds = async () => Number((await queryDb<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM index_builds WHERE kind = 'rebuild' AND status = 'done'`))[0].n);
    const s = await runAyah(['schedule', 'reindex', '--every', '1500', '--json'], env);
    assert.equal(s.code, 0, s.stderr);
    await waitFor('a scheduled rebuild', async () => (await rebuilds()) >= 2, 90_000, 500);
    const rm = await runAyah(['schedule', 'remove'], env);
    assert.equal(rm.code, 0, rm.stderr);
    assert.deepEqual(JSON.parse((await runAyah(['schedule', 'list', '--json'], env)).stdout), []);
    const q = queue(prefix, 'reindex');
    try {
      await waitFor('running reindex jobs to finish', async () => (await q.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized')) === 0, 90_000, 300);
      const before = [await rebuilds(), (await q.getJobCounts()).completed];
      await new Promise((r) => setTimeout(r, 4000));
      assert.deepEqual([await rebuilds(), (await q.getJobCounts()).completed], before, 'nothing fired after removal');
    } finally {
      await q.close();
    }
    const recs = await recordingsIn(path.join(home, 'index'), 'ibrahim-al-akhdar');
    assert.equal(recs.length, FILES, 'the rebuilt index has every recording once');
    const answers = await identify(home);
    assert.deepEqual(answers.map((a) => [a.results[0]?.surah, a.results[0]?.ayah]), [[113, 3], [110, 1], [111, 2]]);
  });

  it('a folder with a file that is not audio is refused by the merge on the workers: exit 1, the report, nothing committed', async () => {
    const bad = folderOf(['akhdar/112001.mp3', 'akhdar/112002.mp3'], tmp.dir('bad'));
    fs.writeFileSync(path.join(bad, '112003.mp3'), 'not audio at all\n');
    const version = indexStats(path.join(home, 'index'))?.version;
    const r = await runAyah(['add-reciter', bad, '--name', 'Refused Reciter', '--json'], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /validation found 1 error; nothing was indexed/);
    const report = JSON.parse(r.stdout) as { ok: boolean; files: unknown[]; issues: { severity: string; file: string; check: string }[] };
    assert.equal(report.ok, false);
    assert.equal(report.files.length, 3, 'every file checked by the fingerprint jobs');
    assert.deepEqual(report.issues.filter((i) => i.severity === 'error').map((i) => [i.file, i.check]), [['112003.mp3', 'decode']]);
    assert.equal(indexStats(path.join(home, 'index'))?.version, version, 'nothing committed');
    const listed = JSON.parse((await runAyah(['reciters', 'list', '--json'], env)).stdout) as { id: string; catalog: { isActive: boolean; status: string; statusReason: string } }[];
    const refused = listed.find((x) => x.id === 'refused-reciter')!;
    assert.deepEqual([refused.catalog.isActive, refused.catalog.status], [false, 'failed']);
    assert.match(refused.catalog.statusReason, /validation found 1 error/);
  });

  it('workers stop on SIGTERM, finishing their jobs, with exit code 0', async () => {
    const codes = await Promise.all(workers.splice(0).map(stopWorker));
    assert.deepEqual(codes, codes.map(() => 0));
  });
});
