/**
 * holder: who holds a lock, as every lock backend reports it ("started <when> by <host/pid>").
 */
import os from 'node:os';

export interface LockHolder {
  /** What the holder is doing, e.g. "index rebuild". */
  what: string;
  host: string;
  pid: number;
  /** ISO time the lock was taken. */
  since: string;
}

/** A lock this process holds. */
export interface HeldLock {
  release(): Promise<void>;
}

export function selfHolder(what: string): LockHolder {
  return { what, host: os.hostname(), pid: process.pid, since: new Date().toISOString() };
}

/** "started 2024-05-01T03:00:00Z by host/1234". */
export function describeHolder(h: LockHolder): string {
  return h.pid ? `started ${h.since} by ${h.host}/${h.pid}` : `held by a process of ${h.host} that does not say who it is`;
}
