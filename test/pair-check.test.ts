/**
 * The pair check (query/pair-check.ts) on real audio: a reverberant clip of an indexed ayah
 * keeps few of its landmarks' third peaks but many of its pairs at its alignment, and none
 * at other alignments; a row of the index holds its postings in recording order (what the
 * check's bisection relies on), through commits and a compaction. And the exact pass's steps:
 * a step that carries the hits of the one before gets the candidates of voting again, and
 * the votes are those a scan of every posting counts (of the recordings allowed only). The
 * index keeps each recording's peaks, and verification (query/verify.ts) finds the pairs of
 * a clip's dense landmarks at an alignment from them as from the index's postings.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { parseDegradations } from '../src/bench/degrade.js';
import { renderClip } from '../src/bench/render.js';
import { EXT_NONE, FINGERPRINT } from '../src/fingerprint/config.js';
import { fingerprintInput, fingerprintPcm } from '../src/fingerprint/fingerprinter.js';
import { commitRecordings, compactIndex, extOf, frameOf, IndexReader, readStaging, type LookupResult } from '../src/index/api.js';
import { runFingerprintJob } from '../src/pipeline/jobs/handlers.js';
import { QUERY } from '../src/query/config.js';
import { matchHits, type MatchOutput } from '../src/query/match.js';
import { pairCheck, type Alignment, type PairEvidence } from '../src/query/pair-check.js';
import { queryHashes, type QueryHashes } from '../src/query/query-hashes.js';
import { selectRarest } from '../src/query/select-hashes.js';
import { evidenceAt } from '../src/query/verify.js';
import type { RecordingSource, Reciter } from '../src/types.js';
import { CORPUS, tempDir } from './helpers/env.js';

const NAMES = ['114001', '114002', '114003', '114004', '114005', '114006'];

function sources(folder: string): RecordingSource[] {
  return NAMES.map((n) => ({
    path: path.join(CORPUS, folder, `${n}.mp3`),
    relPath: `${n}.mp3`,
    ref: { surah: 114, ayah: Number(n.slice(3)) },
    kind: 'ayah' as const,
    timeline: [{ surah: 114, ayah: Number(n.slice(3)), start: 0, end: 0 }],
  }));
}

async function add(indexDir: string, reciter: Reciter): Promise<void> {
  const job = await runFingerprintJob({ buildId: `b-${reciter.id}`, indexDir, reciterId: reciter.id, batchKey: '00000', sources: sources(reciter.id) });
  await commitRecordings(indexDir, { reciter, staged: readStaging(job.stagingFile), replaceRelPaths: [] });
}

/** The pair check of one alignment, by a scan of every posting of every row. */
function scanned(q: QueryHashes, found: LookupResult, a: Alignment): PairEvidence {
  const times = new Set<number>();
  let postings = 0;
  found.rows.forEach((row, i) => {
    const tqs = q.timesOf.get(found.hashes[i]) ?? [];
    for (let p = 0; p < row.length; p += 2) {
      if (row[p] !== a.recordingId) continue;
      postings += tqs.length;
      for (const tq of tqs) {
        const x = frameOf(row[p + 1]) - (1 + a.slope) * tq - (a.startFrame - 2);
        if (x >= 0 && x < QUERY.scoreWindow) times.add(tq);
      }
    }
  });
  return { pairsOnly: Math.max(0, times.size - a.aligned), postings };
}

/** Whether a posting's extension `ext` is within the tolerance of the clip's candidate `c` (match.ts: votes). */
function extAccepts(ext: number, c: number, q: QueryHashes): boolean {
  if (c === EXT_NONE || ext === EXT_NONE) return c === ext;
  const [dt, df, cdt, cdf] = [ext >>> 6, ext & 0x3f, c >>> 6, c & 0x3f];
  const slack = Math.max(q.tolerance.dtMin, Math.round(cdt * q.tolerance.dtRelative));
  return Math.abs(dt - cdt) <= slack && Math.abs(df - cdf) <= q.tolerance.df;
}

/** Votes of `found` by a scan of every posting: each allowed posting once for each of its hash's query times one of whose extensions accepts its own. */
function scannedVotes(q: QueryHashes, found: LookupResult, allowed: Uint8Array): { totalHits: number; competitors: number } {
  let totalHits = 0;
  const recordings = new Set<number>();
  found.rows.forEach((row, i) => {
    const times = q.timesOf.get(found.hashes[i]) ?? [];
    const exts = q.extsOf.get(found.hashes[i]) ?? [];
    for (let p = 0; p < row.length; p += 2) {
      if (!allowed[row[p]]) continue;
      times.forEach((_, j) => {
        if (!exts.slice(j * q.extsPer, (j + 1) * q.extsPer).some((c) => extAccepts(extOf(row[p + 1]), c, q))) return;
        totalHits++;
        recordings.add(row[p]);
      });
    }
  });
  return { totalHits, competitors: recordings.size };
}

/** Whether every row of `found` lists its postings in recording order. */
function inRecordingOrder(rows: Uint32Array[]): boolean {
  return rows.every((row) => row.every((v, i) => i % 2 === 1 || i < 2 || v >= row[i - 2]));
}

describe('the pair check', () => {
  const indexDir = path.join(tempDir('ayah-home-'), 'index');
  let clip: Float32Array;

  before(async () => {
    await add(indexDir, { id: 'akhdar', nameEn: 'Ibrahim Al-Akhdar', riwayah: 'hafs' });
    await add(indexDir, { id: 'salama', nameEn: 'Yasser Salama', riwayah: 'hafs' });
    // The benchmark's reverberation (RT60 0.5 s, 0 dB direct-to-reverberant) of 4 s of salama 114:3.
    [clip] = await renderClip({
      name: 'salama 114:3 reverb',
      source: { kind: 'file', path: path.join(CORPUS, 'salama', '114003.mp3'), startS: 0.2, durationS: 4 },
      seed: 1,
      degradations: parseDegradations('reverb'),
    });
  });

  it('reads rows whose postings are in recording order, from two segments and from their compaction', async () => {
    const hashes = new Set<number>();
    for (const folder of ['akhdar', 'salama'])
      for (const s of sources(folder)) for (const h of (await fingerprintInput(s.path)).landmarks.hashes) hashes.add(h);
    for (const stage of ['two segments', 'compacted']) {
      if (stage === 'compacted') await compactIndex(indexDir);
      const reader = await IndexReader.open(indexDir);
      const found = await reader.lookup([...hashes]);
      const several = found.rows.filter((row) => row.length >= 4 && row[0] !== row[row.length - 2]);
      assert.ok(several.length > 200, `${stage}: ${several.length} rows with postings of several recordings`);
      assert.ok(inRecordingOrder(found.rows), `${stage}: postings in recording order`);
      reader.close();
    }
  });

  it('finds the pairs of a reverberant clip at its alignment, as a scan of every posting does, beyond its votes', async () => {
    const reader = await IndexReader.open(indexDir);
    const q = queryHashes(fingerprintPcm(clip, FINGERPRINT, QUERY.extsPer).landmarks, 0);
    const found = await reader.lookup(q.distinct);
    const best = matchHits(q, found, reader.allowed(() => true)).candidates[0];
    const rec = (await reader.recordings([best.recordingId])).get(best.recordingId)!;
    assert.deepEqual([rec.reciterId, rec.relPath], ['salama', '114003.mp3']);
    const [at] = pairCheck(q, found, [best], QUERY.scoreWindow);
    assert.deepEqual(at, best.pairs, 'the check matchHits made');
    assert.ok(at.pairsOnly >= 1, `${at.pairsOnly} pairs besides ${best.aligned} votes`);
    // The same alignment and others, and the other recordings, against a scan of every posting.
    const others = [-60, -20, -3, -2, -1, 1, 2, 3, 20, 60].map((shift) => ({ ...best, startFrame: best.startFrame + shift }));
    const sloped = [-0.04, 0.04].map((d) => ({ ...best, slope: best.slope + d }));
    const elsewhere = [0, 3, 7].map((recordingId) => ({ ...best, recordingId }));
    const alignments = [best, ...others, ...sloped, ...elsewhere];
    const checked = pairCheck(q, found, alignments, QUERY.scoreWindow);
    alignments.forEach((a, k) => assert.deepEqual(checked[k], scanned(q, found, a), `alignment ${k}`));
    assert.ok(checked.slice(1).every((c) => c.pairsOnly < at.pairsOnly + best.aligned), 'fewer pairs off the alignment than on it');
    reader.close();
  });
  it("keeps every recording's peaks, and verifies a candidate against them as against the postings of the clip's dense hashes", async () => {
    const reader = await IndexReader.open(indexDir);
    const ids = [...Array(reader.stats().recordings).keys()];
    const recs = await reader.recordings(ids);
    const peaks = await reader.peaks([...ids].reverse()); // asked for out of the table's order: each recording's own
    for (const id of ids) {
      const { times, bins, length } = (await fingerprintInput(recs.get(id)!.path)).peaks;
      assert.deepEqual(peaks.get(id), { times, bins, length }, `recording ${id}: the fingerprint's peaks, through the compaction above`);
    }
    const q = queryHashes(fingerprintPcm(clip, FINGERPRINT, QUERY.extsPer).landmarks, 0);
    const best = matchHits(q, await reader.lookup(q.distinct), reader.allowed(() => true)).candidates[0];
    const dense = queryHashes(fingerprintPcm(clip, { ...FINGERPRINT, ...QUERY.verify.fingerprint }).landmarks, 0);
    assert.ok(dense.distinct.length > 2 * q.distinct.length, `${dense.distinct.length} dense hashes, ${q.distinct.length} of the index's fingerprint`);
    const rows = await reader.lookup(dense.distinct);
    const at = (a: Alignment) => evidenceAt(a, dense, clip.length / FINGERPRINT.sampleRate, peaks.get(a.recordingId)!).evidence;
    const moved = [-60, -20, 20, 60].map((shift) => ({ ...best, startFrame: best.startFrame + shift }));
    const elsewhere = ids.filter((id) => id !== best.recordingId).map((recordingId) => ({ ...best, recordingId }));
    for (const a of [best, ...moved, ...elsewhere]) assert.deepEqual(at(a), pairCheck(dense, rows, [a], QUERY.scoreWindow)[0], `${a.recordingId} at ${a.startFrame}: the landmarks made again from its peaks are its postings`);
    const found = at(best);
    assert.ok(found.pairsOnly > (best.pairs?.pairsOnly ?? 0), `${found.pairsOnly} dense pairs besides ${best.aligned} votes (the index's fingerprint: ${best.pairs?.pairsOnly})`);
    // All pairs at an alignment, votes' instants included: several times more at the clip's own than anywhere else.
    const all = (a: Alignment) => at({ ...a, aligned: 0 }).pairsOnly;
    const most = Math.max(...[...moved, ...elsewhere].map(all));
    assert.ok(all(best) >= 3 * most, `${all(best)} pairs at the alignment, at most ${most} elsewhere`);
    reader.close();
  });
  it('votes every posting whose third peak one of the clip\'s accepts, as a scan does, and only of the recordings allowed', async () => {
    const reader = await IndexReader.open(indexDir);
    const landmarks = fingerprintPcm(clip, FINGERPRINT, QUERY.extsPer).landmarks;
    for (const tolerance of [0, 0.06]) {
      const q = queryHashes(landmarks, tolerance);
      const found = await reader.lookup(q.distinct);
      const every = reader.allowed(() => true);
      const all = matchHits(q, found, every);
      assert.deepEqual({ totalHits: all.totalHits, competitors: all.competitors }, scannedVotes(q, found, every), `tolerance ${tolerance}`);
      assert.ok(all.totalHits > 20, `${all.totalHits} votes`);
      // Without salama (the clip's reciter): its recordings neither vote nor answer.
      const akhdar = reader.allowed((r) => r.id === 'akhdar');
      const some = matchHits(q, found, akhdar);
      assert.deepEqual({ totalHits: some.totalHits, competitors: some.competitors }, scannedVotes(q, found, akhdar), `tolerance ${tolerance}, akhdar only`);
      assert.ok(some.totalHits < all.totalHits);
      assert.ok(some.candidates.every((c) => akhdar[c.recordingId] === 1));
    }
    reader.close();
  });
  it('gives the next step of the exact pass the same candidates from the hits it carries as from voting again', async () => {
    const reader = await IndexReader.open(indexDir);
    const allowed = reader.allowed(() => true);
    const landmarks = fingerprintPcm(clip, FINGERPRINT, QUERY.extsPer).landmarks;
    const all = queryHashes(landmarks, 0);
    const [first, second] = [60, 400].map((maxHashes) => selectRarest(all, reader.hashCounts, { maxHashes, maxPostings: 1e9 }));
    const [firstFound, secondFound] = [await reader.lookup(first.distinct), await reader.lookup(second.distinct)];
    const { hits } = matchHits(first, firstFound, allowed, QUERY, { keep: true });
    assert.ok(hits && hits.keys.length > 20, `${hits?.keys.length} hits carried`);
    const result = ({ candidates, competitors, totalHits }: MatchOutput) => ({ candidates, competitors, totalHits });
    const again = result(matchHits(second, secondFound, allowed));
    assert.ok(again.candidates.length > 0);
    assert.deepEqual(result(matchHits(second, secondFound, allowed, QUERY, { from: hits })), again);
    // The carried hits stand for the first step's postings: without its rows, the same alignments (the pair
    // check, which reads the rows, aside); without either, others.
    const rest = { hashes: [] as number[], rows: [] as Uint32Array[] };
    secondFound.hashes.forEach((h, i) => {
      if (hits.hashes.has(h)) return;
      rest.hashes.push(h);
      rest.rows.push(secondFound.rows[i]);
    });
    const votes = (m: MatchOutput) => ({ ...result(m), candidates: m.candidates.map(({ pairs: _, ...c }) => c) });
    assert.deepEqual(votes(matchHits(second, rest, allowed, QUERY, { from: hits })), votes(matchHits(second, secondFound, allowed)));
    assert.notDeepEqual(votes(matchHits(second, rest, allowed)), votes(matchHits(second, secondFound, allowed)));
    // Hits voted another way (the tempo pass's tolerance) are not carried: voting again instead.
    const tempo = matchHits(selectRarest(queryHashes(landmarks, 0.06), reader.hashCounts, { maxHashes: 60, maxPostings: 1e9 }), firstFound, allowed, QUERY, { keep: true }).hits;
    assert.deepEqual(result(matchHits(second, secondFound, allowed, QUERY, { from: tempo })), again);
    reader.close();
  });
});
