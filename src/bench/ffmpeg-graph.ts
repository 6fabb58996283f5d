/**
 * ffmpeg-graph: one ffmpeg process with many inputs and many outputs, so that a clip's
 * degradations cost one or two processes, not one each. Inputs are a section of a file,
 * or PCM / encoded bytes fed through extra pipes (fd 3, 4, ...); each output is one
 * filter chain applied to one input, read back through its own pipe, as mono float32
 * PCM or as encoded bytes (a codec round trip's first half). Started through
 * ffmpeg-process.ts: from the helper process, once `ayah bench` has started it.
 */
import type { Readable } from 'node:stream';
import { AyahError, ExitCode } from '../errors.js';
import { ffmpegReason } from '../fingerprint/decode.js';
import { ffmpegInputArgs } from '../fingerprint/ffmpeg-input.js';
import { outcomeOf, runFfmpeg } from '../fingerprint/ffmpeg-process.js';

export type FfInput =
  /** A section of an audio file (any format ffmpeg reads); no duration = to the end. */
  | { kind: 'file'; path: string; startS: number; durationS?: number }
  /** Mono float32 PCM. */
  | { kind: 'pcm'; pcm: Float32Array; rate: number }
  /** Encoded audio in a container ffmpeg names `format` (mp3, ogg, amr ...). */
  | { kind: 'encoded'; bytes: Uint8Array; format: string };

/** An encoder: ffmpeg codec, container, and the sample rate it needs (if any). */
export interface Encoder {
  codec: string;
  format: string;
  kbps: number;
  rate?: number;
}

export type FfOutput = { kind: 'pcm'; rate: number } | ({ kind: 'encoded' } & Encoder);

/**
 * Part of a filter graph from label `input` to label `output`; `uid` is unique within the
 * graph, for any labels the part needs inside (e.g. a generated impulse response).
 */
export type FilterNode = (input: string, output: string, uid: string) => string;

/** A plain filter chain (e.g. "atempo=1.05") as a graph part. */
export function chain(filters: string): FilterNode {
  return (i, o) => `[${i}]${filters}[${o}]`;
}

export interface FfJob {
  /** Index into the inputs. */
  input: number;
  filters: FilterNode[];
  output: FfOutput;
}

export type FfResult = Float32Array | Uint8Array;

/** Runs every job in one ffmpeg process; results in job order. `name` is used in errors. */
export async function runGraph(name: string, inputs: FfInput[], jobs: FfJob[]): Promise<FfResult[]> {
  const args = ['-nostdin', '-hide_banner', '-v', 'error'];
  let fd = 3;
  const feeds: Array<{ fd: number; bytes: Uint8Array }> = [];
  for (const input of inputs) {
    if (input.kind === 'file') {
      if (input.startS > 0) args.push('-ss', input.startS.toFixed(4));
      if (input.durationS !== undefined) args.push('-t', input.durationS.toFixed(4));
      args.push(...ffmpegInputArgs({ path: input.path }));
    } else {
      if (input.kind === 'pcm') args.push('-ar', String(input.rate), '-ac', '1');
      args.push(...ffmpegInputArgs({ pipe: fd, format: input.kind === 'pcm' ? 'f32le' : input.format }));
      feeds.push({ fd: fd++, bytes: input.kind === 'pcm' ? new Uint8Array(input.pcm.buffer, input.pcm.byteOffset, input.pcm.byteLength) : input.bytes });
    }
  }
  args.push('-filter_complex', filterGraph(inputs.length, jobs));
  const outFds: number[] = [];
  jobs.forEach((job, j) => {
    args.push('-map', `[o${j}]`, '-ac', '1', ...outputArgs(job.output), `pipe:${fd}`);
    outFds.push(fd++);
  });

  // Its pipes: the inputs fed from here (fds 3..), then the outputs (fd order, as numbered above).
  const run = runFfmpeg(args, { pipes: [...feeds.map(() => 'in' as const), ...outFds.map(() => 'out' as const)] });
  const outcome = outcomeOf(run, 20000);
  feeds.forEach((feed, k) => {
    const w = run.inputs[k];
    w.on('error', () => {}); // ffmpeg may stop reading early; its exit status tells.
    w.end(Buffer.from(feed.bytes.buffer, feed.bytes.byteOffset, feed.bytes.byteLength));
  });
  const outputs = await Promise.all(run.outputs.map(collect));
  const { end, log } = await outcome;
  if ('error' in end) throw end.error;
  if (end.code !== 0) throw new AyahError(`${name}: ${ffmpegReason(log)}`, ExitCode.BAD_INPUT);
  return outputs.map((bytes, j) => (jobs[j].output.kind === 'pcm' ? toFloat32(bytes) : new Uint8Array(bytes)));
}

function outputArgs(out: FfOutput): string[] {
  if (out.kind === 'pcm') return ['-ar', String(out.rate), '-f', 'f32le'];
  return [...(out.rate ? ['-ar', String(out.rate)] : []), '-c:a', out.codec, '-b:a', `${out.kbps}k`, '-f', out.format];
}

/** `[i:a]asplit` for inputs used by several jobs, then each job's chain ending at `[o<j>]`. */
function filterGraph(inputCount: number, jobs: FfJob[]): string {
  const parts: string[] = [];
  const sources: string[] = [];
  for (let i = 0; i < inputCount; i++) {
    const users = jobs.map((job, j) => (job.input === i ? j : -1)).filter((j) => j >= 0);
    if (users.length === 1) sources[users[0]] = `${i}:a`;
    else if (users.length > 1) {
      for (const j of users) sources[j] = `s${j}`;
      parts.push(`[${i}:a]asplit=${users.length}${users.map((j) => `[s${j}]`).join('')}`);
    }
  }
  jobs.forEach((job, j) => {
    const nodes = job.filters.length ? job.filters : [chain('anull')];
    nodes.forEach((node, k) => {
      const input = k === 0 ? sources[j] : `j${j}_${k}`;
      const output = k === nodes.length - 1 ? `o${j}` : `j${j}_${k + 1}`;
      parts.push(node(input, output, `u${j}_${k}`));
    });
  });
  return parts.join(';');
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

function toFloat32(bytes: Buffer): Float32Array {
  const out = new Float32Array(Math.floor(bytes.length / 4));
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.length * 4));
  return out;
}
