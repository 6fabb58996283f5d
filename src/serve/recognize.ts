/**
 * recognize: one identification of a request body. Decodes the body with ffmpeg (fed on
 * its standard input, started from the server's ffmpeg helper: decode-bytes.ts), refuses
 * what is not usable audio, looks the result up in the cache (key: decoded audio, options,
 * index version), else runs the engine on the index version it holds a lease on.
 */
import { FINGERPRINT } from '../fingerprint/config.js';
import { decodeBytes } from '../fingerprint/decode-bytes.js';
import { reasonOf } from '../errors.js';
import { answerJson, type AnswerJson } from '../query/answer-json.js';
import type { IdentifyOptions } from '../query/identifier.js';
import { cacheKey, type ResultCache } from './cache.js';
import { HttpError } from './http-error.js';
import type { IndexLease } from './index-holder.js';
import { AbortedRequest, untilAborted } from './limits.js';

export interface Recognition extends AnswerJson {
  index_version: string;
  cached: boolean;
}

export interface RecognizeLimits {
  maxAudioSeconds: number;
  analyseSeconds: number;
}

/** Decoded mono PCM of a body, at most `maxAudioSeconds` (+ a little, to tell a longer one). */
async function decodeBody(body: Buffer, limits: RecognizeLimits, signal: AbortSignal): Promise<Float32Array> {
  const rate = FINGERPRINT.sampleRate;
  let pcm: Float32Array;
  try {
    pcm = await decodeBytes(body, 'body', { sampleRate: rate, durationS: limits.maxAudioSeconds + 0.5, signal });
  } catch (err) {
    if (err instanceof AbortedRequest) throw err;
    throw new HttpError(422, reasonOf(err).replace('body: ', ''));
  }
  const seconds = pcm.length / rate;
  if (seconds > limits.maxAudioSeconds + 0.05) throw new HttpError(413, `audio too long (more than ${limits.maxAudioSeconds} s; at most ${limits.maxAudioSeconds} s accepted)`);
  if (pcm.length === 0) throw new HttpError(422, 'no audio decoded');
  return pcm;
}

export async function recognize(
  body: Buffer,
  input: string,
  opts: IdentifyOptions,
  lease: IndexLease,
  cache: ResultCache,
  limits: RecognizeLimits,
  signal: AbortSignal,
  /** Receives the work a deadline cannot stop (the engine's search): the caller waits for it before giving back the lease. */
  running: Promise<unknown>[],
): Promise<Recognition> {
  const started = performance.now();
  const pcm = await decodeBody(body, limits, signal);
  const clip = pcm.subarray(0, Math.round(limits.analyseSeconds * FINGERPRINT.sampleRate));
  const key = cacheKey(clip, opts, lease.version);
  const hit = await untilAborted(cache.get(key), signal);
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  if (hit) return { ...(JSON.parse(hit) as Recognition), input, elapsed_ms: elapsed(), cached: true };
  const search = lease.identifier.identifyPcm(clip, input, opts);
  running.push(search);
  const answer = await untilAborted(search, signal);
  if (answer.error) throw new HttpError(422, answer.error);
  const out: Recognition = { ...answerJson(answer), elapsed_ms: elapsed(), index_version: lease.version, cached: false };
  await cache.set(key, JSON.stringify(out));
  return out;
}
