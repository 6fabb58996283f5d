/**
 * Pending peaks (PeakPicker.pending, Fingerprinter.pendingPeaks): follow mode matches a live
 * input's newest audio before its ~1 s density block closes. On a real recitation streamed
 * in small pieces: reading them changes nothing of the final peaks, they lie in the open
 * block, up to the audio looked at, and most of them are that block's final peaks.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FINGERPRINT } from '../src/fingerprint/config.js';
import { decodeAll } from '../src/fingerprint/decode.js';
import { Fingerprinter, fingerprintPcm } from '../src/fingerprint/fingerprinter.js';
import { CORPUS } from './helpers/env.js';

describe('pending peaks of a live input', () => {
  it('are a provisional, read-only view of the open density block', async () => {
    const pcm = await decodeAll(path.join(CORPUS, 'akhdar', '113005.mp3'), { sampleRate: FINGERPRINT.sampleRate });
    const fp = new Fingerprinter();
    const finals: { times: number[]; bins: number[] } = { times: [], bins: [] };
    const pendings: { from: number; to: number; peaks: string[] }[] = [];
    const piece = 800; // 0.1 s
    for (let i = 0; i < pcm.length; i += piece) {
      fp.push(pcm.subarray(i, i + piece));
      const d = fp.drainPeaks();
      finals.times.push(...d.times);
      finals.bins.push(...d.bins);
      const p = fp.pendingPeaks();
      const from = Math.round((fp.finalSeconds * FINGERPRINT.sampleRate) / FINGERPRINT.hop);
      const to = Math.round((fp.evaluatedSeconds * FINGERPRINT.sampleRate) / FINGERPRINT.hop);
      assert.ok(to >= from);
      for (let k = 0; k < p.length; k++) {
        assert.ok(p.times[k] >= from && p.times[k] < to, `pending peak at frame ${p.times[k]} outside the open block's frames looked at [${from}, ${to})`);
        if (k) assert.ok(p.times[k] >= p.times[k - 1], 'in time order');
      }
      pendings.push({ from, to, peaks: Array.from({ length: p.length }, (_, k) => `${p.times[k]}:${p.bins[k]}`) });
    }
    const last = fp.finishPeaks();
    finals.times.push(...last.times);
    finals.bins.push(...last.bins);
    // Reading the pending peaks changed nothing: the final peaks are those of the file fingerprinted at once.
    const whole = fingerprintPcm(pcm).peaks;
    assert.deepEqual(finals.times, Array.from(whole.times.subarray(0, whole.length)));
    assert.deepEqual(finals.bins, Array.from(whole.bins.subarray(0, whole.length)));
    // Most pending peaks are final peaks once their block closes (the strongest of a part of the block are mostly the strongest of all of it).
    const final = new Set(finals.times.map((t, k) => `${t}:${finals.bins[k]}`));
    const all = pendings.flatMap((p) => p.peaks);
    const kept = all.filter((k) => final.has(k)).length;
    assert.ok(all.length > 100, `${all.length} pending peaks seen`);
    assert.ok(kept / all.length > 0.8, `${kept} of ${all.length} pending peaks final`);
  });
});
