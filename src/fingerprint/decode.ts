/**
 * decode: any audio or video ffmpeg reads (path, or "-" for standard input) to mono
 * float32 PCM at a chosen sample rate, streamed in chunks so long inputs are never held
 * whole in memory. Built on fluent-ffmpeg; the binary comes from ffmpegPath().
 */
import fs from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { AyahError, ExitCode } from '../errors.js';
import { ffmpegPath } from './ffmpeg-path.js';
import { trackChild } from './children.js';
import { ffmpegInput, isStreamInput, refusalReason } from './ffmpeg-input.js';

export interface DecodeOptions {
  sampleRate: number;
  /** Seconds to skip at the start of the input (seek before decoding). */
  startS?: number;
  /** Seconds to decode at most. */
  durationS?: number;
  /** Extra ffmpeg audio filter graph (e.g. degradations in benchmarks), applied before resampling. */
  filter?: string;
  /**
   * Live input (follow mode): probe little before decoding and write every decoded packet at
   * once, so samples leave ffmpeg within a fraction of a second of arriving.
   */
  live?: boolean;
  /** A file still being written (follow mode): at its end, wait for more instead of stopping. */
  growing?: boolean;
  /** What "-" reads instead of standard input (e.g. an HTTP request body). */
  source?: Readable;
  /** Aborting kills ffmpeg and rejects with the signal's reason (a timed-out or abandoned request). */
  signal?: AbortSignal;
}

/** A name for an input in messages: the path, or "<stdin>". */
export function inputName(input: string): string {
  return input === '-' ? '<stdin>' : input;
}

/** Checks that a path input exists and is a regular file or a stream; throws a one-line AyahError otherwise. */
export function assertReadableFile(input: string): void {
  if (isStreamInput(input)) return;
  let st: fs.Stats;
  try {
    st = fs.statSync(input);
  } catch {
    throw new AyahError(`${input}: no such file`, ExitCode.BAD_INPUT);
  }
  if (st.isDirectory()) throw new AyahError(`${input}: is a directory`, ExitCode.BAD_INPUT);
  if (st.size === 0) throw new AyahError(`${input}: empty file`, ExitCode.BAD_INPUT);
}

/** Turns ffmpeg's stderr into one line saying why the input could not be decoded. */
export function ffmpegReason(stderr: string): string {
  const refused = refusalReason(stderr);
  if (refused) return refused;
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const telling = lines.find((l) =>
    /Invalid data found|does not contain any stream|matches no streams|No such file|Invalid argument|could not find codec|Error while decoding|moov atom not found|End of file/i.test(l),
  );
  const line = telling ?? lines[lines.length - 1] ?? 'ffmpeg failed';
  if (/Invalid data found|Invalid argument/i.test(line)) return 'not an audio file ffmpeg can read';
  if (/does not contain any stream|matches no streams/i.test(line)) return 'no audio stream';
  if (/moov atom not found/i.test(line)) return 'truncated or damaged file (moov atom not found)';
  return line.replace(/^\[[^\]]*\]\s*/, '');
}

/**
 * Streams mono float32 samples of `input`. Chunks are whole samples. Rejects (on iteration)
 * with an AyahError naming the input when ffmpeg cannot read it.
 */
export async function* decodeStream(input: string, opts: DecodeOptions): AsyncGenerator<Float32Array> {
  assertReadableFile(input);
  const stream = isStreamInput(input);
  const spec = ffmpegInput(stream ? { pipe: 0 } : { path: input });
  const source: string | Readable = !stream ? spec.url : input === '-' ? (opts.source ?? process.stdin) : fs.createReadStream(input);
  let stderr = '';
  let failure: Error | undefined;
  let settle!: () => void;
  let aborted = false;
  const finished = new Promise<void>((resolve) => (settle = resolve));
  const out = new PassThrough();
  // Loaded here, not with the module: identify decodes files without it (decode-batch.ts).
  const { default: ffmpeg } = await import('fluent-ffmpeg');
  const cmd = ffmpeg(source)
    .setFfmpegPath(ffmpegPath())
    .inputOptions(spec.options)
    .noVideo()
    .audioChannels(1)
    .audioFrequency(opts.sampleRate)
    .format('f32le')
    .outputOptions(['-map', '0:a:0']);
  if (opts.startS) cmd.seekInput(opts.startS);
  if (opts.live) cmd.inputOptions(['-probesize', '32768', '-analyzeduration', '0']).outputOptions(['-flush_packets', '1']);
  if (opts.growing && input !== '-') cmd.inputOptions(['-follow', '1']);
  if (opts.durationS) cmd.duration(opts.durationS);
  if (opts.filter) cmd.audioFilters(opts.filter);
  cmd
    .on('stderr', (line: string) => {
      if (stderr.length < 20000) stderr += line + '\n';
    })
    .on('error', (err: Error) => {
      // fluent-ffmpeg says "Output stream closed" when ffmpeg exits more than 20 ms after its
      // output ended (a loaded machine); with ffmpeg's closing summary logged, the decoding was whole.
      if (!aborted && err.message === 'Output stream closed' && /muxing overhead/.test(stderr)) return settle();
      failure ??= new AyahError(`${inputName(input)}: ${ffmpegReason(stderr || err.message)}`, ExitCode.BAD_INPUT);
      out.destroy();
      settle();
    })
    .on('end', () => settle());
  cmd.pipe(out, { end: true });
  const abort = () => {
    aborted = true;
    failure = opts.signal?.reason instanceof Error ? opts.signal.reason : new AyahError(`${inputName(input)}: decoding aborted`, ExitCode.BAD_INPUT);
    // fluent-ffmpeg spawns ffmpeg asynchronously: one not started yet is killed on 'start'.
    cmd.kill('SIGKILL');
    if (source !== process.stdin && typeof source !== 'string') source.destroy();
    out.destroy();
    settle();
  };
  let untrack = () => {};
  cmd.on('start', () => {
    untrack = trackChild(cmd);
    if (aborted) cmd.kill('SIGKILL');
  });
  if (opts.signal?.aborted) abort();
  else opts.signal?.addEventListener('abort', abort, { once: true });

  try {
    yield* floatChunks(out);
  } catch (err) {
    if (!failure) throw err;
  }
  // fluent-ffmpeg reports the exit status after the output stream ends.
  await finished;
  untrack();
  opts.signal?.removeEventListener('abort', abort);
  if (failure) throw failure;
}

/** Little-endian float32 bytes of a stream as aligned Float32Arrays (a partial sample is carried over). */
export async function* floatChunks(stream: AsyncIterable<Buffer>): AsyncGenerator<Float32Array> {
  let carry: Buffer | null = null;
  for await (const chunk of stream) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const whole: number = buf.length - (buf.length % 4);
    carry = whole < buf.length ? Buffer.from(buf.subarray(whole)) : null;
    if (whole === 0) continue;
    // Copy into an aligned Float32Array (Buffer slices may be unaligned).
    const samples = new Float32Array(whole / 4);
    new Uint8Array(samples.buffer).set(buf.subarray(0, whole));
    yield samples;
  }
}

/** Collects PCM chunks into one Float32Array. */
export class PcmCollector {
  private chunks: Float32Array[] = [];
  private length = 0;

  push(pcm: Float32Array): void {
    this.chunks.push(pcm);
    this.length += pcm.length;
  }

  samples(): Float32Array {
    const all = new Float32Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      all.set(c, o);
      o += c.length;
    }
    return all;
  }
}

/** Decodes a whole input into one Float32Array (for clips and single ayah files). */
export async function decodeAll(input: string, opts: DecodeOptions): Promise<Float32Array> {
  const pcm = new PcmCollector();
  for await (const c of decodeStream(input, opts)) pcm.push(c);
  return pcm.samples();
}
