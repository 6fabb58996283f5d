/**
 * Errors that reach the user, and the process exit codes (documented in README "Exit codes").
 * Throw `AyahError` with one clear line naming the input and the reason; the CLI prints
 * `ayah: <message>` and exits with `code`, without a stack trace unless --debug.
 */
export const ExitCode = {
  /** Everything asked was done (identify: every input answered, even with no_match). */
  OK: 0,
  /** Validation found errors, or a benchmark threshold was missed. */
  CHECK_FAILED: 1,
  /** Bad command line (unknown option, missing argument). */
  USAGE: 2,
  /** At least one input could not be read or decoded; the others were still processed. */
  BAD_INPUT: 3,
  /** No usable index in AYAH_HOME (run `ayah add-reciter` first), or it is damaged. */
  NO_INDEX: 4,
  /** A configured service (Redis, PostgreSQL) is unreachable. */
  SERVICE_UNAVAILABLE: 5,
  /** Another run holds the lock (e.g. an index rebuild is already running). */
  BUSY: 6,
  /** AYAH_HOME cannot be written (read-only file system, disk full, no permission); nothing was committed. */
  CANNOT_WRITE: 7,
  /** A bug: please report it with the output of --debug. */
  INTERNAL: 70,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class AyahError extends Error {
  constructor(
    message: string,
    readonly code: ExitCodeValue = ExitCode.BAD_INPUT,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AyahError';
  }
}

/** The one-line reason of any thrown value, for messages. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? String(err);
  return String(err).split('\n')[0] ?? '';
}
