/**
 * ffmpeg-spawner: the body of the helper process that starts ffmpeg for a larger one
 * (ffmpeg-helper.ts is the other side, ffmpeg-process.ts says why). It loads nothing but
 * Node's own modules, so it stays small and starts fast. It passes each run's outputs and log
 * on as they come, feeds its standard input, and kills it when asked. When its parent goes
 * (the IPC channel closes), it kills the runs still under way and ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { FromHelper, ToHelper } from './ffmpeg-helper.js';

const runs = new Map<number, ChildProcess>();

function send(m: FromHelper): void {
  if (process.connected) process.send!(m);
}

function start(m: Extract<ToHelper, { op: 'start' }>): void {
  const { id } = m;
  const child = spawn(m.path, m.args, { stdio: [m.stdin ? 'pipe' : 'ignore', 'ignore', 'pipe', ...Array.from({ length: m.outputs }, () => 'pipe' as const)] });
  runs.set(id, child);
  // ffmpeg that stops reading (it failed, or decoded what it was asked for) is not an error here.
  child.stdin?.on('error', () => {});
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => send({ op: 'stderr', id, text }));
  for (let k = 0; k < m.outputs; k++) {
    const out = child.stdio[3 + k] as Readable;
    out.on('data', (chunk: Buffer) => send({ op: 'data', id, k, chunk }));
    out.on('end', () => send({ op: 'end', id, k }));
  }
  let over = false;
  child.on('error', (err) => {
    if (over) return;
    over = true;
    runs.delete(id);
    send({ op: 'error', id, message: `ffmpeg could not start: ${err.message}` });
  });
  child.on('close', (code, signal) => {
    if (over) return;
    over = true;
    runs.delete(id);
    send({ op: 'close', id, code, signal });
  });
}

process.on('message', (m: ToHelper) => {
  if (m.op === 'start') return start(m);
  const child = runs.get(m.id);
  if (!child) return;
  if (m.op === 'stdin') child.stdin?.write(m.chunk);
  else if (m.op === 'stdin-end') child.stdin?.end();
  else child.kill(m.signal);
});

process.on('disconnect', () => {
  for (const child of runs.values()) child.kill('SIGKILL');
  process.exit(0);
});

send({ op: 'ready' });
