/**
 * request-options: the query parameters of POST /v1/identify (top, reciter, riwayah,
 * min_confidence) checked and turned into the engine's IdentifyOptions; reciters and
 * riwayat the index does not have are refused rather than answered "no match".
 */
import type { IndexReader } from '../index/api.js';
import { AyahError, ExitCode } from '../errors.js';
import { checkFilters as checkIndexFilters, type IdentifyOptions } from '../query/identifier.js';
import { HttpError } from './http-error.js';

const KNOWN = new Set(['top', 'reciter', 'riwayah', 'min_confidence']);
const MAX_TOP = 50;

/** Comma-separated and repeated values, lower-cased and sorted (the cache key must not depend on their order). */
function list(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const all = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim().toLowerCase()).filter(Boolean);
  return all.length ? [...new Set(all)].sort() : undefined;
}

export function parseIdentifyQuery(query: Record<string, unknown>): IdentifyOptions {
  for (const k of Object.keys(query)) if (!KNOWN.has(k)) throw new HttpError(400, `unknown parameter "${k}" (top, reciter, riwayah, min_confidence)`);
  const opts: IdentifyOptions = { top: 1 };
  if (query.top !== undefined) {
    const top = Number(query.top);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) throw new HttpError(400, `top must be a whole number from 1 to ${MAX_TOP}, got "${String(query.top)}"`);
    opts.top = top;
  }
  if (query.min_confidence !== undefined) {
    const x = Number(query.min_confidence);
    if (query.min_confidence === '' || !(x >= 0 && x <= 1)) throw new HttpError(400, `min_confidence must be between 0 and 1, got "${String(query.min_confidence)}"`);
    opts.minConfidence = x;
  }
  const reciters = list(query.reciter);
  const riwayat = list(query.riwayah);
  if (reciters) opts.reciters = reciters;
  if (riwayat) opts.riwayat = riwayat;
  return opts;
}

/** Refuses a reciter or riwayah no reciter of the index matches (the engine's own check: identifier.ts checkFilters), as a 400. */
export function checkFilters(reader: IndexReader, opts: IdentifyOptions): void {
  try {
    checkIndexFilters(reader, opts, { reciter: 'reciter', riwayah: 'riwayah' });
  } catch (err) {
    if (err instanceof AyahError && err.code === ExitCode.USAGE) throw new HttpError(400, err.message);
    throw err;
  }
}
