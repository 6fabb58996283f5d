/**
 * damage: a damaged index is a state the user can repair, not a bug: one line naming the
 * index and what is missing or truncated (a table, a data file), exit 4, and the repair
 * (`ayah index rebuild`, which rebuilds from the catalog and the audio). LanceDB's own
 * messages carry Rust source paths; they are turned into that one line here.
 */
import { AyahError, ExitCode, reasonOf } from '../errors.js';
import { FINGERPRINT } from '../fingerprint/config.js';

const REPAIR = 'run `ayah index rebuild` (it rebuilds the index from the catalog and the audio)';

/**
 * The exit-4 error of an index built with another fingerprint version (its hashes mean
 * something else): `<dir>: outdated index: ...; run ...`. `ayah index rebuild` sets it aside
 * and rebuilds it, as it does a damaged one.
 */
export function outdatedIndex(indexDir: string, version: unknown): AyahError {
  return new AyahError(`${indexDir}: outdated index: built with fingerprint version ${String(version)}, this ayah uses ${FINGERPRINT.version}; ${REPAIR}`, ExitCode.NO_INDEX);
}

/** Whether an error is the one-line error of a damaged or outdated index (what a rebuild repairs). */
export function isRepairable(err: unknown): err is AyahError {
  return err instanceof AyahError && err.code === ExitCode.NO_INDEX && /: (damaged|outdated) index: /.test(err.message);
}

/** What LanceDB's error says is wrong, in a few words, without Rust source paths. */
export function lanceDamage(err: unknown): string {
  const m = reasonOf(err);
  const file = /Not found: \S*?([^/\s]+\.lance\/(?:data|_versions)\/[^,\s]+)/.exec(m);
  if (file) return `${file[1]} is missing`;
  if (/failed to fill whole buffer|unexpected end of file|unexpected EOF|UnexpectedEof|out of range|Invalid range .* for object of size|Invalid (?:file|footer)|not a lance file/i.test(m)) return 'a data file is truncated or damaged';
  if (/was not found|does not exist/i.test(m)) return 'the table is missing';
  return m.replace(/,?\s*\/(?:usr|rustc|home|root)\/\S+:\d+:\d+/g, '').replace(/\s+Caused by:.*$/s, '').slice(0, 200);
}

/** The exit-4 error of a damaged index: `<dir>: damaged index: <what>: <reason>; run ...`. */
export function damagedIndex(indexDir: string, what: string, reason: string, cause?: unknown): AyahError {
  return new AyahError(`${indexDir}: damaged index: ${what}: ${reason}; ${REPAIR}`, ExitCode.NO_INDEX, { cause });
}

/** Runs a read of table `table`; a LanceDB failure becomes the damaged-index error naming it. */
export async function readingTable<T>(indexDir: string, table: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof AyahError) throw err;
    throw damagedIndex(indexDir, `table ${table}`, lanceDamage(err), err);
  }
}
