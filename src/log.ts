/**
 * The process-wide pino logger: JSON lines to stderr (stdout is for results).
 * Level from --log-level (applied by the CLI through setLogLevel) or LOG_LEVEL; default "warn".
 * An unknown level is a usage error (exit 2), said by setLogLevel; at start-up a bad
 * LOG_LEVEL falls back to "warn" so that the CLI can say so in one line.
 */
import { pino, type Logger } from 'pino';
import { AyahError, ExitCode } from './errors.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

function isLevel(level: string | undefined): level is string {
  return level !== undefined && (LOG_LEVELS as readonly string[]).includes(level);
}

export const log: Logger = pino(
  { level: isLevel(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : 'warn', base: { pid: process.pid } },
  pino.destination({ fd: 2, sync: true }),
);

let chosen = Boolean(process.env.LOG_LEVEL);

export function setLogLevel(level: string): void {
  if (!isLevel(level)) throw new AyahError(`--log-level (LOG_LEVEL): unknown level "${level}"; use ${LOG_LEVELS.join(', ')}`, ExitCode.USAGE);
  log.level = level;
  chosen = true;
}

/** Sets the level a command logs at by default, unless --log-level or LOG_LEVEL chose one. */
export function defaultLogLevel(level: string): void {
  if (!chosen) log.level = level;
}
