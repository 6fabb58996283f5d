/**
 * decode-batch: decodes many files with one ffmpeg process (one input and one output pipe
 * per file: mono float32 PCM at the chosen rate), streaming each file's samples to its own
 * sink. Indexing decodes thousands of files: one process per batch instead of per file.
 *
 * When the batch process fails or its decoders log errors (which cannot be told apart per
 * input), the files are decoded again one by one, so every file gets its own verdict; a
 * file that fails alone is tried `retries` more times before it is reported with the real
 * cause (ffmpeg's reason line, its exit code or the signal that ended it).
 */
import type { Readable } from 'node:stream';
import { ffmpegReason, floatChunks } from './decode.js';
import { ffmpegInputArgs } from './ffmpeg-input.js';
import { endedText, outcomeOf, runFfmpeg } from './ffmpeg-process.js';

/** Receives one file's samples, in order. */
export interface PcmSink {
  push(pcm: Float32Array): void;
}

/**
 * A file's verdict: decoded, or why not (ffmpeg's reason line, and how the process ended).
 * `stderr` is the log of the ffmpeg run the verdict comes from, where the file was input
 * number `input` (its banner is "Input #<input>").
 */
export type DecodeOutcome = ({ ok: true } | ({ ok: false } & Failure)) & { stderr: string; input: number };

/**
 * Why a run failed. `interrupted`: ffmpeg was killed by a signal or could not start, a
 * failure of the machine (load, memory) rather than a verdict on the file.
 */
interface Failure {
  reason: string;
  ended: string;
  interrupted: boolean;
}

export interface DecodeBatchOptions {
  /** Output rate; omitted: each file's own rate. */
  sampleRate?: number;
  /** Times a file that fails alone is decoded again (failures under load are often transient). */
  retries?: number;
  /** Seconds decoded at most from the start of each file. */
  durationS?: number;
  /** ffmpeg's log level: "info" adds each input's banner (format, codec, rate, duration). */
  logLevel?: 'error' | 'info';
}

const STDERR_LIMIT = 256 * 1024;
/** Packets each input's reading thread may queue ahead (ffmpeg's -thread_queue_size). */
const THREAD_QUEUE_PACKETS = 1024;

/**
 * Decodes `paths`; `open(i)` gives the sink of file i (called again, for a fresh sink,
 * when the file is decoded again after a failure). Resolves with one outcome per file.
 */
export async function decodeBatch(paths: string[], open: (i: number) => PcmSink, opts: DecodeBatchOptions): Promise<DecodeOutcome[]> {
  if (paths.length === 0) return [];
  const all = paths.map((_, i) => i);
  const whole = await decodeRun(paths, all, open, opts);
  if (whole.ok && !whole.decoderErrors) return all.map((i) => ({ ok: true, stderr: whole.stderr, input: i }));
  const outcomes: DecodeOutcome[] = [];
  for (let i = 0; i < paths.length; i++) {
    let last: RunResult | undefined;
    for (let attempt = 0; attempt <= (opts.retries ?? 1); attempt++) {
      last = await decodeRun([paths[i]], [i], open, opts);
      if (last.ok) break;
    }
    const r = last!;
    outcomes.push(r.ok ? { ok: true, stderr: r.stderr, input: 0 } : { ok: false, reason: r.reason, ended: r.ended, interrupted: r.interrupted, stderr: r.stderr, input: 0 });
  }
  return outcomes;
}

type RunResult = ({ ok: true; decoderErrors: boolean } | ({ ok: false } & Failure)) & { stderr: string };

/** One ffmpeg run over `paths`, which are the files `files` of the batch. */
async function decodeRun(paths: string[], files: number[], open: (i: number) => PcmSink, opts: DecodeBatchOptions): Promise<RunResult> {
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', `level+${opts.logLevel ?? 'error'}`];
  // Each input of a multi-input ffmpeg (4.x) is read by its own thread, handing packets over a
  // queue of 8 by default: a futex wake-up per packet, which made a 32-file batch cost 1.6 times
  // the CPU of decoding the same files back to back. 1,024 packets (27 s of mp3; at most ~4 MB
  // per input for 44.1 kHz stereo WAV) let each thread read ahead.
  for (const p of paths) args.push('-thread_queue_size', String(THREAD_QUEUE_PACKETS), ...(opts.durationS ? ['-t', String(opts.durationS)] : []), ...ffmpegInputArgs({ path: p }));
  const rate = opts.sampleRate ? ['-ar', String(opts.sampleRate)] : [];
  // -flush_packets 0: ffmpeg writes its 32 KB buffer, not every decoded frame, to the pipe
  // (a pipe is flushed per packet by default: ~40 writes and wake-ups per second of audio per
  // file; 10 % of the fingerprint jobs' time on 128 kbit/s files).
  paths.forEach((_, k) => args.push('-map', `${k}:a:0`, '-vn', '-ac', '1', ...rate, '-flush_packets', '0', '-f', 'f32le', `pipe:${3 + k}`));
  const run = runFfmpeg(args, { pipes: paths.map(() => 'out' as const) });
  const outcome = outcomeOf(run, STDERR_LIMIT);
  const reads = files.map((file, k) => readFloats(run.outputs[k], open(file)));
  const { end, log: stderr } = await outcome;
  // A run that could not start (or whose helper ended) is the machine's failure, not the file's.
  if ('error' in end) return { ok: false, reason: end.error.message, ended: 'not run', interrupted: true, stderr };
  await Promise.allSettled(reads);
  if (end.code === 0) return { ok: true, decoderErrors: /\[error\]/.test(stderr), stderr };
  return { ok: false, reason: stderr ? ffmpegReason(stderr) : 'ffmpeg failed', ended: endedText(end), interrupted: end.signal !== null, stderr };
}

async function readFloats(stream: Readable, sink: PcmSink): Promise<void> {
  for await (const samples of floatChunks(stream as AsyncIterable<Buffer>)) sink.push(samples);
}
