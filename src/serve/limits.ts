/**
 * limits: the bounds a request meets. A gate admits a fixed number of identifications at
 * once and refuses the rest at once (no queue); a deadline aborts an identification that
 * runs too long.
 */

export class ConcurrencyGate {
  private running = 0;

  constructor(readonly max: number) {}

  /** A release function, or undefined when `max` identifications already run. */
  tryEnter(): (() => void) | undefined {
    if (this.running >= this.max) return undefined;
    this.running++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.running--;
    };
  }

  get inUse(): number {
    return this.running;
  }
}

/** Raised when an identification outlives its deadline or its client leaves. */
export class AbortedRequest extends Error {
  constructor(readonly why: 'timeout' | 'client gone', ms?: number) {
    super(why === 'timeout' ? `timed out after ${ms} ms` : 'client closed the connection');
    this.name = 'AbortedRequest';
  }
}

/** Runs `work` until it ends or `signal` aborts, whichever comes first (work that goes on is still awaited by its owner). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
