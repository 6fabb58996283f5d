/**
 * thread-pool: a fixed pool of worker threads running `runFingerprintJob`, so
 * fingerprinting uses every core. Jobs queue until a thread is free. A thread that ends
 * (crashed, out of memory, terminated) fails the job it had, with the reason, and is
 * replaced by a new thread, so the jobs after it still run.
 */
import { Worker } from 'node:worker_threads';
import type { FingerprintJobData, FingerprintJobResult } from '../jobs/types.js';

interface Pending {
  data: FingerprintJobData;
  resolve: (r: FingerprintJobResult) => void;
  reject: (e: Error) => void;
}

export class ThreadPool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly queue: Pending[] = [];
  private readonly current = new Map<Worker, Pending>();
  private closing = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.start());
  }

  /** The running threads (a test ends one to check it is replaced). */
  threads(): Worker[] {
    return [...this.all];
  }

  private start(): Worker {
    const w = new Worker(new URL('./fingerprint-thread.js', import.meta.url));
    let failure: Error | undefined;
    w.on('message', (msg: { ok: true; result: FingerprintJobResult } | { ok: false; error: string }) => {
      const job = this.current.get(w);
      this.current.delete(w);
      if (job) {
        if (msg.ok) job.resolve(msg.result);
        else job.reject(new Error(msg.error));
      }
      this.release(w);
    });
    w.on('error', (err) => (failure = err));
    w.on('exit', (code) => {
      this.all.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      const job = this.current.get(w);
      this.current.delete(w);
      job?.reject(failure ?? new Error(`the fingerprint thread ended (exit code ${code})`));
      if (this.closing) return;
      this.idle.push(this.start());
      this.dispatch();
    });
    this.all.add(w);
    return w;
  }

  fingerprint(data: FingerprintJobData): Promise<FingerprintJobResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ data, resolve, reject });
      this.dispatch();
    });
  }

  private release(w: Worker): void {
    this.idle.push(w);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.current.set(w, job);
      w.postMessage(job.data);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.all].map((w) => w.terminate()));
  }
}
