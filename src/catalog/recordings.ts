/**
 * recordings: the catalog's recordings, one row per indexed audio file of a reciter
 * (unique per reciter and relative path, and per reciter and ayah span). The catalog
 * mirrors what a merge committed into the index; a rebuild reads its sources from here.
 */
import { AyahError, ExitCode } from '../errors.js';
import type { Recording, RecordingSource } from '../types.js';
import type { Sql } from './catalog.js';

/** An ayah file's timeline is its whole duration (see runFingerprintJob); anything else is cut from a longer file. */
function kindOf(r: Recording): 'ayah' | 'surah' {
  const [t] = r.timeline;
  return r.timeline.length === 1 && t.start === 0 && t.end === r.durationS ? 'ayah' : 'surah';
}

function spanOf(r: Pick<Recording, 'timeline'>): { surah: number; from: number; to: number } {
  const surah = r.timeline[0].surah;
  const ayahs = r.timeline.filter((t) => t.surah === surah).map((t) => t.ayah);
  return { surah, from: Math.min(...ayahs), to: Math.max(...ayahs) };
}

/** Makes the catalog's recordings of a reciter exactly `recordings` (as the index has them). */
export async function replaceReciterRecordings(sql: Sql, reciterId: string, recordings: Recording[], buildId: string | null): Promise<void> {
  const rows = recordings.filter((r) => r.timeline.length > 0);
  assertOnePerSpan(reciterId, rows);
  await sql.query('DELETE FROM recordings WHERE reciter_id = $1 AND NOT (rel_path = ANY($2::text[]))', [reciterId, rows.map((r) => r.relPath)]);
  const spans = rows.map(spanOf);
  await sql.query(
    `INSERT INTO recordings (reciter_id, surah, ayah_from, ayah_to, kind, rel_path, source_path, content_hash, duration_ms, timeline, build_id)
     SELECT $1, s, f, t, k, rp, sp, h, d, tl::jsonb, $2
     FROM unnest($3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[]) AS x(s, f, t, k, rp, sp, h, d, tl)
     ON CONFLICT (reciter_id, rel_path) DO UPDATE SET surah = EXCLUDED.surah, ayah_from = EXCLUDED.ayah_from, ayah_to = EXCLUDED.ayah_to,
       kind = EXCLUDED.kind, source_path = EXCLUDED.source_path, content_hash = EXCLUDED.content_hash, duration_ms = EXCLUDED.duration_ms,
       timeline = EXCLUDED.timeline,
       build_id = CASE WHEN recordings.content_hash = EXCLUDED.content_hash THEN recordings.build_id ELSE EXCLUDED.build_id END,
       indexed_at = CASE WHEN recordings.content_hash = EXCLUDED.content_hash THEN recordings.indexed_at ELSE now() END`,
    [
      reciterId,
      buildId,
      spans.map((s) => s.surah),
      spans.map((s) => s.from),
      spans.map((s) => s.to),
      rows.map(kindOf),
      rows.map((r) => r.relPath),
      rows.map((r) => r.path),
      rows.map((r) => r.contentHash),
      rows.map((r) => Math.round(r.durationS * 1000)),
      rows.map((r) => JSON.stringify(r.timeline)),
    ],
  );
}

/**
 * The catalog keeps one recording per reciter and ayah span: the first two of `items` (one
 * reciter's) that recite the same span, and the span ("113:1", "2:1-5"), if any.
 * `ayah add-reciter` refuses such a folder before it indexes anything.
 */
export function sharedSpan(items: readonly Pick<Recording, 'relPath' | 'timeline'>[]): { first: string; second: string; span: string } | undefined {
  const seen = new Map<string, string>();
  for (const r of items) {
    const { surah, from, to } = spanOf(r);
    const span = from === to ? `${surah}:${from}` : `${surah}:${from}-${to}`;
    const first = seen.get(span);
    if (first !== undefined) return { first, second: r.relPath, span };
    seen.set(span, r.relPath);
  }
  return undefined;
}

/** An index made without add-reciter can still hold two: importing it is refused with both named, not with a constraint violation. */
function assertOnePerSpan(reciterId: string, rows: Recording[]): void {
  const shared = sharedSpan(rows);
  if (shared)
    throw new AyahError(
      `reciter "${reciterId}": ${shared.first} and ${shared.second} both recite ${shared.span}; the catalog keeps one recording per reciter and ayah, so this index cannot be taken into it (an index built by \`ayah add-reciter\` never has two)`,
      ExitCode.NO_INDEX,
    );
}

/** Recordings per reciter. */
export async function countRecordings(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql.query<{ reciter_id: string; n: number }>('SELECT reciter_id, count(*)::int AS n FROM recordings GROUP BY reciter_id');
  return new Map(rows.map((r) => [r.reciter_id, Number(r.n)]));
}

/** A reciter's recordings as sources to fingerprint again (rebuild), in surah, ayah order. */
export async function recordingSources(sql: Sql, reciterId: string): Promise<RecordingSource[]> {
  const rows = await sql.query(
    'SELECT surah, ayah_from, kind, rel_path, source_path, timeline FROM recordings WHERE reciter_id = $1 ORDER BY surah, ayah_from, rel_path',
    [reciterId],
  );
  return rows.map((r) => ({
    path: String(r.source_path),
    relPath: String(r.rel_path),
    ref: { surah: Number(r.surah), ayah: Number(r.ayah_from) },
    kind: r.kind === 'surah' ? 'surah' : 'ayah',
    timeline: (typeof r.timeline === 'string' ? JSON.parse(r.timeline) : r.timeline) as RecordingSource['timeline'],
  }));
}

/** Reciters other than `reciterId` with recordings from the folder `dir` (absolute), with how many. */
export async function otherRecitersOfFolder(sql: Sql, dir: string, reciterId: string): Promise<{ reciterId: string; recordings: number }[]> {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const rows = await sql.query<{ reciter_id: string; n: number }>(
    'SELECT reciter_id, count(*)::int AS n FROM recordings WHERE reciter_id <> $1 AND left(source_path, length($2)) = $2 GROUP BY reciter_id ORDER BY reciter_id',
    [reciterId, prefix],
  );
  return rows.map((r) => ({ reciterId: r.reciter_id, recordings: Number(r.n) }));
}
