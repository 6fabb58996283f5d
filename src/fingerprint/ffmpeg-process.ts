/**
 * ffmpeg-process: one ffmpeg run as the decoders use it: its arguments, the bytes it writes
 * to pipe:3, pipe:4, ... (its outputs), its log, optionally bytes fed to its standard input,
 * and how it ended. Two runners give the same run:
 *
 * - a child of this process (`spawn`);
 * - a child of a small helper process (ffmpeg-spawner.ts), once one was started for this
 *   process (`startFfmpegHelper`, while it is small). Starting a process forks the one that
 *   starts it, and after a fork every page of a large process (an identify call or a server
 *   holding a 1,000-hour index: ~350 MB) is copy-on-write: its next write to each page is a
 *   page fault, ~30,000 of them per fork (docs/benchmarks.md). The helper forks instead.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { trackChild } from './children.js';
import { ffmpegPath } from './ffmpeg-path.js';
import { FfmpegHelper } from './ffmpeg-helper.js';

/** How a run ended: ffmpeg's exit code or the signal that ended it, or why it could not run. */
export type FfmpegEnd = { code: number | null; signal: NodeJS.Signals | null } | { error: Error };

export interface FfmpegRun {
  /** Output k: what ffmpeg writes to pipe:(3 + k). */
  readonly outputs: Readable[];
  /** ffmpeg's log. */
  readonly stderr: Readable;
  /** Its standard input (pipe:0), when asked for. */
  readonly stdin?: Writable;
  /** Settles once ffmpeg has ended and its outputs and log have been passed on. */
  readonly ended: Promise<FfmpegEnd>;
  kill(signal: NodeJS.Signals): void;
}

/** What a run reads and writes besides files: how many outputs, and whether it reads its standard input. */
export interface FfmpegIo {
  outputs: number;
  stdin?: boolean;
}

let helper: FfmpegHelper | undefined;

/**
 * Starts the helper that later runs start their ffmpeg from (a no-op once started). Call it
 * early, while this process is small: starting the helper is itself a fork.
 */
export function startFfmpegHelper(): void {
  helper ??= new FfmpegHelper();
}

/** Whether runs now start their ffmpeg from the helper. */
export function ffmpegHelperReady(): boolean {
  return helper?.ready ?? false;
}

/** Runs ffmpeg with `args`: from the helper when it is up, else from this process. */
export function runFfmpeg(args: string[], io: FfmpegIo): FfmpegRun {
  if (helper?.ready) return helper.run(ffmpegPath(), args, io);
  return spawnFfmpeg(args, io);
}

/** ffmpeg as a child of this process. */
export function spawnFfmpeg(args: string[], io: FfmpegIo): FfmpegRun {
  const child = spawn(ffmpegPath(), args, { stdio: [io.stdin ? 'pipe' : 'ignore', 'ignore', 'pipe', ...Array.from({ length: io.outputs }, () => 'pipe' as const)] });
  const untrack = trackChild(child);
  const ended = new Promise<FfmpegEnd>((resolve) => {
    child.once('error', (err) => resolve({ error: new Error(`ffmpeg could not start: ${err.message}`) }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  void ended.then(untrack);
  return {
    outputs: Array.from({ length: io.outputs }, (_, k) => child.stdio[3 + k] as Readable),
    stderr: child.stderr!,
    ...(child.stdin ? { stdin: child.stdin } : {}),
    ended,
    kill: (signal) => void child.kill(signal),
  };
}
