/**
 * local-guard: a lock held by this process for other processes of this machine, without
 * a lock file. The holder listens on a Unix socket in Linux's abstract namespace (a kernel
 * object, released when the process ends, even by SIGKILL) and tells whoever connects who
 * it is. Elsewhere the socket is a file in the temporary directory; a stale one (connection
 * refused) is replaced.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { selfHolder, type HeldLock, type LockHolder } from './holder.js';

function socketAddress(name: string): string {
  const id = createHash('sha1').update(name).digest('hex').slice(0, 20);
  return process.platform === 'linux' ? `\0ayahfinder-${id}` : path.join(os.tmpdir(), `ayahfinder-${id}.sock`);
}

/** Takes the guard `name` (any string, e.g. a resource path), or says who holds it. */
export async function tryLocalGuard(name: string, what: string): Promise<HeldLock | LockHolder> {
  const address = socketAddress(name);
  const me = selfHolder(what);
  for (let attempt = 0; attempt < 2; attempt++) {
    const server = net.createServer((socket) => {
      // An asker that hangs up first (it timed out, or was killed) is no error of the holder's.
      socket.on('error', () => socket.destroy());
      socket.end(JSON.stringify(me));
    });
    const listened = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(address, () => resolve(undefined));
    });
    if (!listened) {
      server.unref();
      return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    }
    if (listened.code !== 'EADDRINUSE') throw listened;
    const holder = await askHolder(address);
    if (holder) return holder;
    // Nobody answers: a stale socket file (not on Linux, whose abstract sockets vanish with their process).
    if (address.startsWith('\0')) return silentHolder(me);
    fs.rmSync(address, { force: true });
  }
  return silentHolder(me);
}

/** A holder that does not answer (busy, or not an Ayahfinder process). */
function silentHolder(me: LockHolder): LockHolder {
  return { what: 'unknown', host: me.host, pid: 0, since: 'at an unknown time' };
}

function askHolder(address: string): Promise<LockHolder | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect(address);
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (d) => (text += d.toString()));
    socket.on('error', () => resolve(undefined));
    socket.on('close', () => {
      try {
        resolve(JSON.parse(text) as LockHolder);
      } catch {
        resolve(undefined);
      }
    });
  });
}
