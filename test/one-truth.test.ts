/**
 * One truth for what is indexed (embedded default): the catalog and the index say the
 * same after concurrent runs, rebuilds, files deleted from a folder, description changes
 * and interrupted builds. Real audio from the corpus, the real `ayah` command.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { addVariants, fingerprintFolders } from '../src/bench/synthetic-reciters.js';
import { indexedReciters } from '../src/index/api.js';
import { readManifest } from '../src/index/manifest.js';
import { ayah, ayahSpawn, CORPUS, ffmpeg, folderOf, tempDir } from './helpers/env.js';
import { runAyah, waitFor } from './helpers/services.js';

const AKHDAR = ['113001', '113002', '113003', '113004', '113005', '114001', '114002', '114003', '114004', '114005', '114006'].map((n) => `akhdar/${n}.mp3`);
const N = AKHDAR.length;
const ALAFASY = ['1', '2', '3', '4', '5', '6'].map((a) => `alafasy/114/${a}.mp3`);
/** Alafasy's surah 114 in its folders layout (114/A.mp3). */
const alafasyFolder = () => {
  const dir = tempDir('ayah-reciter-');
  fs.mkdirSync(path.join(dir, '114'));
  folderOf(ALAFASY, path.join(dir, '114'));
  return dir;
};

interface Shown {
  catalog?: { recordings: number; riwayah: string; status: string; isActive: boolean };
  index?: { recordings: number; audioSeconds: number };
  builds: { id: string; status: string; statusReason?: string }[];
}
const show = (env: Record<string, string>, id: string) => {
  const r = ayah(['reciters', 'show', id, '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Shown;
};
const json = (stdout: string) => JSON.parse(stdout) as { added: number; reindexed: number; removed: string[]; described: string[]; unchanged: number; buildId: string | null };
/** identify --json answers, elapsed_ms aside. */
const answers = (env: Record<string, string>, clips: string[]) => {
  const r = ayah(['identify', '--json', ...clips], env);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => {
      const { elapsed_ms: _e, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return rest as { status: string; results: { surah: number; ayah: number; reciter: string; riwayah: string; confidence: number }[] };
    });
};
const stagingLeft = (home: string) => {
  const dir = path.join(home, 'index', 'staging');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe('one truth for what is indexed (embedded)', () => {
  const clips = tempDir('ayah-clips-');
  const clip = (n: string) => path.join(clips, n);
  before(() => {
    ffmpeg(['-ss', '0.3', '-t', '4', '-i', path.join(CORPUS, 'akhdar/113003.mp3'), clip('akhdar-113-3.wav')]);
    ffmpeg(['-ss', '0.2', '-t', '3', '-i', path.join(CORPUS, 'akhdar/114002.mp3'), '-af', 'highpass=f=300,lowpass=f=3400', '-ar', '8000', clip('akhdar-114-2.ogg')]);
    ffmpeg(['-ss', '0.2', '-t', '4', '-i', path.join(CORPUS, 'alafasy/114/4.mp3'), clip('alafasy-114-4.wav')]);
  });

  it('two add-reciter runs of one folder at once index every recording once; later runs find nothing to do', async () => {
    const home = tempDir('ayah-home-');
    const env = { AYAH_HOME: home };
    const dir = folderOf(AKHDAR);
    const runs = await Promise.all([1, 2].map(() => runAyah(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar', '--json'], env)));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const results = runs.map((r) => json(r.stdout));
    assert.ok(results.every((r) => r.buildId), 'both runs planned every file before either merged (the race happened)');
    assert.deepEqual(results.map((r) => r.added).sort(), [0, N], 'the second merge found every file already indexed');
    const s = show(env, 'ibrahim-al-akhdar');
    assert.deepEqual([s.catalog?.recordings, s.index?.recordings], [N, N]);
    const again = ayah(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`nothing changed \\(${N} recordings already indexed\\)`));
    const compact = ayah(['index', 'rebuild', '--compact'], env);
    assert.equal(compact.code, 0, compact.stdout + compact.stderr);
  });

  it('two rebuilds in a row of an unchanged catalog leave answers, confidences and `reciters list` identical', () => {
    const home = tempDir('ayah-home-');
    const env = { AYAH_HOME: home };
    for (const [dir, name] of [[folderOf(AKHDAR.slice(5)), 'Ibrahim Al-Akhdar'], [alafasyFolder(), 'Mishary Alafasy']] as const) {
      const r = ayah(['add-reciter', dir, '--name', name], env);
      assert.equal(r.code, 0, r.stderr);
    }
    const asked = [clip('akhdar-114-2.ogg'), clip('alafasy-114-4.wav')];
    const first = answers(env, asked);
    assert.deepEqual(first.map((a) => [a.status, a.results[0]?.surah, a.results[0]?.ayah]), [['match', 114, 2], ['match', 114, 4]]);
    const list = () => JSON.parse(ayah(['reciters', 'list', '--json'], env).stdout) as unknown;
    const listed = list();
    const seconds = () => Object.fromEntries(indexedReciters(path.join(home, 'index')).map((r) => [r.id, r.audioSeconds]));
    const secondsBefore = seconds();
    for (let i = 0; i < 2; i++) {
      const r = ayah(['index', 'rebuild'], env);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(seconds(), secondsBefore, `audio seconds after rebuild ${i + 1}`);
      assert.deepEqual(answers(env, asked), first, `identify after rebuild ${i + 1}`);
      assert.deepEqual(list(), listed, `reciters list after rebuild ${i + 1}`);
    }
  });

  it('re-running add-reciter mirrors the folder: a deleted file leaves index and catalog; one recording can be removed by hand', () => {
    const home = tempDir('ayah-home-');
    const env = { AYAH_HOME: home };
    const dir = folderOf(AKHDAR);
    assert.equal(ayah(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar'], env).code, 0);
    fs.rmSync(path.join(dir, '113005.mp3'));
    const r = ayah(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    let s = show(env, 'ibrahim-al-akhdar');
    assert.deepEqual([s.catalog?.recordings, s.index?.recordings], [N - 1, N - 1]);
    assert.deepEqual(json(r.stdout).removed, ['113005.mp3']);
    const compact = ayah(['index', 'rebuild', '--compact'], env);
    assert.equal(compact.code, 0, compact.stdout + compact.stderr);
    assert.match(compact.stdout, /counts verified/);

    assert.deepEqual(answers(env, [clip('akhdar-114-2.ogg')]).map((a) => [a.results[0]?.surah, a.results[0]?.ayah]), [[114, 2]]);
    const rm = ayah(['reciters', 'remove', 'Ibrahim Al-Akhdar', '--recording', '114:2'], env);
    assert.equal(rm.code, 0, rm.stderr);
    assert.match(rm.stdout, /114002\.mp3 taken out/);
    s = show(env, 'ibrahim-al-akhdar');
    assert.deepEqual([s.catalog?.recordings, s.index?.recordings], [N - 2, N - 2]);
    const after = answers(env, [clip('akhdar-114-2.ogg')])[0];
    assert.ok(!after.results.some((x) => x.surah === 114 && x.ayah === 2), 'the removed recording no longer answers');
    const missing = ayah(['reciters', 'remove', 'Ibrahim Al-Akhdar', '--recording', '114:2'], env);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /^ayah: ibrahim-al-akhdar: no recording 114:2 in the index/);
    const readd = ayah(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar', '--json'], env);
    assert.equal(json(readd.stdout).added, 1, 'the folder still has the file: added again');

    fs.rmSync(path.join(dir, '113004.mp3'));
    const rebuilt = ayah(['index', 'rebuild'], env);
    assert.match(rebuilt.stdout, /1 failed.*\n\s+failed: 113004\.mp3: /, 'a rebuild names the file it could not read');
  });

  it('an index of an older fingerprint version is refused with one line, and `ayah index rebuild` rebuilds it from the catalog', () => {
    const home = tempDir('ayah-home-');
    const env = { AYAH_HOME: home };
    const dir = folderOf(AKHDAR.slice(0, 5));
    assert.equal(ayah(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar'], env).code, 0);
    // What an index built by an earlier ayah says of itself.
    const file = path.join(home, 'index', 'manifest.json');
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as { fingerprintVersion: number };
    fs.writeFileSync(file, JSON.stringify({ ...m, fingerprintVersion: m.fingerprintVersion - 1 }));
    const refused = ayah(['identify', clip('akhdar-113-3.wav')], env);
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, new RegExp(`^ayah: \\S+: outdated index: built with fingerprint version ${m.fingerprintVersion - 1}, this ayah uses ${m.fingerprintVersion}; run \`ayah index rebuild\`[^\\n]*\\n$`));
    const rebuilt = ayah(['index', 'rebuild'], env);
    assert.equal(rebuilt.code, 0, rebuilt.stdout + rebuilt.stderr);
    assert.match(rebuilt.stdout, /repaired: the index was outdated \(built with fingerprint version/);
    assert.equal(readManifest(path.join(home, 'index'))?.fingerprintVersion, m.fingerprintVersion);
    assert.deepEqual(answers(env, [clip('akhdar-113-3.wav')]).map((a) => [a.status, a.results[0]?.surah, a.results[0]?.ayah]), [['match', 113, 3]]);
  });

  it('an index whose reciter has two recordings of one ayah (made without add-reciter) is refused by a rebuild with one line naming both; the catalog is unchanged', async () => {
    const home = tempDir('ayah-home-');
    const env = { AYAH_HOME: home };
    assert.equal(ayah(['add-reciter', folderOf(AKHDAR.slice(0, 2)), '--name', 'Ibrahim Al-Akhdar'], env).code, 0);
    // bench:scale's synthetic reciters: variants of two folders reciting the same ayahs, one reciter.
    const base = await fingerprintFolders([folderOf(['akhdar/113001.mp3']), folderOf(['salama/113001.mp3'])]);
    await addVariants(path.join(home, 'index'), base, 0, 1);
    for (let run = 0; run < 2; run++) {
      const r = ayah(['index', 'rebuild', '--compact'], env);
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /^ayah: reciter "synthetic-0-0": \S+\/113001\.mp3 and \S+\/113001\.mp3 both recite 113:1; the catalog keeps one recording per reciter and ayah[^\n]*\n$/);
    }
    const listed = ayah(['reciters', 'list'], env).stdout;
    assert.match(listed, /synthetic-0-0 .*not in the catalog/);
  });

  it('a new riwayah or style reaches index and catalog at once and is reported; the same folder under a second name is refused', () => {
    const home = tempDir('ayah-home-');
    const env = { AYAH_HOME: home };
    const dir = folderOf(AKHDAR.slice(0, 5));
    assert.equal(ayah(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar'], env).code, 0);
    const r = ayah(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar', '--riwayah', 'warsh', '--style', 'murattal'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(answers(env, [clip('akhdar-113-3.wav')])[0].results[0].riwayah, 'warsh', 'identify says the new riwayah without a rebuild');
    assert.equal(show(env, 'ibrahim-al-akhdar').catalog?.riwayah, 'warsh');
    assert.match(r.stdout, /riwayah: hafs → warsh/);
    assert.match(r.stdout, /style: - → murattal/);
    assert.doesNotMatch(r.stdout, /nothing changed/);

    const twice = ayah(['add-reciter', dir, '--name', 'Somebody Else'], env);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /^ayah: .*: already indexed as ibrahim-al-akhdar \(5 recordings\).*--force/);
    assert.equal(show(env, 'ibrahim-al-akhdar').index?.recordings, 5);
    assert.equal(ayah(['reciters', 'show', 'somebody-else'], env).code, 2, 'nothing recorded for the refused name (an unknown reciter is a usage error)');
    const forced = ayah(['add-reciter', dir, '--name', 'Somebody Else', '--force'], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /warning: .*also indexed as ibrahim-al-akhdar/);
  });

  it('an add-reciter killed mid-build leaves staging and an "indexing" reciter; the next run cleans them and says so', async () => {
    const home = tempDir('ayah-home-');
    const env = { AYAH_HOME: home, AYAH_FILES_PER_JOB: '1' };
    const dir = folderOf(AKHDAR);
    const child = ayahSpawn(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar'], env);
    const exited = new Promise((r) => child.on('exit', r));
    await waitFor('a staged batch', async () => stagingLeft(home).some((b) => fs.readdirSync(path.join(home, 'index', 'staging', b)).some((f) => f.endsWith('.bin'))), 60_000, 20);
    child.kill('SIGKILL');
    await exited;
    assert.equal(stagingLeft(home).length, 1, 'the killed build left its staging folder');
    assert.equal(show(env, 'ibrahim-al-akhdar').catalog?.status, 'indexing');

    const r = ayah(['add-reciter', dir, '--name', 'Ibrahim Al-Akhdar'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(stagingLeft(home), []);
    const s = show(env, 'ibrahim-al-akhdar');
    assert.deepEqual([s.catalog?.status, s.catalog?.isActive, s.catalog?.recordings, s.index?.recordings], ['ready', true, N, N]);
    assert.match(s.builds.find((b) => b.status === 'failed')?.statusReason ?? '', /^interrupted: /);
    assert.match(r.stdout, /cleaned up after interrupted builds:\n\s+build \S+ was interrupted: recorded as failed\n\s+removed the staged batches of build/);
  });

  it('a commit that never replaced the manifest leaves tables no manifest names; the next run drops them and says so', () => {
    const home = tempDir('ayah-home-');
    const env = { AYAH_HOME: home };
    const indexDir = path.join(home, 'index');
    const akhdar = folderOf(AKHDAR.slice(0, 5));
    assert.equal(ayah(['add-reciter', akhdar, '--name', 'Ibrahim Al-Akhdar'], env).code, 0);
    const before = fs.readFileSync(path.join(indexDir, 'manifest.json'));
    assert.equal(ayah(['add-reciter', alafasyFolder(), '--name', 'Mishary Alafasy'], env).code, 0);
    const orphan = readManifest(indexDir)!.segments.at(-1)!.table;
    // The state a commit killed (or out of disk space) just before its manifest rename leaves: its tables, the old manifest.
    fs.writeFileSync(path.join(indexDir, 'manifest.json'), before);
    const tables = () => fs.readdirSync(path.join(indexDir, 'lance')).map((t) => t.replace(/\.lance$/, '')).sort();
    assert.ok(tables().includes(orphan));
    const r = ayah(['add-reciter', akhdar, '--name', 'Ibrahim Al-Akhdar'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const m = readManifest(indexDir)!;
    assert.deepEqual(tables(), [m.recordingsTable, m.textTable, ...m.segments.map((s) => s.table)].sort(), 'every table left is one the manifest names');
    assert.match(r.stdout, new RegExp(`dropped index table ${orphan}, written by a commit that never completed`));
  });
});
