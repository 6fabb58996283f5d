/**
 * ffmpeg-io: how an ffmpeg run's pipes are laid out, for both runners (ffmpeg-process.ts
 * here, ffmpeg-spawner.ts in the helper): standard input when asked for, standard output
 * unused, the log on standard error, then pipe:3, pipe:4, ... in the order the run names them.
 * No imports: the helper loads nothing but Node's own modules.
 */

/** What a run reads and writes besides files: its pipes 3, 4, ... in order, and whether it reads its standard input. */
export interface FfmpegIo {
  pipes: readonly ('in' | 'out')[];
  stdin?: boolean;
}

/** The pipe numbers (fds) of a run's 'out' or 'in' pipes, in order. */
export function pipeFds(io: FfmpegIo, kind: 'in' | 'out'): number[] {
  return io.pipes.flatMap((k, i) => (k === kind ? [3 + i] : []));
}

/** The `stdio` of spawning ffmpeg for a run. */
export function ffmpegStdio(io: FfmpegIo): ('pipe' | 'ignore')[] {
  return [io.stdin ? 'pipe' : 'ignore', 'ignore', 'pipe', ...io.pipes.map(() => 'pipe' as const)];
}
