/**
 * joined-recording: long test recordings made of corpus files joined end to end (one
 * ffmpeg process decodes them all), with the truth of where each part starts and ends.
 * A part is an audio file (labelled with the ayah it recites, or none) or a stretch of
 * silence or non-recitation audio (lavfi source). Written to any format ffmpeg encodes.
 */
import { execFileSync } from 'node:child_process';
import { FINGERPRINT } from '../fingerprint/config.js';
import { PcmCollector } from '../fingerprint/decode.js';
import { decodeBatch } from '../fingerprint/decode-batch.js';
import { ffmpegPath } from '../fingerprint/ffmpeg-path.js';
import type { SurahAyah, TimelineEntry } from '../types.js';

export type Part = { file: string; ref?: SurahAyah; note?: string; timeline?: TimelineEntry[] } | { lavfi: string; seconds: number };

/** One labelled stretch of the joined recording (seconds from its start). */
export interface TruthSpan extends SurahAyah {
  startS: number;
  endS: number;
  note?: string;
}

export interface Joined {
  pcm: Float32Array;
  rate: number;
  truth: TruthSpan[];
  durationS: number;
}

const RATE = FINGERPRINT.sampleRate;

export async function joinParts(parts: Part[]): Promise<Joined> {
  const files = parts.flatMap((p) => ('file' in p ? [p.file] : []));
  const pcms: PcmCollector[] = [];
  const outcomes = await decodeBatch(files, (i) => (pcms[i] = new PcmCollector()), { sampleRate: RATE });
  outcomes.forEach((o, i) => {
    if (!o.ok) throw new Error(`${files[i]}: ${o.reason}`);
  });
  const pieces: Float32Array[] = [];
  const truth: TruthSpan[] = [];
  let at = 0;
  let f = 0;
  for (const p of parts) {
    const pcm = 'file' in p ? pcms[f++].samples() : lavfi(p.lavfi, p.seconds);
    const startS = at / RATE;
    if ('file' in p && p.timeline) for (const e of p.timeline) truth.push({ surah: e.surah, ayah: e.ayah, startS: startS + e.start, endS: startS + e.end });
    else if ('file' in p && p.ref) truth.push({ ...p.ref, startS, endS: (at + pcm.length) / RATE, ...(p.note ? { note: p.note } : {}) });
    pieces.push(pcm);
    at += pcm.length;
  }
  const pcm = new Float32Array(at);
  let o = 0;
  for (const x of pieces) {
    pcm.set(x, o);
    o += x.length;
  }
  return { pcm, rate: RATE, truth, durationS: at / RATE };
}

function lavfi(source: string, seconds: number): Float32Array {
  const out = execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', source, '-t', String(seconds), '-ac', '1', '-ar', String(RATE), '-f', 'f32le', 'pipe:1'], { maxBuffer: 1 << 30 });
  return new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length - (out.length % 4)));
}

/** Writes mono float PCM to `file`, encoded with ffmpeg's output arguments `encode` (e.g. ['-b:a', '32k'] for an .mp3). */
export function writePcm(pcm: Float32Array, rate: number, file: string, encode: string[] = []): void {
  execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', '-f', 'f32le', '-ar', String(rate), '-ac', '1', '-i', 'pipe:0', ...encode, file], {
    input: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength),
    maxBuffer: 1 << 30,
  });
}
