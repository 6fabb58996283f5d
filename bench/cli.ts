/**
 * cli: how the benchmark scripts run the real `ayah` command (a new process each time,
 * as a user would) and time it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CORPUS = process.env.AYAH_CORPUS ?? path.resolve(REPO, '..', 'shared', 'corpus');

export interface Timed<T> {
  ms: number;
  value: T;
}

export function ayah(args: string[], env: Record<string, string>, stderr: 'inherit' | 'ignore') {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'ayah'), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', stderr],
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? 70, stdout: r.stdout.toString() };
}

export function ayahJson(args: string[], env: Record<string, string>): Record<string, unknown> {
  const r = ayah(args, env, 'inherit');
  if (r.status !== 0) throw new Error(`ayah ${args[0]} failed (exit ${r.status})`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

export function timed<T>(fn: () => T): Timed<T> {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

export function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}
