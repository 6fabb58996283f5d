/**
 * thread-pool: a fixed pool of worker threads running `runFingerprintJob`, so
 * fingerprinting uses every core. Jobs queue until a thread is free.
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
  private readonly all: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly current = new Map<Worker, Pending>();

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./fingerprint-thread.js', import.meta.url));
      w.on('message', (msg: { ok: true; result: FingerprintJobResult } | { ok: false; error: string }) => {
        const job = this.current.get(w);
        this.current.delete(w);
        if (job) {
          if (msg.ok) job.resolve(msg.result);
          else job.reject(new Error(msg.error));
        }
        this.release(w);
      });
      w.on('error', (err) => {
        const job = this.current.get(w);
        this.current.delete(w);
        job?.reject(err);
      });
      this.all.push(w);
      this.idle.push(w);
    }
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
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
