/**
 * signals: the one handler of SIGINT and SIGTERM for every command. The first signal aborts
 * the run: `abortSignal` fires, the cleanups registered with `onInterrupt` run (closing the
 * catalog, releasing locks) for at most CLEANUP_MS, and the process exits 128 + signal
 * (130 for SIGINT, 143 for SIGTERM). Nothing is committed after the signal: the index's
 * commit point (its manifest) is replaced atomically, so the index is as it was, and what
 * the interrupted build left is cleaned by the next run; unless the run had already passed
 * its commit point when the signal came, which the message then says (noteCommit). A
 * command that stops gracefully (`ayah worker`: finish the current jobs) installs
 * `gracefulStop` instead; a second signal always exits at once.
 */
import os from 'node:os';

/** How long cleanups may take after the first signal before the process exits anyway. */
const CLEANUP_MS = 700;

const controller = new AbortController();
/** Aborted by the first SIGINT/SIGTERM; long runs check it between steps. */
export const abortSignal: AbortSignal = controller.signal;

type Cleanup = () => unknown;
const cleanups = new Set<Cleanup>();
let graceful: ((signal: NodeJS.Signals) => void) | undefined;
let received = 0;
let quiet = false;
/** The last index commit this run made (noteCommit), for the interruption's message. */
let committed: string | undefined;

export function exitCodeOf(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 0);
}

/**
 * For a command whose normal end is a signal (`identify --follow` on an endless stream): the
 * interruption is not announced on stderr; the exit code still says which signal it was.
 */
export function quietInterrupt(): void {
  quiet = true;
}

/**
 * Notes that this run committed `what` (an index version): a signal after it says so, since
 * the index is then not as it was before the run.
 */
export function noteCommit(what: string): void {
  committed = what;
}

/** Runs `fn` when the run is interrupted (before exit); returns its removal. */
export function onInterrupt(fn: Cleanup): () => void {
  cleanups.add(fn);
  return () => void cleanups.delete(fn);
}

/** The first signal calls `stop` (which should make the command return) instead of exiting. */
export function gracefulStop(stop: (signal: NodeJS.Signals) => void): void {
  installSignalHandlers();
  graceful = stop;
}

async function interrupt(signal: NodeJS.Signals): Promise<never> {
  controller.abort(new Error(`interrupted by ${signal}`));
  const all = Promise.allSettled([...cleanups].reverse().map(async (fn) => fn()));
  await Promise.race([all, new Promise((r) => setTimeout(r, CLEANUP_MS).unref())]);
  process.exit(exitCodeOf(signal));
}

function handle(signal: NodeJS.Signals): void {
  received++;
  if (received > 1) {
    process.stderr.write(`ayah: ${signal} again: exiting now\n`);
    process.exit(exitCodeOf(signal));
  }
  if (graceful) return graceful(signal);
  if (!quiet) process.stderr.write(`ayah: interrupted (${signal})${committed ? ` after it committed ${committed}` : ''}; nothing more is written\n`);
  void interrupt(signal);
}

let installed = false;

/** Installs the handlers (once, at start-up). */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
