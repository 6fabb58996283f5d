/**
 * One truth for what is indexed (embedded default), repairs: an index of an older
 * fingerprint version, one with two recordings of an ayah, a description change, a build
 * killed midway and a commit that never completed each end with catalog and index saying
 * the same. Real audio from the corpus, the real `ayah` command.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { addVariants, fingerprintFolders } from '../src/bench/synthetic-reciters.js';
import { readManifest } from '../src/index/manifest.js';
import { partTables } from '../src/index/segment-parts.js';
import { ayah, ayahSpawn, folderOf, tempDir } from './helpers/env.js';
import { AKHDAR, alafasyFolder, answers, makeClips, N, show, stagingLeft } from './helpers/one-truth.js';
import { waitFor } from './helpers/services.js';

describe('one truth for what is indexed (embedded): repairs', () => {
  let clip: (name: string) => string;
  before(() => {
    clip = makeClips();
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
    assert.deepEqual(tables(), [m.recordingsTable, m.textTable, ...partTables(m.segments.map((s) => s.table))].sort(), 'every table left is one the manifest names');
    assert.match(r.stdout, new RegExp(`dropped index table ${orphan}, written by a commit that never completed`));
  });
});
