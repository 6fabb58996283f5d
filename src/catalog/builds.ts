/**
 * builds: the catalog's index builds: one row per build flow (add-reciter or rebuild of a
 * reciter), from queued or running to done (with its counts and index version) or failed
 * (with the reason).
 */
import os from 'node:os';
import type { MergeJobResult } from '../pipeline/jobs/types.js';
import type { Sql } from './catalog.js';

export type BuildKind = 'add-reciter' | 'rebuild';
export type BuildStatus = 'queued' | 'running' | 'done' | 'failed';

export interface NewBuild {
  id: string;
  kind: BuildKind;
  reciterId: string;
  runner: 'in-process' | 'bullmq';
  files: number;
  batches: number;
}

export interface BuildRow extends NewBuild {
  status: BuildStatus;
  statusReason?: string;
  recordingsAdded?: number;
  recordingsRemoved?: number;
  postings?: number;
  failedFiles?: number;
  indexVersion?: number;
  host?: string;
  pid?: number;
  createdAt: string;
  finishedAt?: string;
  durationMs?: number;
}

export async function createBuild(sql: Sql, b: NewBuild): Promise<void> {
  await sql.query(
    `INSERT INTO index_builds (id, kind, reciter_id, runner, status, files, batches, host, pid) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [b.id, b.kind, b.reciterId, b.runner, b.runner === 'bullmq' ? 'queued' : 'running', b.files, b.batches, os.hostname(), process.pid],
  );
}

export async function finishBuild(sql: Sql, id: string, r: MergeJobResult): Promise<void> {
  await sql.query(
    `UPDATE index_builds SET status = 'done', status_reason = NULL, recordings_added = $2, recordings_removed = $3, postings = $4,
       failed_files = $5, index_version = $6, finished_at = now(), duration_ms = (extract(epoch FROM now() - created_at) * 1000)::int
     WHERE id = $1`,
    [id, r.recordingsAdded, r.recordingsRemoved, r.postings, r.failed.length, r.indexVersion],
  );
}

export async function failBuild(sql: Sql, id: string, reason: string): Promise<void> {
  await sql.query(
    `UPDATE index_builds SET status = 'failed', status_reason = $2, finished_at = now(),
       duration_ms = (extract(epoch FROM now() - created_at) * 1000)::int WHERE id = $1 AND status <> 'done'`,
    [id, reason],
  );
}

/** A failed build whose jobs are retried: queued again. */
export async function requeueBuild(sql: Sql, id: string): Promise<void> {
  await sql.query(`UPDATE index_builds SET status = 'queued', status_reason = NULL, finished_at = NULL, duration_ms = NULL WHERE id = $1 AND status = 'failed'`, [id]);
}

function fromRow(row: Record<string, unknown>): BuildRow {
  const opt = (k: string) => (row[k] === null || row[k] === undefined ? undefined : Number(row[k]));
  const out: BuildRow = {
    id: String(row.id),
    kind: row.kind as BuildKind,
    reciterId: String(row.reciter_id),
    runner: row.runner as BuildRow['runner'],
    files: Number(row.files),
    batches: Number(row.batches),
    status: row.status as BuildStatus,
    statusReason: row.status_reason ? String(row.status_reason) : undefined,
    recordingsAdded: opt('recordings_added'),
    recordingsRemoved: opt('recordings_removed'),
    postings: opt('postings'),
    failedFiles: opt('failed_files'),
    indexVersion: opt('index_version'),
    host: row.host ? String(row.host) : undefined,
    pid: opt('pid'),
    createdAt: String(row.created),
    finishedAt: row.finished ? String(row.finished) : undefined,
    durationMs: opt('duration_ms'),
  };
  for (const k of Object.keys(out) as (keyof BuildRow)[]) if (out[k] === undefined) delete out[k];
  return out;
}

const SELECT = `SELECT *, created_at::text AS created, finished_at::text AS finished FROM index_builds`;

export async function getBuild(sql: Sql, id: string): Promise<BuildRow | undefined> {
  const [row] = await sql.query(`${SELECT} WHERE id = $1`, [id]);
  return row ? fromRow(row) : undefined;
}

export async function recentBuilds(sql: Sql, limit = 20, reciterId?: string): Promise<BuildRow[]> {
  const rows = reciterId
    ? await sql.query(`${SELECT} WHERE reciter_id = $1 ORDER BY created_at DESC LIMIT $2`, [reciterId, limit])
    : await sql.query(`${SELECT} ORDER BY created_at DESC LIMIT $1`, [limit]);
  return rows.map(fromRow);
}

/** Builds not finished yet (queued or running). */
export async function unfinishedBuilds(sql: Sql): Promise<BuildRow[]> {
  return (await sql.query(`${SELECT} WHERE status IN ('queued', 'running') ORDER BY created_at`)).map(fromRow);
}
