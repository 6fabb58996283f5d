/**
 * The index on disk: commits are atomic and incremental, removal and deactivation hide a
 * reciter, compaction keeps answers while renumbering, fingerprints are deterministic.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fingerprintInput } from '../src/fingerprint/fingerprinter.js';
import { readManifest, writeManifest } from '../src/index/manifest.js';
import { commitRecordings, compactIndex, IndexReader, readStaging, removeReciter, syncReciterEntries } from '../src/index/api.js';
import { durationsPath } from '../src/index/durations.js';
import { countsPath } from '../src/index/hash-counts.js';
import { TimelinesFile, timelinesPath } from '../src/index/timelines.js';
import { connectIndex } from '../src/index/lance.js';
import { readsThroughIoUring } from '../src/index/read-io.js';
import { ensureTextTable, TextReader } from '../src/index/text-table.js';
import { ayahCount, ayahText, repeatedGroup, surahName } from '../src/quran/quran.js';
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

describe('durations file', () => {
  it('holds every recording\'s duration by id, through commits and compaction; without it answers are the same', async () => {
    const home = tempDir();
    const indexDir = path.join(home, 'index');
    const durationsOf = (table: string) => new Float64Array(new Uint8Array(fs.readFileSync(durationsPath(indexDir, table))).buffer);
    await index(home, akhdar, 'akhdar', NAMES.slice(0, 3));
    await index(home, salama, 'salama', NAMES);
    const m = readManifest(indexDir)!;
    const reader = await IndexReader.open(indexDir);
    const recs = [...(await reader.recordings([...Array(m.recordingCount).keys()])).values()];
    assert.equal(recs.length, 9);
    assert.deepEqual([...durationsOf(m.recordingsTable)], recs.map((r) => r.durationS), 'extended by the second commit');
    assert.ok(recs.every((r) => r.durationS > 1));
    const ids = [...Array(m.recordingCount).keys()];
    const read = await reader.durations([...ids].reverse());
    assert.deepEqual(ids.map(read), recs.map((r) => r.durationS), 'the reader reads them from the file, a recording at a time, in any order');

    const clip = await decodeAll(path.join(CORPUS, 'salama', '114003.mp3'), { sampleRate: 8000, startS: 0.2, durationS: 4 });
    const answer = async () => (await (await Identifier.open(home)).identifyPcm(clip, 'clip')).results.map((r) => [r.reciterId, r.surah, r.ayah, r.confidence]);
    const withFile = await answer();
    assert.deepEqual(withFile[0].slice(0, 3), ['salama', 114, 3]);
    assert.deepEqual((await IndexReader.open(indexDir)).missingFiles(), []);
    fs.truncateSync(durationsPath(indexDir, m.recordingsTable), 8 * (m.recordingCount - 1));
    assert.deepEqual((await IndexReader.open(indexDir)).missingFiles(), ['durations'], 'a file holding fewer recordings than the manifest counts is not used');
    assert.deepEqual(await answer(), withFile, 'nor read: the recordings table is');
    fs.rmSync(durationsPath(indexDir, m.recordingsTable));
    assert.deepEqual(await answer(), withFile, 'an index without the file (made before it) reads the recordings instead');
    assert.deepEqual((await IndexReader.open(indexDir)).missingFiles(), ['durations'], 'what `ayah doctor` reports');
    fs.appendFileSync(countsPath(indexDir, m.segments[0].table), Buffer.alloc(2));
    assert.deepEqual((await IndexReader.open(indexDir)).missingFiles(), ['postings per hash', 'durations'], 'a counts file of another size is not used');
    for (const s of m.segments) fs.rmSync(countsPath(indexDir, s.table));
    assert.deepEqual((await IndexReader.open(indexDir)).missingFiles(), ['postings per hash', 'durations']);

    // The next commit makes the file again from the recordings table; compaction writes its generation's.
    await index(home, akhdar, 'akhdar', NAMES.slice(3));
    const all = [...(await (await IndexReader.open(indexDir)).recordings([...Array(12).keys()])).values()].map((r) => r.durationS);
    assert.deepEqual([...durationsOf(m.recordingsTable)], all);
    await removeReciter(indexDir, 'salama');
    await compactIndex(indexDir);
    const c = readManifest(indexDir)!;
    assert.notEqual(c.recordingsTable, m.recordingsTable);
    assert.deepEqual([...durationsOf(c.recordingsTable)], [...all.slice(0, 3), ...all.slice(9)]);
    assert.deepEqual((await IndexReader.open(indexDir)).missingFiles(), [], 'compaction (`ayah index rebuild --compact`) writes every file');
    assert.ok((await answer()).every(([reciter]) => reciter !== 'salama'), 'salama removed');
  });
});

describe('timelines file', () => {
  it("holds every recording's timeline by id, through commits and compaction; without it, or with a short one, answers are the same", async () => {
    const home = tempDir();
    const indexDir = path.join(home, 'index');
    const fileOf = (table: string) => TimelinesFile.open(indexDir, table, readManifest(indexDir)!.recordingCount);
    const tableTimelines = async () => {
      const m = readManifest(indexDir)!;
      const reader = await IndexReader.open(indexDir);
      const recs = await reader.recordings([...Array(m.recordingCount).keys()]);
      reader.close();
      return [...recs.values()].sort((a, b) => a.id - b.id).map((r) => r.timeline);
    };
    const fileTimelines = (table: string) => {
      const file = fileOf(table)!;
      const out = [...Array(readManifest(indexDir)!.recordingCount).keys()].map((id) => file.timeline(id));
      file.close();
      return out;
    };
    await index(home, akhdar, 'akhdar', NAMES.slice(0, 3));
    await index(home, salama, 'salama', NAMES);
    const m = readManifest(indexDir)!;
    const timelines = await tableTimelines();
    assert.equal(timelines.length, 9);
    assert.ok(timelines.every((t) => t.length === 1 && t[0].end > 1), 'one ayah each, to the end of the file');
    assert.deepEqual(fileTimelines(m.recordingsTable), timelines, 'extended by the second commit');

    const clip = await decodeAll(path.join(CORPUS, 'akhdar', '114002.mp3'), { sampleRate: 8000, startS: 0.3, durationS: 4 });
    const answer = async () => (await (await Identifier.open(home)).identifyPcm(clip, 'clip')).results.map((r) => [r.reciterId, r.surah, r.ayah, r.offsetS, r.confidence]);
    const withFile = await answer();
    assert.deepEqual(withFile[0].slice(0, 3), ['akhdar', 114, 2]);
    const file = timelinesPath(indexDir, m.recordingsTable);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, 8 * 5));
    assert.equal(fileOf(m.recordingsTable), undefined, 'a short file is not used');
    assert.deepEqual((await IndexReader.open(indexDir)).missingFiles(), ['timelines'], 'what `ayah doctor` reports');
    assert.deepEqual(await answer(), withFile, 'a short file: the recordings table instead');
    fs.rmSync(file);
    assert.deepEqual(await answer(), withFile, 'no file (an index made before it): the recordings table instead');

    // The next commit makes the file again from the table; compaction writes its generation's.
    await index(home, akhdar, 'akhdar', NAMES.slice(3));
    assert.deepEqual(fileTimelines(m.recordingsTable), await tableTimelines());
    assert.deepEqual((await IndexReader.open(indexDir)).missingFiles(), []);
    await removeReciter(indexDir, 'salama');
    const [before] = await answer();
    await compactIndex(indexDir);
    const c = readManifest(indexDir)!;
    assert.equal(c.recordingCount, 6);
    assert.deepEqual(fileTimelines(c.recordingsTable), await tableTimelines());
    assert.deepEqual((await answer())[0], before, 'the same answer after compaction (ids renumbered)');
  });
});

describe('peaks', () => {
  it("are kept with every recording; an index made before has none until recordings are added, then has theirs, through compaction", async () => {
    const home = tempDir();
    const indexDir = path.join(home, 'index');
    const peaksOf = async () => {
      const reader = await IndexReader.open(indexDir);
      const ids = [...Array(reader.stats().recordings).keys()];
      const out = { kept: await reader.keepsPeaks(), peaks: await reader.peaks(ids), recs: await reader.recordings(ids) };
      reader.close();
      return out;
    };
    const fingerprinted = async (file: string) => {
      const { times, bins, length } = (await fingerprintInput(file)).peaks;
      return { times, bins, length };
    };
    await index(home, akhdar, 'akhdar', NAMES.slice(0, 2));
    // An index made before peaks were kept: its recordings table without the column, pinned by the manifest.
    const m = readManifest(indexDir)!;
    const table = await (await connectIndex(indexDir)).openTable(m.recordingsTable);
    await table.dropColumns(['peaks']);
    writeManifest(indexDir, { ...m, recordingsVersion: await table.version() });
    const old = await peaksOf();
    assert.equal(old.kept, false);
    assert.equal(old.peaks.size, 0);
    const clip = await decodeAll(path.join(CORPUS, 'akhdar', '114002.mp3'), { sampleRate: 8000, startS: 0.3, durationS: 4 });
    const [answer] = (await (await Identifier.open(home)).identifyPcm(clip, 'clip')).results;
    assert.deepEqual([answer.reciterId, answer.surah, answer.ayah], ['akhdar', 114, 2], 'answered without peaks');

    await index(home, salama, 'salama', NAMES.slice(0, 2));
    for (const stage of ['added', 'compacted']) {
      if (stage === 'compacted') await compactIndex(indexDir);
      const now = await peaksOf();
      assert.equal(now.kept, true, stage);
      for (const [id, rec] of now.recs) {
        const want = rec.reciterId === 'salama' ? await fingerprinted(rec.path) : { times: new Uint32Array(0), bins: new Uint16Array(0), length: 0 };
        assert.deepEqual(now.peaks.get(id), want, `${stage}: ${rec.reciterId} ${rec.relPath}`);
      }
      assert.ok([...now.peaks.values()].some((p) => p.length > 50), `${stage}: the new recordings' peaks`);
    }
  });
});

describe('text table', () => {
  it('gives each ayah its text, surah names and repeated group, read a row at a time at first, then whole', async () => {
    const dir = tempDir();
    const db = await connectIndex(dir);
    await ensureTextTable(db, 'quran_text');
    const reader = new TextReader(await db.openTable('quran_text'));
    // 1:1 .. 1:7, then every ayah of 55 (its refrain is a repeated group), then 2:255, 114:6 and one that is not.
    const asked = [...[1, 2, 3, 4, 5, 6, 7].map((a) => [1, a]), ...Array.from({ length: ayahCount(55) }, (_, i) => [55, i + 1]), [2, 255], [114, 6]];
    for (const [s, a] of asked) {
      const info = await reader.ayah(s, a);
      const group = repeatedGroup(s, a);
      assert.deepEqual(info, { text: ayahText(s, a), surahNameAr: surahName(s).ar, surahNameEn: surahName(s).en, group: group.length > 1 ? group : [{ surah: s, ayah: a }] }, `${s}:${a}`);
    }
    assert.equal((await reader.ayah(55, 13))?.group.length, 31, 'the refrain of 55');
    assert.equal(await reader.ayah(1, 8), undefined);
  });
});

describe('reads through io_uring', () => {
  it('gives the same postings, recordings and answers as ordinary reads (AYAH_IO_URING=1 and 0)', async (t) => {
    if (process.platform !== 'linux') return t.skip('io_uring is Linux only');
    const home = tempDir();
    const indexDir = path.join(home, 'index');
    await index(home, akhdar, 'akhdar', NAMES);
    await index(home, salama, 'salama', NAMES.slice(0, 3));
    const fp = await fingerprintInput(path.join(CORPUS, 'salama', '114002.mp3'));
    const hashes = [...new Set(fp.landmarks.hashes)];
    const clip = await decodeAll(path.join(CORPUS, 'akhdar', '114005.mp3'), { sampleRate: 8000, startS: 0.3, durationS: 4 });
    const saved = process.env.AYAH_IO_URING;
    const savedCwd = process.cwd();
    const cwd = tempDir();
    const readWith = async (mode: string) => {
      process.env.AYAH_IO_URING = mode;
      process.chdir(cwd);
      assert.equal(readsThroughIoUring(), mode === '1');
      const reader = await IndexReader.open(indexDir);
      const found = await reader.lookup(hashes);
      const recs = await reader.recordings([0, 4, 7]);
      reader.close();
      const answer = await (await Identifier.open(home)).identifyPcm(clip, 'clip');
      return { found: found.rows.map((r, i) => [found.hashes[i], [...r]]), recs: [...recs.values()], answer: answer.results.map((r) => [r.reciterId, r.surah, r.ayah, r.confidence]) };
    };
    try {
      const uring = await readWith('1');
      assert.deepEqual(fs.readdirSync(cwd), [], 'nothing made in the working directory');
      const plain = await readWith('0');
      assert.ok(uring.found.length > 100, 'postings found');
      assert.deepEqual(uring.found, plain.found);
      assert.deepEqual(uring.recs, plain.recs);
      assert.deepEqual(uring.answer[0].slice(0, 3), ['akhdar', 114, 5]);
      assert.deepEqual(uring.answer, plain.answer);
    } finally {
      process.chdir(savedCwd);
      if (saved === undefined) delete process.env.AYAH_IO_URING;
      else process.env.AYAH_IO_URING = saved;
    }
  });
});
