/**
 * spinner: the progress spinner of long commands, on stderr and only when it is a terminal.
 * It leaves standard input alone: ora's default (discardStdin) swallows Ctrl-C, which must
 * stop the command (src/signals.ts).
 */
import ora, { type Ora } from 'ora';

export function startSpinner(text: string, enabled = true): Ora | undefined {
  return enabled && process.stderr.isTTY ? ora({ stream: process.stderr, text, discardStdin: false }).start() : undefined;
}
