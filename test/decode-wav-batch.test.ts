/**
 * WAV inputs read here and resampled together (src/fingerprint/decode-wav-batch.ts): the very
 * samples ffmpeg gives each file decoded alone, on real recitation made into WAV files of
 * several rates, channel counts and sample encodings with ffmpeg.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { FINGERPRINT } from '../src/fingerprint/config.js';
import { PcmCollector } from '../src/fingerprint/decode.js';
import { decodeBatch } from '../src/fingerprint/decode-batch.js';
import { resampledLength, WavResampling, type WavBatchOptions } from '../src/fingerprint/decode-wav-batch.js';
import { CORPUS, ffmpeg, tempDir } from './helpers/env.js';

const RATE = FINGERPRINT.sampleRate;
const MAX_S = 33;

/** rate, channels, ffmpeg codec, seconds: what each WAV file is made as. */
const MADE: [number, number, string, number][] = [
  [16000, 1, 'pcm_s16le', 5.00003],
  [16000, 1, 'pcm_s16le', 4.2],
  [44100, 2, 'pcm_s16le', 3.3333],
  [48000, 2, 'pcm_s32le', 4.0001],
  [22050, 1, 'pcm_s16le', 2.71],
  [24000, 2, 'pcm_u8', 3.9],
  [11025, 1, 'pcm_f32le', 3.05],
  [44100, 1, 'pcm_s24le', 2.2],
  [32000, 2, 'pcm_s16le', 2.9],
  [8000, 1, 'pcm_s16le', 3.1],
  [8000, 2, 'pcm_s16le', 3.1],
];

async function alone(files: string[]): Promise<Float32Array[]> {
  const pcm: PcmCollector[] = [];
  const outcomes = await decodeBatch(files, (i) => (pcm[i] = new PcmCollector()), { sampleRate: RATE, durationS: MAX_S, retries: 0 });
  assert.ok(outcomes.every((o) => o.ok));
  return pcm.map((p) => p.samples());
}

/** One batch through resamplers of its own, ended after it. */
async function decodeWavBatch(paths: string[], opts: WavBatchOptions): Promise<(Float32Array | undefined)[]> {
  const resampling = new WavResampling();
  try {
    return await resampling.decode(paths, opts);
  } finally {
    resampling.close();
  }
}

describe('WAV inputs resampled together', () => {
  const dir = tempDir('ayah-wav-');
  const files: string[] = [];
  const other: string[] = [];
  before(() => {
    const sources = fs.readdirSync(path.join(CORPUS, 'alafasy', '112')).map((f) => path.join(CORPUS, 'alafasy', '112', f));
    MADE.forEach(([rate, channels, codec, seconds], i) => {
      const file = path.join(dir, `w${i}.wav`);
      ffmpeg(['-i', sources[i % sources.length], '-t', String(seconds), '-ar', String(rate), '-ac', String(channels), '-c:a', codec, file]);
      files.push(file);
    });
    // Not read here: another codec, 64-bit float (ffmpeg resamples it in double precision), an upsampled rate, too short.
    for (const [name, args] of [
      ['a.mp3', []],
      ['f64.wav', ['-c:a', 'pcm_f64le', '-ar', '16000']],
      ['low.wav', ['-ar', '6000']],
      ['short.wav', ['-ar', '16000', '-t', '0.005']],
    ] as [string, string[]][]) {
      const file = path.join(dir, name);
      ffmpeg(['-i', sources[0], '-t', '2', ...args, file]);
      other.push(file);
    }
  });

  it('gives every WAV file the samples ffmpeg gives it decoded alone, to the last bit and sample', async () => {
    const together = await decodeWavBatch(files, { sampleRate: RATE, maxSeconds: MAX_S });
    const expected = await alone(files);
    files.forEach((file, i) => {
      const [rate, channels] = MADE[i];
      assert.ok(together[i], `${rate} Hz, ${channels} channel(s): read here`);
      assert.equal(together[i]!.length, expected[i].length, `${rate} Hz, ${channels} channel(s): the same length`);
      assert.deepEqual(together[i], expected[i], `${rate} Hz, ${channels} channel(s): the same samples`);
    });
  });

  it('gives each file of batch after batch its own samples through one resampler per format, as an identify call does', async () => {
    const expected = await alone(files);
    const resampling = new WavResampling();
    try {
      // Batches in the order an identify call's groups come: formats repeating, a batch of one, a file twice.
      const batches = [[0, 2, 3], [2, 1, 4, 0], [3], [5, 6, 7, 8, 2, 2], [9, 10, 1]];
      for (const batch of batches) {
        const got = await resampling.decode(
          batch.map((i) => files[i]),
          { sampleRate: RATE, maxSeconds: MAX_S },
        );
        batch.forEach((i, k) => {
          const [rate, channels] = MADE[i];
          assert.ok(got[k], `batch ${batch}: ${rate} Hz, ${channels} channel(s) read here`);
          assert.deepEqual(got[k], expected[i], `batch ${batch}: ${rate} Hz, ${channels} channel(s): the same samples as alone`);
        });
      }
      assert.ok(resampling.started);
    } finally {
      resampling.close();
    }
  });

  it('leaves other inputs to ffmpeg, and reads the WAV files among them', async () => {
    const mixed = [other[0], files[0], other[1], other[2], files[2], other[3]];
    const got = await decodeWavBatch(mixed, { sampleRate: RATE, maxSeconds: MAX_S });
    assert.deepEqual(got.map((g) => g !== undefined), [false, true, false, false, true, false]);
    assert.deepEqual(got[1], (await alone([files[0]]))[0]);
  });

  it('without resampling, reads only the files already mono at the fingerprint rate', async () => {
    const mono8k = MADE.findIndex(([rate, channels]) => rate === RATE && channels === 1);
    const got = await decodeWavBatch(files, { sampleRate: RATE, maxSeconds: MAX_S, resample: false });
    assert.deepEqual(
      got.map((g) => g !== undefined),
      files.map((_, i) => i === mono8k),
    );
    assert.deepEqual(got[mono8k], (await alone([files[mono8k]]))[0]);
  });

  it('knows how many samples ffmpeg makes of a file of any length', async () => {
    for (const rate of [16000, 22050, 44100, 48000]) {
      const lengths = [rate + 1, rate + 7, Math.round(2.345 * rate), 3 * rate + 13];
      const made = lengths.map((n, k) => {
        const file = path.join(dir, `len-${rate}-${k}.wav`);
        ffmpeg(['-i', path.join(CORPUS, 'basit-warsh', 'audio', '001.mp3'), '-ac', '1', '-af', `aresample=${rate},atrim=end_sample=${n}`, file]);
        return file;
      });
      const decoded = await alone(made);
      lengths.forEach((n, k) => assert.equal(resampledLength(n, rate, RATE), decoded[k].length, `${n} samples at ${rate} Hz`));
    }
  });
});
