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
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
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

export interface WavBatchOptions {
  sampleRate: number;
  maxSeconds: number;
  resample?: boolean;
}

/**
 * WAV batches decoded one after another (an identify call's groups of inputs) through
 * resamplers that last as long as this does: one ffmpeg per input format, started by the
 * first batch that needs it, fed every batch's clips as one continuous stream.
 *
 * Why not an ffmpeg per batch: starting a process forks this one, and after a fork every page
 * this process writes is copied on its first write (copy-on-write faults; costly in a
 * virtual machine). At 1,000 hours an identify process holds ~350 MB: measured in
 * docs/benchmarks.md, one fork per 32 clips cost clips that match nothing ~13 ms each on
 * average and doubled their p99. An identify call's first batch is decoded while the process
 * is still small (before the index's modules load), so its resampler's fork is cheap.
 */
export class WavResampling {
  private readonly resamplers = new Map<string, StreamResampler>();
  /** Once closed, batches that need resampling are left to ffmpeg's own decoding (no new resampler). */
  private closed = false;

  /**
   * The inputs of `paths` that are plain WAV files at `outRate` or above, mono float PCM at
   * `outRate` (the first `maxSeconds`), by position; undefined for the others (ffmpeg decodes
   * them as usual) and for all of a format whose resampler failed. `resample: false`: only
   * files already mono at `outRate` (read, no ffmpeg run); the others are left undefined.
   */
  async decode(paths: string[], opts: WavBatchOptions): Promise<(Float32Array | undefined)[]> {
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
      [...groups].map(async ([key, clips]) => {
        const { sampleRate: rate, channels } = clips[0].format;
        if (rate === opts.sampleRate && channels === 1) {
          for (const c of clips) {
            const pcm = new Float32Array(c.frames);
            if (readWavInto(c.path, c.format, c.frames, pcm)) out[c.index] = pcm;
          }
          return;
        }
        if (opts.resample === false || this.closed) return;
        const resamplerKey = `${key}>${opts.sampleRate}`;
        let resampler = this.resamplers.get(resamplerKey);
        if (!resampler?.usable) {
          resampler = new StreamResampler(rate, channels, opts.sampleRate);
          this.resamplers.set(resamplerKey, resampler);
        }
        const pcm = await resampler.resample(clips);
        if (pcm) clips.forEach((c, i) => (out[c.index] = pcm[i]));
      }),
    );
    return out;
  }

  /** Whether a resampler was started (a later batch of one clip then uses it too). */
  get started(): boolean {
    return this.resamplers.size > 0;
  }

  /** Ends the resamplers (their ffmpeg processes exit once their input ends). */
  close(): void {
    this.closed = true;
    for (const r of this.resamplers.values()) r.close();
    this.resamplers.clear();
  }
}

/**
 * Silence after each batch, input frames: ffmpeg reads its raw input in packets of 1,024
 * frames and keeps a filter's length of it back, so a batch's last samples come out only
 * once this much more has gone in.
 */
const FLUSH_FRAMES = 4096;
/** Time a batch's samples may take to come out before its resampler is given up (the batch then goes to ffmpeg's own decoding). */
const RESAMPLE_TIMEOUT_MS = 10_000;

/**
 * One ffmpeg resampling a continuous stream of clips of one rate and channel count to mono at
 * `outRate`. Each batch's clips are laid out after the last batch's, each on a whole multiple
 * of `step` frames (one output sample's worth of input frames, exactly), so that it starts on
 * an output sample, with its first and last frames mirrored and silence between clips longer
 * than the filter: each clip comes out as ffmpeg resamples the file alone.
 */
class StreamResampler {
  private readonly child: ChildProcess;
  private readonly untrack: () => void;
  private readonly step: number;
  private readonly pad: number;
  /** Input frames written so far. */
  private end = 0;
  /** Output bytes received so far. */
  private received = 0;
  /** The batch being resampled: where its output goes and how much of it is awaited. */
  private batch?: { fromByte: number; bytes: Uint8Array; needBytes: number; done: (ok: boolean) => void };
  /** Batches wait for the one before. */
  private queue: Promise<unknown> = Promise.resolve();
  private ended = false;

  constructor(
    private readonly rate: number,
    private readonly channels: number,
    private readonly outRate: number,
  ) {
    this.step = rate / gcd(rate, outRate);
    this.pad = filterLength(rate, outRate) + 1;
    const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-ar', String(rate), '-ac', String(channels), ...ffmpegInputArgs({ pipe: 0, format: 'f32le' })];
    // Each packet written out at once: a batch's samples must not wait in ffmpeg's output buffer for the next batch.
    args.push('-ac', '1', '-ar', String(outRate), '-flush_packets', '1', '-f', 'f32le', 'pipe:1');
    this.child = spawn(ffmpegPath(), args, { stdio: ['pipe', 'pipe', 'ignore'] });
    this.untrack = trackChild(this.child);
    const stop = () => {
      this.ended = true;
      this.untrack();
      this.batch?.done(false);
    };
    this.child.on('error', stop);
    this.child.on('close', stop);
    this.child.stdin!.on('error', () => {}); // a failed run is told by its end
    this.child.stdout!.on('data', (chunk: Buffer) => this.take(chunk));
    this.hold(false);
  }

  /** Whether batches can still be given to it. */
  get usable(): boolean {
    return !this.ended;
  }

  /** Each clip resampled (the first `frames` of its file), in order; undefined if a file could not be read or ffmpeg failed. */
  resample(clips: Placed[]): Promise<Float32Array[] | undefined> {
    const run = this.queue.then(() => this.run(clips));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    if (!this.ended) this.child.stdin!.end();
    this.hold(false);
  }

  private async run(clips: Placed[]): Promise<Float32Array[] | undefined> {
    if (this.ended) return undefined;
    const { rate, outRate, channels, pad } = this;
    const onStep = (x: number) => this.step * Math.ceil(x / this.step);
    let end = this.end;
    for (const c of clips) {
      c.at = onStep(end + 2 * pad);
      end = c.at + c.frames + pad;
    }
    end += FLUSH_FRAMES;
    const outFrom = (clips[0].at * outRate) / rate;
    const outTo = Math.ceil((end * outRate) / rate) + 64;
    const last = clips[clips.length - 1];
    const pcm = new Float32Array(outTo - outFrom);
    const written = new Promise<boolean>((done) => {
      this.batch = { fromByte: outFrom * 4, bytes: new Uint8Array(pcm.buffer), needBytes: ((last.at * outRate) / rate + resampledLength(last.frames, rate, outRate)) * 4, done };
    });
    this.hold(true);
    // An ffmpeg that stops giving samples is ended; the batch goes to ffmpeg's own decoding.
    const timer = setTimeout(() => this.child.kill('SIGKILL'), RESAMPLE_TIMEOUT_MS);
    try {
      // One piece per clip: the silence since the last clip, its first frames mirrored, its
      // frames, its last frames mirrored; the buffer is reused once ffmpeg has the piece.
      let piece = new Float32Array(0);
      let from = this.end;
      for (const c of clips) {
        const length = (c.at + c.frames + pad - from) * channels;
        if (piece.length < length) piece = new Float32Array(length);
        const view = piece.subarray(0, length);
        view.fill(0);
        const x = view.subarray((c.at - from) * channels, (c.at - from + c.frames) * channels);
        if (!readWavInto(c.path, c.format, c.frames, x)) {
          // The stream goes on (its clips so far are silence to the next batch); this batch is given to ffmpeg's own decoding.
          this.end = from;
          this.batch = undefined;
          return undefined;
        }
        const base = (c.at - from) * channels;
        const copyFrame = (to: number, src: number) => view.copyWithin(base + to * channels, base + src * channels, base + (src + 1) * channels);
        for (let k = 1; k <= pad; k++) copyFrame(-k, Math.min(k, c.frames - 1)); // the first frame not repeated
        for (let k = 0; k < pad; k++) copyFrame(c.frames + k, Math.max(c.frames - 1 - k, 0)); // the last frame repeated
        await this.write(view);
        from = c.at + c.frames + pad;
      }
      await this.write(new Float32Array((end - from) * channels));
      this.end = end;
      if (!(await written)) return undefined;
      return clips.map((c) => {
        const at = (c.at * outRate) / rate - outFrom;
        return pcm.subarray(at, at + resampledLength(c.frames, rate, outRate));
      });
    } finally {
      clearTimeout(timer);
      this.batch = undefined;
      this.hold(false);
    }
  }

  /** Output bytes: those of the batch being resampled are kept, the silence before it dropped. */
  private take(chunk: Buffer): void {
    const at = this.received;
    this.received += chunk.length;
    const b = this.batch;
    if (!b) return;
    const from = Math.max(at, b.fromByte);
    const to = Math.min(this.received, b.fromByte + b.bytes.length);
    if (to > from) b.bytes.set(chunk.subarray(from - at, to - at), from - b.fromByte);
    if (this.received >= b.needBytes) b.done(true);
  }

  private write(piece: Float32Array): Promise<void> {
    return new Promise<void>((resolve) => this.child.stdin!.write(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength), () => resolve()));
  }

  /**
   * Whether the process and its pipes keep this process alive: while a batch is awaited. An
   * idle resampler does not (it is killed when this process exits).
   */
  private hold(on: boolean): void {
    for (const handle of [this.child, this.child.stdin as Socket, this.child.stdout as Socket]) {
      if (on) handle.ref();
      else handle.unref();
    }
  }
}
