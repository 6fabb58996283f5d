/**
 * Shared plumbing for CLI commands: global options, error printing and exit codes.
 * A command's action is wrapped by `action()`: an AyahError prints one line
 * `ayah: <message>` and exits with its code; anything else is a bug (exit 70), printed
 * with its stack only under --debug.
 */
import { isSupportedRiwayah, SUPPORTED_RIWAYAT, type SupportedRiwayah } from '../quran/numbering.js';
import { ExitCode, AyahError, reasonOf, type ExitCodeValue } from '../errors.js';
import { setLogLevel } from '../log.js';
import { isLayout, LAYOUTS } from '../pipeline/layout.js';
import type { Layout } from '../types.js';

export interface GlobalOptions {
  debug?: boolean;
  logLevel?: string;
}

let debug = false;

export function applyGlobalOptions(opts: GlobalOptions): void {
  debug = Boolean(opts.debug) || process.env.AYAH_DEBUG === '1';
  if (opts.logLevel) setLogLevel(opts.logLevel);
  else if (debug && !process.env.LOG_LEVEL) setLogLevel('debug');
}

export function isDebug(): boolean {
  return debug;
}

/** Prints an error the way every command does: one line, stack only with --debug. */
export function printError(err: unknown): ExitCodeValue {
  if (err instanceof AyahError) {
    process.stderr.write(`ayah: ${err.message}\n`);
    if (debug && err.cause) process.stderr.write(`${(err.cause as Error)?.stack ?? String(err.cause)}\n`);
    return err.code;
  }
  process.stderr.write(`ayah: internal error: ${reasonOf(err)}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug) process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  return ExitCode.INTERNAL;
}

/** Wraps a command action: sets process.exitCode from its result or error. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<ExitCodeValue | number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = code ?? ExitCode.OK;
    } catch (err) {
      process.exitCode = printError(err);
    }
  };
}

/** Help of the --layout option of the commands that read a reciter folder. */
export const LAYOUT_HELP = `force the folder layout: ${LAYOUTS.join(' | ')}`;

/** Parses --layout (commander argParser). */
export function layoutOption(value: string): Layout {
  if (!isLayout(value)) throw new AyahError(`--layout must be flat, folders or surah-timed, not "${value}"`, ExitCode.USAGE);
  return value;
}

/** Help of the --riwayah option of the commands that read a reciter folder. */
export const RIWAYAH_HELP = `the reciter's riwayah, which numbers its files and answers: ${SUPPORTED_RIWAYAT.join(' | ')}`;

/** Parses the --riwayah of a reciter folder (commander argParser): a supported riwayah. */
export function riwayahOption(value: string): SupportedRiwayah {
  const r = value.toLowerCase();
  if (!isSupportedRiwayah(r)) throw new AyahError(`--riwayah must be ${SUPPORTED_RIWAYAT.join(', ')}, not "${value}"`, ExitCode.USAGE);
  return r;
}

/** Parses a positive integer option value (commander argParser). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new AyahError(`expected a positive whole number, got "${value}"`, ExitCode.USAGE);
  return n;
}
