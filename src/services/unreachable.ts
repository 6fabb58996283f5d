/**
 * unreachable: the one-line error for a configured service (PostgreSQL, Redis) that cannot
 * be used: `<Service> at <host:port> is unreachable: <reason>`, exit code 5.
 */
import { AyahError, ExitCode, reasonOf } from '../errors.js';

/** "host:port" of a service URL (the port defaults to the service's own). */
export function serviceAddress(url: string, defaultPort: number): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    return `${host}:${u.port || defaultPort}`;
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

/** The reason of a connection error; Node's happy-eyeballs AggregateError has an empty message. */
export function connectionReason(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return connectionReason(err.errors[err.errors.length - 1]);
  const e = err as { message?: string; code?: string };
  return reasonOf(err) || e?.code || 'unknown error';
}

export function unreachable(service: 'PostgreSQL' | 'Redis', address: string, err: unknown): AyahError {
  return new AyahError(`${service} at ${address} is unreachable: ${connectionReason(err)}`, ExitCode.SERVICE_UNAVAILABLE, { cause: err });
}
