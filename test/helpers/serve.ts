/**
 * Test helpers for `ayah serve`: a real server process (port chosen by the system), its
 * URL read from the line it prints, and a port where nothing listens.
 */
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { ayahSpawn } from './env.js';
import { waitFor } from './services.js';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export async function startServe(env: Record<string, string | undefined>, args: string[] = []): Promise<ServeProcess> {
  const child = ayahSpawn(['serve', '--port', '0', ...args], { LOG_LEVEL: 'info', ...env });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await waitFor('ayah serve to listen', async () => /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? (child.exitCode !== null ? 'exited' : undefined), 30_000);
  if (url === 'exited') throw new Error(`ayah serve exited: ${err}`);
  return {
    child,
    url,
    stderr: () => err,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A TCP port nothing listens on (taken from the system, then released). */
export async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
