/**
 * decode-stats: decodes audio files completely and measures them on the way (pcm-stats),
 * without keeping the audio: many files with one ffmpeg process (`decodeStatsBatch`), or
 * one. The input description comes from the same process's stderr banner; decoder errors
 * are collected, not fatal, so a damaged file is reported with what could be decoded of it
 * (a batch whose decoders log errors is decoded again file by file, so errors are told
 * apart per file). The same samples can go on to a second sink (`tee`): the fingerprint
 * jobs measure and fingerprint each file from one decoding.
 */
import fs from 'node:fs/promises';
import { reasonOf } from '../../errors.js';
import { ffmpegReason } from '../../fingerprint/decode.js';
import { decodeBatch, type PcmSink } from '../../fingerprint/decode-batch.js';
import { errorLines, parseStreamInfo, type StreamInfo } from './ffmpeg-banner.js';
import { PcmStatsAccumulator, type PcmStats } from './pcm-stats.js';
import { FINGERPRINT } from '../../fingerprint/config.js';

/**
 * The rate files are measured at: the fingerprint's (8 kHz), not each file's own. Decoding
 * to 44.1 kHz cost 5.5 times the samples through the pipe and the statistics for the same
 * verdicts (silence, level and duration need no more; a clipped take stays at full scale
 * after resampling), and made validation ~40 % of add-reciter's time.
 */
const VALIDATION_RATE = FINGERPRINT.sampleRate;

export interface DecodedAudio {
  bytes: number;
  info: StreamInfo;
  pcm: PcmStats;
  /** Errors the decoder logged (damaged frames); empty for a clean file. */
  decodeErrors: string[];
  /** Set when the decoding ended in failure (after its retries): ffmpeg's reason and how it ended; what was decoded is measured. */
  failure?: string;
  /** The failure was ffmpeg killed by a signal or not started: the machine's, not the file's (see DecodeOutcome). */
  interrupted?: boolean;
}

/** Why a file could not be decoded at all (one line). */
export interface Undecodable {
  bytes: number;
  reason: string;
  /** As DecodedAudio's. */
  interrupted?: boolean;
}

/** Decodes and measures one file. */
export async function decodeStats(file: string): Promise<DecodedAudio | Undecodable> {
  return (await decodeStatsBatch([file]))[0];
}

export function isDecoded(x: DecodedAudio | Undecodable): x is DecodedAudio {
  return 'pcm' in x;
}

/** The part of a multi-input ffmpeg log about input k, renumbered as input 0. */
function inputSection(stderr: string, k: number): string {
  const start = stderr.search(new RegExp(`^\\[info\\] Input #${k},`, 'm'));
  if (start < 0) return k === 0 ? stderr : '';
  const rest = stderr.slice(start + 1);
  const end = rest.search(/^\[info\] (Input #\d+,|Output #|Stream mapping)/m);
  const section = end < 0 ? stderr.slice(start) : stderr.slice(start, start + 1 + end);
  return section.replace(`Input #${k},`, 'Input #0,').replace(new RegExp(`Stream #${k}:`, 'g'), 'Stream #0:');
}

export interface DecodeStatsOptions {
  /** A second sink of file i's samples, opened with its measuring sink (again when the file is decoded again). */
  tee?: (i: number) => PcmSink;
}

/** Times a file that fails alone is decoded again: failures under load are often transient. */
const RETRIES = 2;

/** Passes each chunk to two sinks. */
class TeeSink implements PcmSink {
  constructor(
    private readonly a: PcmSink,
    private readonly b: PcmSink,
  ) {}
  push(x: Float32Array): void {
    this.a.push(x);
    this.b.push(x);
  }
}

/** Decodes and measures `files` with one ffmpeg process (file by file where that fails). */
export async function decodeStatsBatch(files: string[], opts: DecodeStatsOptions = {}): Promise<(DecodedAudio | Undecodable)[]> {
  const sizes = await Promise.all(files.map((f) => fs.stat(f).then((st) => st.size, (err: unknown) => err as Error)));
  const bytes = sizes.map((b) => (b instanceof Error ? 0 : b));
  const todo = files.map((_, i) => i).filter((i) => bytes[i] > 0);
  const sinks: PcmStatsAccumulator[] = [];
  const outcomes = await decodeBatch(
    todo.map((i) => files[i]),
    (j) => {
      sinks[j] = new PcmStatsAccumulator(VALIDATION_RATE);
      return opts.tee ? new TeeSink(sinks[j], opts.tee(todo[j])) : sinks[j];
    },
    { sampleRate: VALIDATION_RATE, logLevel: 'info', retries: RETRIES },
  );
  const out: (DecodedAudio | Undecodable)[] = sizes.map((b) => ({ bytes: 0, reason: b instanceof Error ? reasonOf(b) : 'empty file (0 bytes)' }));
  todo.forEach((i, j) => {
    const o = outcomes[j];
    const section = inputSection(o.stderr, o.input);
    const info = parseStreamInfo(section);
    const interrupted = !o.ok && o.interrupted ? { interrupted: true } : {};
    if (!info) return void (out[i] = { bytes: bytes[i], reason: o.ok || !o.interrupted ? ffmpegReason(section || o.stderr) : `${o.reason} (${o.ended})`, ...interrupted });
    // A batch run that succeeded logged no errors (else its files were decoded one by one).
    const decodeErrors = errorLines(o.stderr);
    const failure = o.ok ? undefined : `${o.reason} (${o.ended})`;
    if (!o.ok) decodeErrors.push(`${o.ended}: ${o.reason}`);
    out[i] = { bytes: bytes[i], info, pcm: sinks[j].finish(), decodeErrors, ...(failure ? { failure } : {}), ...interrupted };
  });
  return out;
}
