/**
 * ffmpeg-process: one ffmpeg run as the decoders and the benchmark's renderer use it: its
 * arguments, its pipes (pipe:3, pipe:4, ...: each one ffmpeg writes, an output, or one this
 * process writes, an input), optionally bytes for its standard input, its log, and how it
 * ended. Two runners give the same run:
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
import { ffmpegStdio, pipeFds, type FfmpegIo } from './ffmpeg-io.js';

/** How a run ended: ffmpeg's exit code or the signal that ended it, or why it could not run. */
export type FfmpegEnd = { code: number | null; signal: NodeJS.Signals | null } | { error: Error };

export interface FfmpegRun {
  /** What ffmpeg writes to its 'out' pipes, in pipe order. */
  readonly outputs: Readable[];
  /** What it reads from its 'in' pipes, in pipe order (each must be ended). */
  readonly inputs: Writable[];
  /** ffmpeg's log. */
  readonly stderr: Readable;
  /** Its standard input (pipe:0), when asked for. */
  readonly stdin?: Writable;
  /** Settles once ffmpeg has ended and its outputs and log have been passed on. */
  readonly ended: Promise<FfmpegEnd>;
  kill(signal: NodeJS.Signals): void;
}

/** How a run that ran ended, in words: "ffmpeg exit code N" or "ffmpeg killed by SIGNAL". */
export function endedText(end: { code: number | null; signal: NodeJS.Signals | null }): string {
  return end.signal ? `ffmpeg killed by ${end.signal}` : `ffmpeg exit code ${end.code}`;
}

/** How a run ended, and its log as text. */
export interface FfmpegOutcome {
  end: FfmpegEnd;
  /** The log's first `logLimit` characters or so (whole chunks): where ffmpeg says why it failed. */
  log: string;
}

/**
 * Collects a run's log, from now on (call it as soon as the run is made), and settles when
 * the run has ended: what every caller reads of a run besides its outputs.
 */
export function outcomeOf(run: FfmpegRun, logLimit: number): Promise<FfmpegOutcome> {
  let log = '';
  run.stderr.setEncoding('utf8');
  run.stderr.on('data', (s: string) => {
    if (log.length < logLimit) log += s;
  });
  return run.ended.then((end) => ({ end, log }));
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
  const child = spawn(ffmpegPath(), args, { stdio: ffmpegStdio(io) });
  const untrack = trackChild(child);
  const ended = new Promise<FfmpegEnd>((resolve) => {
    child.once('error', (err) => resolve({ error: new Error(`ffmpeg could not start: ${err.message}`) }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  void ended.then(untrack);
  return {
    outputs: pipeFds(io, 'out').map((fd) => child.stdio[fd] as Readable),
    inputs: pipeFds(io, 'in').map((fd) => child.stdio[fd] as Writable),
    stderr: child.stderr!,
    ...(child.stdin ? { stdin: child.stdin } : {}),
    ended,
    kill: (signal) => void child.kill(signal),
  };
}
