/**
 * ffmpeg-spawner: the body of the helper process that starts ffmpeg for a larger one
 * (ffmpeg-helper.ts is the other side, ffmpeg-process.ts says why). It loads nothing but
 * Node's own modules and ffmpeg-io.ts, so it stays small and starts fast. It passes on what each run writes to
 * its pipes and log as it comes, writes what it is sent to the pipes ffmpeg reads, and kills
 * a run when asked. When its parent goes
 * (the IPC channel closes), it kills the runs still under way and ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { FromHelper, ToHelper } from './ffmpeg-helper.js';
import { ffmpegStdio, pipeFds } from './ffmpeg-io.js';

const runs = new Map<number, ChildProcess>();

function send(m: FromHelper): void {
  if (process.connected) process.send!(m);
}

function start(m: Extract<ToHelper, { op: 'start' }>): void {
  const { id } = m;
  const io = { pipes: m.pipes, stdin: m.stdin };
  const child = spawn(m.path, m.args, { stdio: ffmpegStdio(io) });
  runs.set(id, child);
  // ffmpeg that stops reading (it failed, or decoded what it was asked for) is not an error here.
  child.stdin?.on('error', () => {});
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => send({ op: 'stderr', id, text }));
  for (const fd of pipeFds(io, 'in')) (child.stdio[fd] as Writable).on('error', () => {});
  for (const fd of pipeFds(io, 'out')) {
    const out = child.stdio[fd] as Readable;
    out.on('data', (chunk: Buffer) => send({ op: 'data', id, fd, chunk }));
    out.on('end', () => send({ op: 'end', id, fd }));
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
  const pipe = m.op === 'kill' ? undefined : (child.stdio[m.fd] as Writable | null);
  if (m.op === 'write') pipe?.write(m.chunk);
  else if (m.op === 'close-fd') pipe?.end();
  else child.kill(m.signal);
});

process.on('disconnect', () => {
  for (const child of runs.values()) child.kill('SIGKILL');
  process.exit(0);
});

send({ op: 'ready' });
