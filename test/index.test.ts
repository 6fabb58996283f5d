/**
 * The index on disk: commits are atomic and incremental, removal and deactivation hide a
 * reciter, compaction keeps answers while renumbering, fingerprints are deterministic.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fingerprintInput } from '../src/fingerprint/fingerprinter.js';
import { readManifest } from '../src/index/manifest.js';
import { commitRecordings, compactIndex, readStaging, removeReciter, syncReciterEntries } from '../src/index/api.js';
import { runFingerprintJob } from '../src/pipeline/jobs/handlers.js';
import { Identifier } from '../src/query/identifier.js';
import { decodeAll } from '../src/fingerprint/decode.js';
import type { RecordingSource, Reciter } from '../src/types.js';
import { CORPUS, tempDir } from './helpers/env.js';

function sources(reciter: string, names: string[]): RecordingSource[] {
  return names.map((n) => ({
    path: path.join(CORPUS, reciter, `${n}.mp3`),
    relPath: `${n}.mp3`,
    ref: { surah: Number(n.slice(0, 3)), ayah: Number(n.slice(3)) },
    kind: 'ayah' as const,
    timeline: [{ surah: Number(n.slice(0, 3)), ayah: Number(n.slice(3)), start: 0, end: 0 }],
  }));
}

async function index(home: string, reciter: Reciter, folder: string, names: string[]) {
  const indexDir = path.join(home, 'index');
  const buildId = `b-${reciter.id}-${Date.now()}`;
  const child = await runFingerprintJob({ buildId, indexDir, reciterId: reciter.id, batchKey: '00000', sources: sources(folder, names) });
  return commitRecordings(indexDir, { reciter, staged: readStaging(child.stagingFile), replaceRelPaths: [] });
}

const akhdar: Reciter = { id: 'akhdar', nameEn: 'Ibrahim Al-Akhdar', riwayah: 'hafs' };
const salama: Reciter = { id: 'salama', nameEn: 'Yasser Salama', riwayah: 'hafs' };
const NAMES = ['114001', '114002', '114003', '114004', '114005', '114006'];

describe('index', () => {
  it('fingerprints the same audio identically every time', async () => {
    const file = path.join(CORPUS, 'akhdar', '114001.mp3');
    const [a, b] = [await fingerprintInput(file), await fingerprintInput(file)];
    assert.ok(a.landmarks.length > 100);
    assert.deepEqual(a.landmarks.hashes, b.landmarks.hashes);
    assert.deepEqual(a.landmarks.times, b.landmarks.times);
  });

  it('adds reciters as new segments, hides removed or inactive ones, and compacts', async () => {
    const home = tempDir();
    const indexDir = path.join(home, 'index');
    await index(home, akhdar, 'akhdar', NAMES);
    const v1 = readManifest(indexDir)!;
    const segmentBytes = fs.readdirSync(path.join(indexDir, 'lance')).filter((t) => t.startsWith('seg_'));
    await index(home, salama, 'salama', NAMES);
    const v2 = readManifest(indexDir)!;
    assert.equal(v2.segments.length, 2);
    assert.deepEqual(v2.segments[0], v1.segments[0], 'the first segment is not rewritten');
    assert.ok(segmentBytes.every((t) => fs.existsSync(path.join(indexDir, 'lance', t))));
    assert.equal(v2.recordingCount, 12);

    const clip = await decodeAll(path.join(CORPUS, 'salama', '114003.mp3'), { sampleRate: 8000, startS: 0.2, durationS: 4 });
    const ask = async () => (await (await Identifier.open(home)).identifyPcm(clip, 'clip')).results[0];
    assert.equal((await ask())?.reciterId, 'salama');

    syncReciterEntries(indexDir, [{ ...salama, active: false }]);
    assert.notEqual((await ask())?.reciterId, 'salama', 'an inactive reciter is not answered');
    syncReciterEntries(indexDir, [{ ...salama, active: true }]);
    assert.equal((await ask())?.reciterId, 'salama');

    assert.equal(await removeReciter(indexDir, 'akhdar'), 6);
    const stats = await compactIndex(indexDir);
    assert.deepEqual([stats.generation, stats.segments, stats.recordings], [1, 1, 6]);
    const compacted = readManifest(indexDir)!;
    assert.equal(compacted.recordingCount, 6);
    assert.deepEqual(compacted.removed, []);
    const best = await ask();
    assert.deepEqual([best?.reciterId, best?.surah, best?.ayah], ['salama', 114, 3]);
  });
});
