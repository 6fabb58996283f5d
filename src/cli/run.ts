/**
 * Shared plumbing for CLI commands: global options, error printing and exit codes.
 * A command's action is wrapped by `action()`: an AyahError prints one line
 * `ayah: <message>` and exits with its code; anything else is a bug (exit 70), printed
 * with its stack only under --debug.
 */
import { isSupportedRiwayah, SUPPORTED_RIWAYAT, type SupportedRiwayah } from '../quran/numbering.js';
import { InvalidArgumentError } from 'commander';
import { ExitCode, AyahError, reasonOf, type ExitCodeValue } from '../errors.js';
import { oneLine } from '../names.js';
import { cannotWrite, failedPath, isWriteFailure } from '../fs-errors.js';
import { ayahHome } from '../home.js';
import { setLogLevel } from '../log.js';
import { isLayout, LAYOUTS } from '../pipeline/layout-names.js';
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

/** The one-line error of an input: `ayah: <input>: <reason>`, control characters escaped. */
export function inputErrorLine(input: string, reason: string): string {
  return `ayah: ${oneLine(input)}: ${oneLine(reason)}\n`;
}

/** Prints an error the way every command does: one line, stack only with --debug. */
export function printError(err: unknown): ExitCodeValue {
  if (err instanceof AyahError) {
    process.stderr.write(`ayah: ${oneLine(err.message)}\n`);
    if (debug && err.cause) process.stderr.write(`${(err.cause as Error)?.stack ?? String(err.cause)}\n`);
    return err.code;
  }
  // A disk full or read-only where the command writes is not a bug: exit 7 naming the path.
  if (isWriteFailure(err)) return printError(cannotWrite(failedPath(err) ?? ayahHome(), err));
  process.stderr.write(`ayah: internal error: ${oneLine(reasonOf(err))}${debug ? '' : ' (run with --debug for details)'}\n`);
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
      // A lost service leaves clients retrying in the background: do not wait for them.
      if (process.exitCode === ExitCode.SERVICE_UNAVAILABLE) process.exit(process.exitCode);
    }
  };
}

/** Help of the --layout option of the commands that read a reciter folder. */
export const LAYOUT_HELP = `force the folder layout: ${LAYOUTS.join(' | ')}`;

/**
 * A usage error commander reports ("error: option '--top <n>' argument '0' is invalid. ...")
 * as the one line every error has: `ayah: --top: "0" is invalid: ...`.
 */
export function usageLine(commanderMessage: string): string {
  const msg = commanderMessage.trim().replace(/^error:\s*/, '');
  const invalid = /^option '(-[^ ',]+)[^']*' argument '([^']*)' is invalid\.\s*(.*)$/s.exec(msg);
  if (invalid) return `ayah: ${invalid[1]}: "${oneLine(invalid[2])}" is invalid: ${oneLine(invalid[3])}`;
  const opt = /^(?:required option|option|unknown option) '(-[^ ',]+)[^']*'(.*)$/s.exec(msg);
  if (opt) return `ayah: ${opt[1]}: ${oneLine((msg.startsWith('unknown') ? 'unknown option' : msg.startsWith('required') ? 'required option' : 'option') + opt[2])} (see --help)`;
  return `ayah: ${oneLine(msg)} (see --help)`;
}

/** Parses --layout (commander argParser). */
export function layoutOption(value: string): Layout {
  if (!isLayout(value)) throw new InvalidArgumentError(`use ${LAYOUTS.join(', ')}`);
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

/** Parses a positive integer option value (commander argParser); the error names the option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** Collects comma-separated and repeated option values (commander argParser). */
export function listOption(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}
