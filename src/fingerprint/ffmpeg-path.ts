/**
 * The ffmpeg binary: FFMPEG_PATH when set, else the one bundled by @ffmpeg-installer/ffmpeg.
 */
import { createRequire } from 'node:module';

let cached: string | undefined;

export function ffmpegPath(): string {
  if (process.env.FFMPEG_PATH) return process.env.FFMPEG_PATH;
  if (!cached) {
    const require = createRequire(import.meta.url);
    cached = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  }
  return cached;
}
