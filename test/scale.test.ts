/**
 * What keeps the engine fast as the index grows, on real audio: files decoded many to an
 * ffmpeg process, postings per hash kept beside each segment, look-ups of the rarest
 * hashes within a budget, compaction into one segment written in pieces, postings stored
 * uncompressed, identify decoding its inputs in groups.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { FINGERPRINT, HASH_SPACE } from '../src/fingerprint/config.js';
import { partTables, segmentParts } from '../src/index/segment-parts.js';
import { decodeAll, PcmCollector } from '../src/fingerprint/decode.js';
import { decodeBatch } from '../src/fingerprint/decode-batch.js';
import { fingerprintPcm } from '../src/fingerprint/fingerprinter.js';
import { connectIndex, lanceDir } from '../src/index/lance.js';
import { readManifest } from '../src/index/manifest.js';
import { compactIndex, IndexReader, indexStats } from '../src/index/api.js';
import { QUERY } from '../src/query/config.js';
import { queryHashes, speedHashes, speedKeys } from '../src/query/query-hashes.js';
import { rarestKeys, selectRarest } from '../src/query/select-hashes.js';
import { ayah, CORPUS, ffmpeg, folderOf, tempDir } from './helpers/env.js';

const RATE = { sampleRate: FINGERPRINT.sampleRate };
const FILES = ['akhdar/113001.mp3', 'akhdar/113002.mp3', 'salama/114001.mp3'].map((f) => path.join(CORPUS, f));

describe('decoding many files with one ffmpeg process', () => {
  it('gives each file exactly the samples it has decoded alone', async () => {
    const pcm: PcmCollector[] = [];
    const outcomes = await decodeBatch(FILES, (i) => (pcm[i] = new PcmCollector()), RATE);
    assert.deepEqual(outcomes.map((o) => o.ok), [true, true, true]);
    for (const [i, file] of FILES.entries()) {
      const alone = await decodeAll(file, RATE);
      const batched = pcm[i].samples();
      assert.ok(alone.length > RATE.sampleRate, `${file} decodes to audio`);
      assert.equal(batched.length, alone.length, `${file}: same length`);
      assert.deepEqual(batched, alone, `${file}: same samples`);
    }
  });

  it('names the file that cannot be decoded, with the reason and how ffmpeg ended, and decodes the others', async () => {
    const dir = tempDir();
    const bad = path.join(dir, 'not-audio.mp3');
    fs.writeFileSync(bad, 'this is not audio\n'.repeat(200));
    const files = [FILES[0], bad, FILES[1]];
    const pcm: PcmCollector[] = [];
    const outcomes = await decodeBatch(files, (i) => (pcm[i] = new PcmCollector()), { ...RATE, retries: 1 });
    assert.equal(outcomes[0].ok, true);
    assert.equal(outcomes[2].ok, true);
    const failed = outcomes[1];
    assert.ok(!failed.ok);
    assert.equal(failed.reason, 'not an audio file ffmpeg can read');
    assert.match(failed.ended, /^ffmpeg exit code \d+$/);
    assert.deepEqual(pcm[2].samples(), await decodeAll(FILES[1], RATE));
  });
});

describe('an index that keeps its postings per hash', () => {
  const home = tempDir('ayah-home-');
  const indexDir = path.join(home, 'index');
  const clips: string[] = [];

  before(() => {
    const names = [1, 2, 3, 4, 5].map((a) => `akhdar/11300${a}.mp3`).concat([1, 2, 3, 4, 5, 6].map((a) => `akhdar/11400${a}.mp3`));
    const r = ayah(['add-reciter', folderOf(names), '--name', 'Ibrahim Al-Akhdar', '--json'], { AYAH_HOME: home });
    assert.equal(r.code, 0, r.stderr);
    const dir = tempDir();
    for (const [i, f] of ['akhdar/113003.mp3', 'akhdar/114002.mp3', 'akhdar/114005.mp3'].entries()) {
      const clip = path.join(dir, `clip${i}.wav`);
      ffmpeg(['-i', path.join(CORPUS, f), '-ss', '0.3', '-t', '3', clip]);
      clips.push(clip);
    }
  });

  it('has counts that add up to the postings of its segments', async () => {
    const reader = await IndexReader.open(indexDir);
    assert.ok(reader.hashCounts, 'counts are read');
    const total = Array.from(reader.hashCounts).reduce((n, c) => n + c, 0);
    assert.equal(total, reader.stats().postings);
    assert.ok(total > 1000);
  });

  it('looks up the rarest of a clip\'s hashes first, only hashes it has, within the budget', async () => {
    const reader = await IndexReader.open(indexDir);
    const counts = reader.hashCounts!;
    const q = queryHashes(fingerprintPcm(await decodeAll(clips[0], RATE)).landmarks, 0);
    const present = q.distinct.filter((h) => counts[h] > 0);
    assert.ok(present.length > 20 && present.length < q.distinct.length, 'some of the clip\'s hashes are not in the index');
    const picked = selectRarest(q, counts, { maxHashes: 20, maxPostings: 1e9 });
    assert.equal(picked.distinct.length, 20);
    const cost = (h: number) => counts[h] * q.timesOf.get(h)!.length;
    const worstPicked = Math.max(...picked.distinct.map(cost));
    const left = present.filter((h) => !picked.distinct.includes(h));
    assert.ok(left.every((h) => cost(h) >= worstPicked), 'no hash left out is rarer than one taken');
    const byPostings = selectRarest(q, counts, { maxHashes: 1e9, maxPostings: 30 });
    assert.ok(byPostings.distinct.reduce((n, h) => n + cost(h), 0) <= 30);
    assert.deepEqual(selectRarest(q, undefined, { maxHashes: 1, maxPostings: 1 }), q, 'an index without counts looks up every hash');
  });

  it('takes a speed factor\'s rarest hashes without making the others, as selectRarest would take them', async () => {
    const counts = (await IndexReader.open(indexDir)).hashCounts!;
    // A whole ayah of 14 s, so that some hashes come at several times.
    const lm = fingerprintPcm(await decodeAll(path.join(CORPUS, 'akhdar/078040.mp3'), RATE), FINGERPRINT, QUERY.extsPer).landmarks;
    for (const speed of [0.95, 1.04]) {
      const all = speedHashes(lm, speed);
      const keys = speedKeys(lm, speed);
      assert.ok(all.distinct.some((h) => all.timesOf.get(h)!.length > 1), 'some hash at several times');
      for (const budget of [QUERY.speed.confirm, { maxHashes: 25, maxPostings: 1e9 }, { maxHashes: 1e9, maxPostings: 40 }]) {
        const picked = rarestKeys(keys, counts, budget);
        assert.deepEqual(picked, selectRarest(all, counts, budget).distinct, `speed ${speed}, ${JSON.stringify(budget)}`);
        const made = speedHashes(lm, speed, FINGERPRINT, keys, new Set(picked));
        assert.deepEqual([...made.timesOf.keys()].sort(), [...picked].sort(), 'only the hashes kept are made');
        for (const h of picked) assert.deepEqual([made.timesOf.get(h), made.extsOf.get(h)], [all.timesOf.get(h), all.extsOf.get(h)]);
      }
    }
  });

  it('is compacted into one segment written in pieces by hash range when it would be too large, and answers the same', async () => {
    const answers = () => ayah(['identify', '--json', ...clips], { AYAH_HOME: home }).stdout.trim().split('\n').map((l) => {
      const a = JSON.parse(l) as { status: string; results: { surah: number; ayah: number; confidence: number }[] };
      return { status: a.status, best: a.results[0] && { surah: a.results[0].surah, ayah: a.results[0].ayah, confidence: a.results[0].confidence } };
    });
    const before = answers();
    assert.deepEqual(before.map((a) => `${a.best?.surah}:${a.best?.ayah}`), ['113:3', '114:2', '114:5']);
    const postings = indexStats(indexDir)!.postings;
    await compactIndex(indexDir, Math.ceil(postings / 3));
    const m = readManifest(indexDir)!;
    assert.equal(m.segments.length, 1);
    assert.equal(m.segments[0].postings, postings);
    assert.equal(m.segments[0].recordings, m.recordingCount);
    // Three pieces or more, appended in hash order to the segment's parts (tables of at most
    // 2^20 rows: the exact hashes, then the speed keys), each part's merged into one fragment
    // whose file replaced theirs: row = hash - part.from.
    const db = await connectIndex(indexDir);
    const parts = segmentParts(m.segments[0].table);
    assert.equal(parts.length, 2);
    assert.deepEqual(parts.map((p) => [p.from, p.to]), [[0, 2 ** 20], [2 ** 20, HASH_SPACE]]);
    let versions = 0;
    for (const part of parts) {
      const table = await db.openTable(part.table);
      versions += await table.version();
      assert.equal((await table.stats()).fragmentStats.numFragments, 1, `${part.table} merged`);
      assert.equal(fs.readdirSync(path.join(lanceDir(indexDir), `${part.table}.lance`, 'data')).length, 1, `${part.table}: the pieces' files deleted`);
      const rows = part.to - part.from;
      const offsets = [...new Set([0, 1, rows / 2 - 1, rows / 2, rows - 1, ...Array.from({ length: 40 }, (_, i) => Math.floor((i * rows) / 40) + 7)])].sort((a, b) => a - b);
      const got = (await table.takeOffsets(offsets).select(['h']).toArray()) as { h: number }[];
      assert.deepEqual(got.map((r) => r.h), offsets.map((o) => part.from + o), part.table);
    }
    assert.ok(versions >= 5, 'created, three pieces or more appended, merged');
    assert.deepEqual(answers(), before);
  });

  it('stores its postings uncompressed, so that a look-up does not decompress a block per hash', async () => {
    const db = await connectIndex(indexDir);
    for (const table of partTables(readManifest(indexDir)!.segments.map((s) => s.table))) {
      const p = (await (await db.openTable(table)).schema()).fields.find((f) => f.name === 'p');
      assert.equal(p?.metadata.get('lance-encoding:compression'), 'none', table);
    }
  });
});

describe('identify with many inputs', () => {
  it('answers every input in order, decoded in groups, a bad input alone', () => {
    const home = tempDir('ayah-home-');
    const folder = folderOf([1, 2, 3, 4, 5, 6].map((a) => `akhdar/11400${a}.mp3`));
    assert.equal(ayah(['add-reciter', folder, '--name', 'Ibrahim Al-Akhdar'], { AYAH_HOME: home }).code, 0);
    const dir = tempDir();
    const notAudio = path.join(dir, 'notes.mp3');
    fs.writeFileSync(notAudio, 'not audio\n'.repeat(100));
    const good = [1, 2, 3, 4, 5, 6].map((a) => path.join(folder, `11400${a}.mp3`));
    // Ten inputs: decoded in groups of 4, then 8 (the first group small), the bad ones inside the first.
    const inputs = [good[0], notAudio, good[1], path.join(dir, 'missing.wav'), good[2], good[3], good[4], good[5], good[0], good[1]];
    const r = ayah(['identify', '--json', ...inputs], { AYAH_HOME: home });
    assert.equal(r.code, 3);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { input: string; status: string; error?: string; results: { ayah: number }[] });
    assert.deepEqual(lines.map((l) => l.input), inputs);
    assert.equal(lines[1].error, 'not an audio file ffmpeg can read');
    assert.equal(lines[3].error, 'no such file');
    const expected = [1, null, 2, null, 3, 4, 5, 6, 1, 2];
    assert.deepEqual(lines.map((l) => (l.error ? null : l.results[0]?.ayah)), expected);
    assert.match(r.stderr, /notes\.mp3: not an audio file ffmpeg can read/);
  });
});
