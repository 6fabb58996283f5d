/**
 * decode-bytes: audio held in memory (an HTTP request's body) to mono float32 PCM: fed to
 * ffmpeg's standard input, its samples read from one output. A run of ffmpeg-process.ts, so
 * a server holding an index starts its ffmpeg from the helper, not by forking itself.
 */
import { AyahError, ExitCode } from '../errors.js';
import { ffmpegReason, floatChunks, PcmCollector } from './decode.js';
import { ffmpegInputArgs } from './ffmpeg-input.js';
import { endedText, outcomeOf, runFfmpeg } from './ffmpeg-process.js';

export interface DecodeBytesOptions {
  sampleRate: number;
  /** Seconds to decode at most. */
  durationS?: number;
  /** Aborting kills ffmpeg and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Decodes `bytes` (any format ffmpeg reads); rejects with a one-line AyahError starting with `name` when it cannot. */
export async function decodeBytes(bytes: Buffer, name: string, opts: DecodeBytesOptions): Promise<Float32Array> {
  opts.signal?.throwIfAborted();
  const args = ['-hide_banner', '-nostats', '-loglevel', 'error', ...ffmpegInputArgs({ pipe: 0 })];
  args.push('-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(opts.sampleRate), ...(opts.durationS ? ['-t', String(opts.durationS)] : []), '-f', 'f32le', 'pipe:3');
  const run = runFfmpeg(args, { pipes: ['out'], stdin: true });
  const outcome = outcomeOf(run, 20000);
  const abort = () => run.kill('SIGKILL');
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    // ffmpeg may stop reading early (it decoded durationS, or the bytes are not audio).
    run.stdin!.on('error', () => {});
    run.stdin!.end(bytes);
    const pcm = new PcmCollector();
    const read = (async () => {
      for await (const c of floatChunks(run.outputs[0])) pcm.push(c);
    })();
    const { end, log: stderr } = await outcome;
    await read.catch(() => {});
    opts.signal?.throwIfAborted();
    if ('error' in end) throw new AyahError(`${name}: ${end.error.message}`, ExitCode.BAD_INPUT);
    if (end.code !== 0) throw new AyahError(`${name}: ${ffmpegReason(stderr || endedText(end))}`, ExitCode.BAD_INPUT);
    return pcm.samples();
  } finally {
    opts.signal?.removeEventListener('abort', abort);
  }
}
