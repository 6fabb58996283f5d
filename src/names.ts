/**
 * names: text from outside (file names, reciter names, reasons quoting them) made safe for
 * the one-line messages and the listings: control characters (a newline in a file name)
 * are escaped, and names given to the catalog have a length limit.
 */
import { AyahError, ExitCode } from './errors.js';

/** Longest reciter name, style or riwayah accepted (characters). */
export const MAX_NAME_LENGTH = 200;

/** `text` on one line: control characters (newline, tab, escape ...) shown as \n, \t, \x1b. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** Checks a name given on the command line (`--name`, `--name-ar`, `--style`, `--riwayah`): a usage error unless it is one short line. */
export function checkName(option: string, value: string): string {
  const name = value.trim();
  if (!name) throw new AyahError(`${option}: empty`, ExitCode.USAGE);
  if (name.length > MAX_NAME_LENGTH) throw new AyahError(`${option}: ${name.length} characters; at most ${MAX_NAME_LENGTH}`, ExitCode.USAGE);
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) throw new AyahError(`${option}: "${oneLine(name)}" has control characters (a newline?)`, ExitCode.USAGE);
  return name;
}

/** What a reciter is known by: its id and names. */
export interface ReciterNames {
  id: string;
  nameEn?: string;
  nameAr?: string;
}

/**
 * The one way a reciter is named on every command (identify --reciter, bench --reciter,
 * reciters show|activate|deactivate|remove): its id or its exact name (English or Arabic),
 * case-insensitive.
 */
export function namesReciter(query: string, r: ReciterNames): boolean {
  const q = query.trim().toLowerCase();
  return r.id.toLowerCase() === q || r.nameEn?.toLowerCase() === q || (r.nameAr !== undefined && r.nameAr.toLowerCase() === q);
}

/** The ids `queries` name among `known`; an unknown name is a usage error listing the known ones. */
export function resolveReciters(option: string, queries: string[], known: ReciterNames[]): string[] {
  const missing = queries.filter((q) => !known.some((r) => namesReciter(q, r)));
  if (missing.length)
    throw new AyahError(
      `${option}: no reciter ${missing.map((m) => `"${oneLine(m)}"`).join(', ')}; known: ${[...new Set(known.map((r) => r.id))].join(', ') || 'none (the index is empty)'}`,
      ExitCode.USAGE,
    );
  return [...new Set(queries.flatMap((q) => known.filter((r) => namesReciter(q, r)).map((r) => r.id)))];
}
