/**
 * input-decoding: the inputs of one identify call decoded in groups, one ffmpeg process per
 * group (a process per clip costs more than decoding a short clip), each group decoded while
 * the one before is matched. Light on purpose (no index modules): a command starts the first
 * group's decoding at once, while the index's modules load and the index opens.
 */
import { FINGERPRINT, FRAME_SECONDS } from '../fingerprint/config.js';
import { assertReadableFile, inputName, PcmCollector } from '../fingerprint/decode.js';
import { decodeBatch } from '../fingerprint/decode-batch.js';
import { WavResampling } from '../fingerprint/decode-wav-batch.js';
import { startFfmpegHelper } from '../fingerprint/ffmpeg-process.js';
import { reasonOf } from '../errors.js';
import { QUERY } from './config.js';

/** Longest stretch of an input analysed, seconds. */
export const MAX_QUERY_SECONDS = Math.floor(QUERY.maxQueryFrames * FRAME_SECONDS);

/**
 * Inputs decoded together by one ffmpeg process: the first group small, so the first answer
 * comes soon; then doubling up to `max`, since each process costs ~50 ms to start whatever
 * it decodes (shared by 8 five-second clips, 6 ms of each clip's answer time; by 32, 2 ms).
 */
const DECODE_GROUP = { first: 4, max: 32 };

/** Fewest inputs in a group for its WAV files to be resampled together here (decodeGroup). */
const WAV_BATCH_MIN = 2;

export interface DecodedInput {
  input: string;
  pcm?: Float32Array;
  error?: string;
  /** Wall time of the group's decoding, shared out among its inputs, ms. */
  decodeMs: number;
}

/** Decodes the first MAX_QUERY_SECONDS (+1) of each input (a path): a group with one ffmpeg. */
async function decodeGroup(inputs: string[], wavs: WavResampling): Promise<DecodedInput[]> {
  const started = performance.now();
  const opts = { sampleRate: FINGERPRINT.sampleRate, durationS: MAX_QUERY_SECONDS + 1 };
  const reasonFor = (input: string, err: unknown) => reasonOf(err).replace(`${inputName(input)}: `, '');
  const out: DecodedInput[] = inputs.map((input) => {
    try {
      assertReadableFile(input);
      return { input, decodeMs: 0 };
    } catch (err) {
      return { input, error: reasonFor(input, err), decodeMs: 0 };
    }
  });
  // Plain WAV files are read here, and resampled by the call's resamplers (decode-wav-batch.ts:
  // the same samples, without ffmpeg's set-up cost per input nor a process per group); ffmpeg
  // decodes the others. A call's first group, of one clip that needs resampling, is left to
  // ffmpeg: its set-up is then paid once, in its own process, while this thread goes on (a cold `ayah identify
  // clip.wav` loads the index meanwhile; reading and sending the WAV cost that thread ~25 ms
  // more than the spawn). A WAV at the fingerprint's rate, mono, needs no ffmpeg at all.
  const readable = out.filter((d) => d.error === undefined);
  const wav = await wavs.decode(
    readable.map((d) => d.input),
    { sampleRate: FINGERPRINT.sampleRate, maxSeconds: opts.durationS, resample: readable.length >= WAV_BATCH_MIN || wavs.started },
  );
  readable.forEach((d, i) => (d.pcm = wav[i]));
  const todo = readable.filter((d) => d.pcm === undefined);
  const collectors: PcmCollector[] = [];
  const outcomes = await decodeBatch(
    todo.map((d) => d.input),
    (i) => (collectors[i] = new PcmCollector()),
    { ...opts, retries: 0 },
  );
  const share = (performance.now() - started) / Math.max(1, readable.length);
  for (const d of readable) d.decodeMs = share;
  todo.forEach((d, i) => {
    const outcome = outcomes[i];
    if (outcome.ok) d.pcm = collectors[i].samples();
    else d.error = outcome.reason;
  });
  return out;
}

/** Input paths (no streams: those are spooled to files first) decoded in groups; the first group's decoding starts when this is made. */
export class InputDecoding {
  private readonly groups: string[][] = [];
  private readonly first?: Promise<DecodedInput[]>;
  /** The call's WAV resamplers (one ffmpeg each for all its groups), started by the first group: while this process is small. */
  private readonly wavs = new WavResampling();

  constructor(readonly inputs: readonly string[]) {
    for (const input of inputs) {
      const last = this.groups[this.groups.length - 1];
      const size = Math.min(DECODE_GROUP.max, DECODE_GROUP.first * 2 ** (this.groups.length - 1));
      if (last && last.length < size) last.push(input);
      else this.groups.push([input]);
    }
    // Groups after the first start their ffmpeg once this process holds the index: from a
    // helper started now, while it is small (ffmpeg-process.ts). WAV files need no ffmpeg per group.
    if (this.groups.slice(1).some((g) => g.some((input) => !/\.wav$/i.test(input)))) startFfmpegHelper();
    this.first = this.groups.length ? decodeGroup(this.groups[0], this.wavs) : undefined;
    // Awaited by decoded(); a failure before that (the index did not open) must not be an unhandled rejection.
    this.first?.catch(() => {});
  }

  /** The decoded groups in order, each next group decoding while the current one is used. */
  async *decoded(): AsyncGenerator<DecodedInput[]> {
    let next = this.first;
    try {
      for (let g = 0; g < this.groups.length; g++) {
        const decoded = await next!;
        next = g + 1 < this.groups.length ? decodeGroup(this.groups[g + 1], this.wavs) : undefined;
        yield decoded;
      }
    } finally {
      this.wavs.close();
    }
  }
}
