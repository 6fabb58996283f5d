/**
 * One truth for what is indexed (embedded default): the catalog and the index say the
 * same after concurrent runs, rebuilds, files deleted from a folder and recordings removed
 * by hand (one-truth-repair.test.ts: outdated and inconsistent indexes, description changes,
 * interrupted builds). Real audio from the corpus, the real `ayah` command.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { indexedReciters } from '../src/index/api.js';
import { ayah, folderOf, tempDir } from './helpers/env.js';
import { AKHDAR, alafasyFolder, answers, json, makeClips, N, show } from './helpers/one-truth.js';
import { runAyah } from './helpers/services.js';

describe('one truth for what is indexed (embedded)', () => {
  let clip: (name: string) => string;
  before(() => {
    clip = makeClips();
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
});
