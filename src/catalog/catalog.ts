/**
 * catalog: the pipeline's system of record (reciters, recordings, index builds), in
 * PostgreSQL. One small interface over two engines, so every statement is the same SQL:
 * `pg` when DATABASE_URL is set (DATABASE_READ_URL, when set, serves `read`), otherwise
 * an embedded PostgreSQL (PGlite) in AYAH_HOME/catalog. `identify` never opens it.
 */
export type Row = Record<string, unknown>;

export interface Sql {
  query<R extends Row = Row>(text: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements, without parameters (migrations). */
  script(text: string): Promise<void>;
}

export interface Catalog extends Sql {
  readonly kind: 'postgres' | 'embedded';
  /** Where it is, for messages: "host:port/database" or the embedded directory. */
  readonly where: string;
  /** For reads that may be served by a replica (DATABASE_READ_URL); `this` otherwise. */
  readonly read: Sql;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
