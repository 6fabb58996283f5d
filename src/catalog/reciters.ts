/**
 * reciters: the catalog's reciters. A reciter is inserted inactive with status "new" by
 * add-reciter, becomes "indexing" while a build runs, "ready" (and active, the first time)
 * when its build is merged, or "failed" with the reason when the build fails.
 * `updated_at` is when its description or active flag last changed (not its status).
 */
import type { Reciter, ReciterState } from '../types.js';
import type { Sql } from './catalog.js';

export type ReciterStatus = 'new' | 'indexing' | 'ready' | 'failed';

export interface CatalogReciter extends Reciter {
  country?: string;
  isActive: boolean;
  priority: number;
  status: ReciterStatus;
  statusReason?: string;
  recordings: number;
  updatedAt: string;
}

/** Inserts the reciter (inactive, status "new") or updates its names; its riwayah is added when new. `updated_at` moves only when something changes. */
export async function upsertReciter(sql: Sql, r: Reciter & { country?: string }): Promise<void> {
  await addRiwayah(sql, r.riwayah);
  await sql.query(
    `INSERT INTO reciters (id, name_en, name_ar, riwayah, style, country) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET name_en = $2, name_ar = COALESCE($3, reciters.name_ar), riwayah = $4,
       style = COALESCE($5, reciters.style), country = COALESCE($6, reciters.country),
       updated_at = CASE WHEN (reciters.name_en, reciters.name_ar, reciters.riwayah, reciters.style, reciters.country)
         IS DISTINCT FROM ($2, COALESCE($3, reciters.name_ar), $4, COALESCE($5, reciters.style), COALESCE($6, reciters.country))
         THEN now() ELSE reciters.updated_at END`,
    [r.id, r.nameEn, r.nameAr ?? null, r.riwayah, r.style ?? null, r.country ?? null],
  );
}

/** Inserts the reciter (inactive, status "new") when the catalog does not have it; an existing one is left as it is. */
export async function insertReciterIfNew(sql: Sql, r: Reciter): Promise<void> {
  await addRiwayah(sql, r.riwayah);
  await sql.query(`INSERT INTO reciters (id, name_en, name_ar, riwayah, style) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`, [
    r.id,
    r.nameEn,
    r.nameAr ?? null,
    r.riwayah,
    r.style ?? null,
  ]);
}

async function addRiwayah(sql: Sql, riwayah: string): Promise<void> {
  await sql.query('INSERT INTO riwayat (id, name_en) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [riwayah, riwayah]);
}

export async function setReciterStatus(sql: Sql, id: string, status: ReciterStatus, reason?: string): Promise<void> {
  await sql.query('UPDATE reciters SET status = $2, status_reason = $3 WHERE id = $1', [id, status, reason ?? null]);
}

/** A reciter's build was merged: status "ready"; `activate` also makes it active (add-reciter). */
export async function markReciterReady(sql: Sql, id: string, activate: boolean): Promise<void> {
  await sql.query(
    `UPDATE reciters SET status = 'ready', status_reason = NULL, is_active = is_active OR $2,
       updated_at = CASE WHEN is_active OR NOT $2 THEN updated_at ELSE now() END WHERE id = $1`,
    [id, activate],
  );
}

export async function setReciterActive(sql: Sql, id: string, active: boolean): Promise<boolean> {
  return (
    await sql.query('UPDATE reciters SET is_active = $2, updated_at = CASE WHEN is_active = $2 THEN updated_at ELSE now() END WHERE id = $1 RETURNING id', [id, active])
  ).length > 0;
}

export async function deleteReciter(sql: Sql, id: string): Promise<boolean> {
  return (await sql.query('DELETE FROM reciters WHERE id = $1 RETURNING id', [id])).length > 0;
}

const SELECT = `SELECT r.*, r.updated_at::text AS updated, (SELECT count(*)::int FROM recordings x WHERE x.reciter_id = r.id) AS recordings FROM reciters r`;

function fromRow(row: Record<string, unknown>): CatalogReciter {
  return {
    id: String(row.id),
    nameEn: String(row.name_en),
    ...(row.name_ar ? { nameAr: String(row.name_ar) } : {}),
    riwayah: String(row.riwayah),
    ...(row.style ? { style: String(row.style) } : {}),
    ...(row.country ? { country: String(row.country) } : {}),
    isActive: Boolean(row.is_active),
    priority: Number(row.priority),
    status: String(row.status) as ReciterStatus,
    ...(row.status_reason ? { statusReason: String(row.status_reason) } : {}),
    recordings: Number(row.recordings),
    updatedAt: String(row.updated),
  };
}

export async function listReciters(sql: Sql): Promise<CatalogReciter[]> {
  return (await sql.query(`${SELECT} ORDER BY r.priority DESC, r.id`)).map(fromRow);
}

export async function getReciter(sql: Sql, id: string): Promise<CatalogReciter | undefined> {
  const [row] = await sql.query(`${SELECT} WHERE r.id = $1`, [id]);
  return row ? fromRow(row) : undefined;
}

/** The catalog's description of a reciter (what the index's manifest takes from it). */
export function stateOf(r: CatalogReciter): ReciterState {
  return { ...reciterOf(r), active: r.isActive };
}

/** The reciter as builds carry it. */
export function reciterOf(r: CatalogReciter): Reciter {
  return { id: r.id, nameEn: r.nameEn, riwayah: r.riwayah, ...(r.nameAr ? { nameAr: r.nameAr } : {}), ...(r.style ? { style: r.style } : {}) };
}
