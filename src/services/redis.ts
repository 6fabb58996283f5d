/**
 * redis: connecting to REDIS_URL. `connectRedis` checks the server answers (one clear
 * line, exit 5, when it does not); `bullConnection` gives the options BullMQ connects with.
 */
import { Redis } from 'ioredis';
import { serviceAddress, unreachable } from './unreachable.js';

const CONNECT_TIMEOUT_MS = 5000;

export function redisAddress(url: string): string {
  return serviceAddress(url, 6379);
}

/** A connected client (PING answered); throws `Redis at host:port is unreachable: ...` otherwise. */
export async function connectRedis(url: string): Promise<Redis> {
  let everConnected = false;
  const client: Redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // ioredis otherwise keeps a failed connection's stream (and the process) alive 2 s.
    disconnectTimeout: 200,
    // Fail fast on the first connection; once connected, reconnect as usual.
    retryStrategy: (times: number): number | null => (everConnected ? Math.min(times * 200, 2000) : null),
  });
  let lastError: unknown;
  client.on('error', (err: Error) => (lastError = err));
  try {
    await client.connect();
    await client.ping();
    everConnected = true;
    return client;
  } catch (err) {
    client.disconnect();
    throw unreachable('Redis', redisAddress(url), lastError ?? err);
  }
}

/** Connection options of BullMQ queues, workers and flow producers. */
export function bullConnection(url: string): { url: string; maxRetriesPerRequest: null; connectTimeout: number } {
  return { url, maxRetriesPerRequest: null, connectTimeout: CONNECT_TIMEOUT_MS };
}
