/**
 * The process-wide pino logger: JSON lines to stderr (stdout is for results).
 * Level from --log-level (applied by the CLI through setLogLevel) or LOG_LEVEL; default "warn".
 */
import { pino, type Logger } from 'pino';

export const log: Logger = pino(
  { level: process.env.LOG_LEVEL ?? 'warn', base: { pid: process.pid } },
  pino.destination({ fd: 2, sync: true }),
);

let chosen = Boolean(process.env.LOG_LEVEL);

export function setLogLevel(level: string): void {
  log.level = level;
  chosen = true;
}

/** Sets the level a command logs at by default, unless --log-level or LOG_LEVEL chose one. */
export function defaultLogLevel(level: string): void {
  if (!chosen) log.level = level;
}
