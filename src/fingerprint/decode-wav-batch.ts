/**
 * decode-wav-batch: many WAV inputs resampled by one ffmpeg run over one raw stream, with the
 * very samples decoding each file on its own gives.
 *
 * ffmpeg spends ~8-10 ms of CPU setting up each input of a multi-input run, however short
 * the input (docs/benchmarks.md): for a batch of 5-second clips that is most of what
 * decoding costs. A WAV file's samples are read here (wav.ts) and the clips of one rate and
 * channel count are laid end to end in one float stream for one ffmpeg input, which resamples
 * and downmixes them as it would each file. The stream reproduces what ffmpeg's resampler
 * (swresample) does at the edges of a file: before a clip, its first samples mirrored (the
 * first one not repeated); after it, its last samples mirrored (the last one repeated); and
 * silence between clips, longer than the resampling filter, so that clips do not mix. Each
 * clip starts on an output sample, and is cut to the length ffmpeg gives a file of its length
 * (`resampledLength`). Checked sample for sample against decoding each file alone
 * (test/decode-wav-batch.test.ts) with the bundled ffmpeg (4.x); another one (FFMPEG_PATH) may
 * flush its resampler otherwise, and that test says so.
 */
import { spawn } from 'node:child_process';
import { ffmpegPath } from './ffmpeg-path.js';
import { trackChild } from './children.js';
import { ffmpegInputArgs } from './ffmpeg-input.js';
import { readWavInto, wavFormat, type WavFormat } from './wav.js';

/** swresample's defaults, which the lengths of its output follow: filter size and cutoff. */
const SWR_FILTER_SIZE = 32;
const SWR_CUTOFF = 0.97;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The taps of swresample's filter from `inRate` to `outRate` (downsampling; upsampling is not
 * done here), as the lengths ffmpeg 4's output follow: ceil(filter size / factor), made even
 * (fitted on 175 lengths of 7 rates, docs/benchmarks.md).
 */
function filterLength(inRate: number, outRate: number): number {
  const factor = Math.min((outRate * SWR_CUTOFF) / inRate, 1);
  const taps = Math.max(Math.ceil(SWR_FILTER_SIZE / factor), 1);
  return taps + (taps & 1);
}

/**
 * The samples ffmpeg outputs at `outRate` for `n` input samples at `inRate` (>= outRate): the
 * outputs whose filter fits in the input, then those that fit once the end is mirrored (half
 * the samples not yet consumed, rounded up), as swresample flushes.
 */
export function resampledLength(n: number, inRate: number, outRate: number): number {
  if (inRate === outRate) return n;
  const L = filterLength(inRate, outRate);
  const h = Math.floor((L - 1) / 2);
  const start = (j: number) => Math.floor((j * inRate) / outRate) - h;
  let j = Math.max(0, Math.floor(((n - L + h) * outRate) / inRate) - 2);
  while (start(j) + L <= n) j++;
  while (j > 0 && start(j - 1) + L > n) j--;
  const extra = Math.floor((n - start(j) + 1) / 2);
  while (start(j) + L <= n + extra) j++;
  return j;
}

/** A WAV input: its format, the frames used, and where they sit in its group's stream. */
interface Placed {
  index: number;
  path: string;
  format: WavFormat;
  frames: number;
  at: number;
}

/**
 * The inputs of `paths` that are plain WAV files at `outRate` or above, mono float PCM at
 * `outRate` (the first `maxSeconds`), by position; undefined for the others (ffmpeg decodes
 * them as usual) and for all of a group whose run failed. `resample: false`: only files already
 * mono at `outRate` (read, no ffmpeg run); the others are left undefined.
 */
export async function decodeWavBatch(paths: string[], opts: { sampleRate: number; maxSeconds: number; resample?: boolean }): Promise<(Float32Array | undefined)[]> {
  const out: (Float32Array | undefined)[] = paths.map(() => undefined);
  const groups = new Map<string, Placed[]>();
  paths.forEach((path, index) => {
    const format = wavFormat(path);
    if (!format) return;
    const frames = Math.min(format.frames, Math.ceil(opts.maxSeconds * format.sampleRate));
    // Too short to mirror (and to identify: identify says so), or upsampled: ffmpeg's own path.
    if (format.sampleRate < opts.sampleRate || frames < 2 * filterLength(format.sampleRate, opts.sampleRate) + 2) return;
    const key = `${format.sampleRate}/${format.channels}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push({ index, path, format, frames, at: 0 });
  });
  await Promise.all(
    [...groups.values()].map(async (clips) => {
      const { sampleRate: rate, channels } = clips[0].format;
      if (rate === opts.sampleRate && channels === 1) {
        for (const c of clips) {
          const pcm = new Float32Array(c.frames);
          if (readWavInto(c.path, c.format, c.frames, pcm)) out[c.index] = pcm;
        }
        return;
      }
      if (opts.resample === false) return;
      const pcm = await resampleAll(clips, rate, channels, opts.sampleRate);
      if (!pcm) return;
      for (const c of clips) {
        const from = (c.at * opts.sampleRate) / rate;
        out[c.index] = pcm.subarray(from, from + resampledLength(c.frames, rate, opts.sampleRate));
      }
    }),
  );
  return out;
}

/**
 * Lays `clips` out in one stream (setting each one's `at`) and resamples it with one ffmpeg,
 * a clip at a time through one buffer; undefined if a file could not be read or the run
 * failed.
 */
async function resampleAll(clips: Placed[], rate: number, channels: number, outRate: number): Promise<Float32Array | undefined> {
  // Each clip starts on a whole multiple of `step` frames (one output sample's worth of input
  // frames, exactly), so that it starts on an output sample; mirrors and the silence between
  // clips are longer than the filter.
  const step = rate / gcd(rate, outRate);
  const pad = filterLength(rate, outRate) + 1;
  const onStep = (x: number) => step * Math.ceil(x / step);
  let end = 0;
  for (const c of clips) {
    c.at = onStep(end + 2 * pad);
    end = c.at + c.frames + pad;
  }
  const total = end + pad;
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-ar', String(rate), '-ac', String(channels), ...ffmpegInputArgs({ pipe: 0, format: 'f32le' })];
  args.push('-ac', '1', '-ar', String(outRate), '-f', 'f32le', 'pipe:1');
  const child = spawn(ffmpegPath(), args, { stdio: ['pipe', 'pipe', 'ignore'] });
  const untrack = trackChild(child);
  const closed = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code));
  });
  // The output, read into one array as it comes (its length is known but for a few samples).
  const pcm = new Float32Array(Math.ceil((total * outRate) / rate) + 64);
  const bytes = new Uint8Array(pcm.buffer);
  let written = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    const n = Math.min(chunk.length, bytes.length - written);
    bytes.set(n === chunk.length ? chunk : chunk.subarray(0, n), written);
    written += n;
  });
  child.stdin!.on('error', () => {}); // a failed run is told by its exit code
  const write = (piece: Float32Array) => new Promise<void>((resolve) => child.stdin!.write(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength), () => resolve()));
  // One piece per clip: the silence since the last clip, its first frames mirrored, its
  // frames, its last frames mirrored; the buffer is reused once ffmpeg has the piece.
  let piece = new Float32Array(0);
  let from = 0;
  let ok = true;
  for (const c of clips) {
    const length = (c.at + c.frames + pad - from) * channels;
    if (piece.length < length) piece = new Float32Array(length);
    const view = piece.subarray(0, length);
    view.fill(0);
    const x = view.subarray((c.at - from) * channels, (c.at - from + c.frames) * channels);
    if (!readWavInto(c.path, c.format, c.frames, x)) {
      ok = false;
      break;
    }
    const base = (c.at - from) * channels;
    const copyFrame = (to: number, src: number) => view.copyWithin(base + to * channels, base + src * channels, base + (src + 1) * channels);
    for (let k = 1; k <= pad; k++) copyFrame(-k, Math.min(k, c.frames - 1)); // the first frame not repeated
    for (let k = 0; k < pad; k++) copyFrame(c.frames + k, Math.max(c.frames - 1 - k, 0)); // the last frame repeated
    await write(view);
    from = c.at + c.frames + pad;
  }
  if (ok) await write(new Float32Array((total - from) * channels));
  child.stdin!.end();
  if (!ok) child.kill('SIGKILL');
  const code = await closed;
  untrack();
  return ok && code === 0 ? pcm : undefined;
}
