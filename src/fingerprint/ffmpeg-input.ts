/**
 * ffmpeg-input: the ONE place where an input of an ffmpeg process is named. Every ffmpeg
 * run (identify, validate, add-reciter, bench) builds its `-i` arguments here, so that
 * decoding reads only the bytes it is given:
 *
 * - a path is passed as a `file:` URL of its absolute path, with the protocol whitelist
 *   `file`: a file named `pipe:0`, `file:x.mp3` or `http://..` is read as that file, never
 *   as a URL;
 * - standard input and the pipes of a process are `pipe:N` with the whitelist `pipe`;
 * - the demuxer must be one of AUDIO_DEMUXERS (`-format_whitelist`): formats that open
 *   other resources (hls and other playlists, concat, image sequences, dash, sdp/rtp ...)
 *   are refused, whatever the file is named.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Demuxers of audio (and audio-in-video) containers that read only their own input.
 * Names are ffmpeg's; "mov" matches "mov,mp4,m4a,3gp,3g2,mj2", "matroska" "matroska,webm".
 * The raw PCM formats are here for inputs forced with `-f` (the benchmark's pipes).
 */
export const AUDIO_DEMUXERS: readonly string[] = [
  'mp3', 'wav', 'w64', 'ogg', 'flac', 'mov', 'matroska', 'aac', 'loas', 'ac3', 'eac3', 'amr', 'amrnb', 'amrwb',
  'au', 'aiff', 'caf', 'asf', 'avi', 'flv', 'mpegts', 'mpeg', 'ape', 'wv', 'tta', 'tak', 'mpc', 'mpc8', 'dts',
  'dtshd', 'truehd', 'mlp', 'gsm', 'voc', 'nut', 'rm', 'xwma', 'oma', 'shn', 'dsf', 'g722', 'g729', 'ircam',
  'sln', 'alaw', 'mulaw', 'f32le', 's16le',
];

/** Demuxer names ffmpeg prints in a refusal, with what they would do. */
const REFUSED = /Format not on whitelist|Protocol '([^']*)' not on whitelist/;

/** An input of an ffmpeg process: a file path, or a pipe (0 = standard input) with an optional forced format. */
export type FfmpegInput = { path: string } | { pipe: number; format?: string };

/** The options that go before `-i`, and the URL after it. */
export interface FfmpegInputSpec {
  options: string[];
  url: string;
}

/** The `-i` of one input: protocol and demuxer whitelists, then the URL. */
export function ffmpegInput(input: FfmpegInput): FfmpegInputSpec {
  const formats = ['-format_whitelist', AUDIO_DEMUXERS.join(',')];
  if ('path' in input) return { options: ['-protocol_whitelist', 'file', ...formats], url: `file:${path.resolve(input.path)}` };
  return { options: ['-protocol_whitelist', 'pipe', ...(input.format ? ['-f', input.format] : []), ...formats], url: `pipe:${input.pipe}` };
}

/** The same as arguments: options, `-i`, URL. */
export function ffmpegInputArgs(input: FfmpegInput): string[] {
  const spec = ffmpegInput(input);
  return [...spec.options, '-i', spec.url];
}

/**
 * Whether a path must be read as a stream (fed to ffmpeg through a pipe): standard input
 * ("-"), the caller's descriptors (`/dev/stdin`, `/dev/fd/N` of `<(...)`), FIFOs, character
 * devices and sockets. Those have no size and cannot be seeked or opened twice.
 */
export function isStreamInput(input: string): boolean {
  // The caller's own descriptors: another process (ffmpeg) opening them gets its own.
  if (input === '-' || /^\/dev\/(stdin|fd\/\d+)$|^\/proc\/self\/fd\/\d+$/.test(path.resolve(input))) return true;
  try {
    const st = fs.statSync(input);
    return st.isFIFO() || st.isCharacterDevice() || st.isSocket();
  } catch {
    return false;
  }
}

/** The reason of a refusal by the whitelists, if ffmpeg's log says so. */
export function refusalReason(stderr: string): string | undefined {
  const m = REFUSED.exec(stderr);
  if (!m) return undefined;
  if (m[1] !== undefined) return `refused: it asks ffmpeg to open another resource (protocol ${m[1]})`;
  const demuxer = /\[([a-z0-9_]+)[^\]]*@[^\]]*\][^\n]*Format not on whitelist/.exec(stderr)?.[1];
  return `refused: ${demuxer ? `a ${demuxer} file` : 'this format'} opens other files (playlists, concat lists and image sequences are not decoded)`;
}
