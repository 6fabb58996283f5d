/**
 * decode-stats: decodes one audio file completely with one ffmpeg process and measures it
 * on the way (pcm-stats), without keeping the audio. The input description comes from
 * the same process's stderr banner; decoder errors are collected, not fatal, so a damaged
 * file is reported with what could be decoded of it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { ffmpegReason } from '../../fingerprint/decode.js';
import { ffmpegPath } from '../../fingerprint/ffmpeg-path.js';
import { errorLines, parseStreamInfo, type StreamInfo } from './ffmpeg-banner.js';
import { PcmStatsAccumulator, type PcmStats } from './pcm-stats.js';

export interface DecodedAudio {
  bytes: number;
  info: StreamInfo;
  pcm: PcmStats;
  /** Errors the decoder logged (damaged frames); empty for a clean file. */
  decodeErrors: string[];
}

/** Why a file could not be decoded at all (one line). */
export interface Undecodable {
  bytes: number;
  reason: string;
}

const STDERR_LIMIT = 64 * 1024;

export async function decodeStats(file: string): Promise<DecodedAudio | Undecodable> {
  const bytes = (await fs.stat(file)).size;
  if (bytes === 0) return { bytes, reason: 'empty file (0 bytes)' };
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+info', '-i', file, '-map', '0:a:0', '-vn', '-ac', '1', '-f', 'f32le', 'pipe:1'];
  const child = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let acc: PcmStatsAccumulator | undefined;
  let info: StreamInfo | undefined;
  const pending: Buffer[] = [];
  // PCM can arrive before the banner that gives its sample rate has been read: hold it.
  const feed = (chunk?: Buffer) => {
    if (chunk) pending.push(chunk);
    if (!acc) {
      info = parseStreamInfo(stderr);
      if (!info) return;
      acc = new PcmStatsAccumulator(info.sampleRate);
    }
    for (const c of pending) acc.pushBytes(c);
    pending.length = 0;
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += s;
    if (!acc && pending.length) feed();
  });
  child.stdout.on('data', (chunk: Buffer) => feed(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  feed();
  const decodeErrors = errorLines(stderr);
  if (!acc || !info) return { bytes, reason: ffmpegReason(stderr) };
  if (code !== 0) decodeErrors.push(`ffmpeg exited with ${code}: ${ffmpegReason(stderr)}`);
  return { bytes, info, pcm: acc.finish(), decodeErrors };
}

export function isDecoded(x: DecodedAudio | Undecodable): x is DecodedAudio {
  return 'pcm' in x;
}
