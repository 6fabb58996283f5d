/**
 * Speed-invariant landmarks (fingerprint v3) on a real recitation played 6 % faster and 6 %
 * slower by ffmpeg (rubberband, pitch and tempo together): ~1 in 12 of the clip's speed keys are
 * the recording's at the place and speed the change says, where its exact hashes are not;
 * and the speed probe finds the recording and its speed from them.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { HASH_SPACE, SPEED_KEY_BASE } from '../src/fingerprint/config.js';
import { decodeAll } from '../src/fingerprint/decode.js';
import { fingerprintPcm } from '../src/fingerprint/fingerprinter.js';
import type { Landmarks } from '../src/fingerprint/landmarks.js';
import { indexedLandmarks, isSpeedKey, speedLandmarksOf } from '../src/fingerprint/speed-landmarks.js';
import { postingWord } from '../src/index/postings.js';
import { QUERY } from '../src/query/config.js';
import { factorsToConfirm, probeSpeeds } from '../src/query/speed-probe.js';
import { CORPUS, ffmpeg, tempDir } from './helpers/env.js';

const SOURCE = path.join(CORPUS, 'salama', '078040.mp3');

async function pcmAt(speed: number): Promise<Float32Array> {
  if (speed === 1) return decodeAll(SOURCE, { sampleRate: 8000 });
  const out = path.join(tempDir('ayah-speed-'), 'clip.wav');
  ffmpeg(['-i', SOURCE, '-af', `rubberband=tempo=${speed}:pitch=${speed}`, out]);
  return decodeAll(out, { sampleRate: 8000 });
}

/** Landmarks of `clip` that `rec` has at the place a clip `speed` times as fast puts them (recording time = speed × clip time, ± 3 frames). */
function aligned(clip: Landmarks, rec: Landmarks, speed: number): number {
  const at = new Map<number, number[]>();
  for (let i = 0; i < rec.length; i++) at.set(rec.hashes[i], [...(at.get(rec.hashes[i]) ?? []), rec.times[i]]);
  let n = 0;
  for (let i = 0; i < clip.length; i++) if ((at.get(clip.hashes[i]) ?? []).some((t) => Math.abs(t - speed * clip.times[i]) <= 3)) n++;
  return n;
}

describe('speed-invariant landmarks', () => {
  it('a clip played 6 % faster or slower keeps many speed keys where the recording has them, and few exact hashes', async () => {
    const rec = fingerprintPcm(await pcmAt(1));
    const recSpeed = speedLandmarksOf(rec.peaks);
    assert.ok(recSpeed.length > 300, `${recSpeed.length} speed landmarks`);
    for (let i = 0; i < recSpeed.length; i++) assert.ok(recSpeed.hashes[i] >= SPEED_KEY_BASE && recSpeed.hashes[i] < HASH_SPACE && isSpeedKey(recSpeed.hashes[i]));
    for (const speed of [1.06, 0.94]) {
      const clip = fingerprintPcm(await pcmAt(speed));
      const clipSpeed = speedLandmarksOf(clip.peaks);
      const keptSpeed = aligned(clipSpeed, recSpeed, speed) / clipSpeed.length;
      const keptExact = aligned(clip.landmarks, rec.landmarks, speed) / clip.landmarks.length;
      assert.ok(keptSpeed > 0.05, `speed ${speed}: ${(100 * keptSpeed).toFixed(1)} % of speed keys aligned`);
      assert.ok(keptExact < keptSpeed / 10, `speed ${speed}: exact ${(100 * keptExact).toFixed(1)} % against speed keys ${(100 * keptSpeed).toFixed(1)} %`);
    }
  });

  it('the index keeps exact landmarks then speed landmarks, each speed landmark with its anchor bin', async () => {
    const fp = fingerprintPcm(await pcmAt(1));
    const both = indexedLandmarks(fp.landmarks, fp.peaks);
    const speed = speedLandmarksOf(fp.peaks);
    assert.equal(both.length, fp.landmarks.length + speed.length);
    assert.deepEqual(both.hashes.subarray(0, fp.landmarks.length), fp.landmarks.hashes);
    assert.deepEqual(both.exts.subarray(fp.landmarks.length), speed.exts);
    assert.ok(both.hashes.subarray(0, fp.landmarks.length).every((h) => !isSpeedKey(h)));
  });

  it('the probe finds the recording and its speed among others', async () => {
    const rec = speedLandmarksOf(fingerprintPcm(await pcmAt(1)).peaks);
    // The recording is id 3 of 6; the others hold its landmarks moved in time (no alignment) or other keys.
    const rows = new Map<number, number[]>();
    const post = (h: number, id: number, t: number, bin: number) => rows.set(h, [...(rows.get(h) ?? []), id, postingWord(t, bin)]);
    for (let i = 0; i < rec.length; i++) {
      post(rec.hashes[i], 3, rec.times[i], rec.exts[i]);
      post(rec.hashes[i], 5, (rec.times[i] * 7919) % 5000, rec.exts[i]);
    }
    for (const speed of [1.06, 0.94]) {
      const clip = speedLandmarksOf(fingerprintPcm(await pcmAt(speed)).peaks);
      const keys = [...new Set(clip.hashes)].filter((h) => rows.has(h));
      const found = probeSpeeds(clip, { hashes: keys, rows: keys.map((h) => Uint32Array.from(rows.get(h)!)) }, new Uint8Array(6).fill(1), QUERY.speed.probe);
      assert.equal(found[0]?.recordingId, 3, `speed ${speed}: ${JSON.stringify(found.slice(0, 3))}`);
      assert.ok(Math.abs(found[0].speed - speed) < 0.01, `speed ${speed}: probe says ${found[0].speed}`);
      assert.ok(found.every((c) => c.recordingId !== 5 || c.votes < found[0].votes / 3));
      // Recordings that may not answer do not vote.
      const hidden = new Uint8Array(6).fill(1);
      hidden[3] = 0;
      assert.ok(probeSpeeds(clip, { hashes: keys, rows: keys.map((h) => Uint32Array.from(rows.get(h)!)) }, hidden, QUERY.speed.probe).every((c) => c.recordingId !== 3));
    }
  });

  it('looks at the factor nearest each candidate\'s speed, then the strongest\'s second nearest; never at 1', () => {
    const { factors } = QUERY.speed;
    const c = (speed: number, votes: number) => ({ recordingId: votes, votes, speed });
    assert.deepEqual(factorsToConfirm([c(1.047, 9), c(0.951, 5)], factors, 2), [1.05, 0.95]);
    assert.deepEqual(factorsToConfirm([c(1.047, 9), c(1.052, 5)], factors, 2), [1.05, 1.04]);
    assert.deepEqual(factorsToConfirm([c(1.003, 9)], factors, 2), [1.01, 0.99]);
    assert.deepEqual(factorsToConfirm([], factors, 2), []);
  });
});
