/**
 * ffmpeg-helper: this process's side of the small helper process that starts ffmpeg for it
 * (ffmpeg-spawner.ts is the helper's body; ffmpeg-process.ts says why). Runs are messages on
 * the helper's IPC channel: a start (path, arguments, pipes), then, back, the bytes of each
 * pipe ffmpeg writes, its log and its end; the bytes of the pipes it reads (and of its
 * standard input) and kills go out. Pipes are named by their number (fd: 0, 3, 4, ...).
 *
 * The helper is used once it has said it is ready: runs asked for before (a call's first
 * group of inputs, decoded at once) start ffmpeg here. A helper that ends or cannot start is
 * not used again; its runs that were under way end with the reason (decode-batch.ts then
 * decodes their files again, from this process).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { pipeFds, type FfmpegIo } from './ffmpeg-io.js';
import type { FfmpegEnd, FfmpegRun } from './ffmpeg-process.js';

/** Messages from the helper. */
export type FromHelper =
  | { op: 'ready' }
  | { op: 'data'; id: number; fd: number; chunk: Uint8Array }
  | { op: 'end'; id: number; fd: number }
  | { op: 'stderr'; id: number; text: string }
  | { op: 'close'; id: number; code: number | null; signal: NodeJS.Signals | null }
  | { op: 'error'; id: number; message: string };

/** Messages to the helper. */
export type ToHelper =
  | { op: 'start'; id: number; path: string; args: string[]; pipes: readonly ('in' | 'out')[]; stdin: boolean }
  | { op: 'write'; id: number; fd: number; chunk: Uint8Array }
  | { op: 'close-fd'; id: number; fd: number }
  | { op: 'kill'; id: number; signal: NodeJS.Signals };

interface Pending {
  /** The 'out' pipes by fd. */
  outputs: Map<number, PassThrough>;
  stderr: PassThrough;
  settle: (end: FfmpegEnd) => void;
}

export class FfmpegHelper {
  private readonly child: ChildProcess;
  private readonly runs = new Map<number, Pending>();
  private nextId = 0;
  private up = false;
  private gone = false;
  /** Settles once the helper is ready to take runs, or has ended. */
  readonly started: Promise<void>;
  private settleStarted!: () => void;

  constructor() {
    this.started = new Promise((resolve) => (this.settleStarted = resolve));
    // No flags of this process (--inspect, --cpu-prof, heap sizes): the helper needs none.
    this.child = fork(new URL('./ffmpeg-spawner.js', import.meta.url), [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.child.on('message', (m: FromHelper) => this.received(m));
    this.child.on('error', () => this.ended('the ffmpeg helper process could not start'));
    this.child.on('exit', (code, signal) => this.ended(`the ffmpeg helper process ended (${signal ?? `exit code ${code}`})`));
    // Its channel can close before its exit is seen (whose reason says more, so it is given a
    // moment): no run may wait on the helper from then on.
    this.child.on('disconnect', () => setTimeout(() => this.ended('the ffmpeg helper process ended (its channel closed)'), 50).unref());
    // Held until it is ready (a few tens of ms); after that an idle helper keeps nothing
    // alive, and it ends with this process (its channel closes).
    this.hold(true);
  }

  /** The helper's process id (undefined if it could not start). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether runs go to the helper: it said it is ready and has not ended. */
  get ready(): boolean {
    return this.up && !this.gone;
  }

  run(path: string, args: string[], io: FfmpegIo): FfmpegRun {
    const id = this.nextId++;
    const outputs = new Map(pipeFds(io, 'out').map((fd) => [fd, new PassThrough()]));
    const stderr = new PassThrough();
    let settle!: (end: FfmpegEnd) => void;
    const ended = new Promise<FfmpegEnd>((resolve) => (settle = resolve));
    this.runs.set(id, { outputs, stderr, settle });
    this.hold(true);
    if (this.gone || !this.child.connected) this.finish(id, { error: new Error('the ffmpeg helper process ended') });
    else this.send({ op: 'start', id, path, args, pipes: io.pipes, stdin: io.stdin ?? false });
    const writer = (fd: number) =>
      new Writable({
        write: (chunk: Buffer, _enc, done) => this.send({ op: 'write', id, fd, chunk }, done),
        final: (done) => this.send({ op: 'close-fd', id, fd }, done),
      });
    return {
      outputs: [...outputs.values()],
      inputs: pipeFds(io, 'in').map(writer),
      stderr,
      ...(io.stdin ? { stdin: writer(0) } : {}),
      ended,
      kill: (signal) => this.send({ op: 'kill', id, signal }),
    };
  }

  private send(m: ToHelper, done?: () => void): void {
    if (this.gone || !this.child.connected) return void done?.();
    this.child.send(m, () => done?.());
  }

  private received(m: FromHelper): void {
    if (m.op === 'ready') {
      this.up = true;
      this.settleStarted();
      if (this.runs.size === 0) this.hold(false);
      return;
    }
    const run = this.runs.get(m.id);
    if (!run) return;
    if (m.op === 'data') run.outputs.get(m.fd)?.write(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
    else if (m.op === 'end') {
      const out = run.outputs.get(m.fd);
      if (out && !out.writableEnded) out.end();
    } else if (m.op === 'stderr') run.stderr.write(m.text);
    else this.finish(m.id, m.op === 'close' ? { code: m.code, signal: m.signal } : { error: new Error(m.message) });
  }

  /** Ends run `id`: its outputs and log end, then it settles. */
  private finish(id: number, end: FfmpegEnd): void {
    const run = this.runs.get(id);
    if (!run) return;
    this.runs.delete(id);
    for (const o of run.outputs.values()) if (!o.writableEnded) o.end();
    run.stderr.end();
    run.settle(end);
    if (this.runs.size === 0) this.hold(false);
  }

  private ended(reason: string): void {
    if (this.gone) return;
    this.gone = true;
    this.settleStarted();
    for (const id of [...this.runs.keys()]) this.finish(id, { error: new Error(reason) });
  }

  /** Keeps this process alive while runs are under way, not otherwise. */
  private hold(on: boolean): void {
    const channel = this.child.channel as { ref(): void; unref(): void } | undefined;
    if (on) {
      this.child.ref();
      channel?.ref();
    } else {
      this.child.unref();
      channel?.unref();
    }
  }
}
