/**
 * ffmpeg-banner: what ffmpeg's stderr (run with `-loglevel level+info`) says about an
 * input: container, codec, sample rate, channels, bitrate, the duration its headers
 * declare, and the decoder's error lines.
 */

export interface StreamInfo {
  /** Container format as ffmpeg names it ("mp3", "wav", "mov,mp4,m4a,3gp,3g2,mj2", ...). */
  container: string;
  /** Audio codec ("mp3", "pcm_s16le", "aac", "opus", ...). */
  codec: string;
  sampleRate: number;
  /** Number of channels, when the layout is one ffmpeg prints by name or count. */
  channels?: number;
  /** Bitrate of the audio stream (or of the file when the stream shows none), kbit/s. */
  bitrateKbps?: number;
  /** Duration the file's headers declare (estimated from size for headerless CBR mp3). */
  headerDurationS?: number;
}

const LAYOUT_CHANNELS: Record<string, number> = { mono: 1, stereo: 2, '2.1': 3, '3.0': 3, quad: 4, '4.0': 4, '5.0': 5, '5.1': 6, '6.1': 7, '7.1': 8 };

/** The input's description, once ffmpeg has printed its first audio stream line. */
export function parseStreamInfo(stderr: string): StreamInfo | undefined {
  const audio = /^\[info\]\s+Stream #0:\d+[^:]*: Audio: ([^,\s]+)[^,]*, (\d+) Hz(?:, ([^,]+))?(?:, [^,]+)?(?:, (\d+) kb\/s)?/m.exec(stderr);
  if (!audio) return undefined;
  const container = /^\[info\] Input #0, (.+), from '/m.exec(stderr)?.[1] ?? 'unknown';
  const duration = /^\[info\]\s+Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)(?:.*bitrate: (\d+) kb\/s)?/m.exec(stderr);
  const layout = audio[3]?.trim().replace(/\(.*\)$/, '') ?? '';
  const counted = /^(\d+) channels$/.exec(layout);
  const channels = counted ? Number(counted[1]) : LAYOUT_CHANNELS[layout];
  const bitrate = audio[4] ?? duration?.[4];
  return {
    container,
    codec: audio[1],
    sampleRate: Number(audio[2]),
    ...(channels ? { channels } : {}),
    ...(bitrate ? { bitrateKbps: Number(bitrate) } : {}),
    ...(duration ? { headerDurationS: Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) } : {}),
  };
}

/** Lines ffmpeg logged at error level or worse, without the "[decoder @ 0x...]" prefix. */
export function errorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => /\[(error|fatal|panic)\]/.test(l))
    .map((l) => l.replace(/^(\[[^\]]*@ 0x[0-9a-f]+\] )?\[(error|fatal|panic)\] /, '').trim())
    .filter(Boolean);
}
