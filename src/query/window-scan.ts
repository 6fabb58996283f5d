/**
 * window-scan: a long or live input as a stream of overlapping query windows. The input is
 * decoded by one ffmpeg process and fingerprinted once, as it arrives (decode → spectrogram
 * → peaks); each window's landmarks come from the peaks inside it (PeakWindow) and are
 * matched with the identifier's exact and tempo passes. Every window yields its confident
 * alignments as hits: which recording, and where that recording's start sits in the input.
 * Memory is bounded: ffmpeg's pipe is read only as fast as windows are matched, and peaks
 * older than the next window are dropped.
 */
import { FINGERPRINT, FRAME_SECONDS } from '../fingerprint/config.js';
import { decodeStream } from '../fingerprint/decode.js';
import { Fingerprinter } from '../fingerprint/fingerprinter.js';
import type { Landmarks } from '../fingerprint/landmarks.js';
import { PeakWindow } from '../fingerprint/peak-window.js';
import { LookupCache } from './lookup-cache.js';
import { QUERY } from './config.js';
import { isConfident } from './score.js';
import type { IdentifyOptions, Identifier } from './identifier.js';

/** One recording aligned in one window. */
export interface WindowHit {
  recordingId: number;
  /** Input time (s) at which the recording's own time 0 sits, by this alignment. */
  anchorS: number;
  /** Recording time = (1 + slope) × input time + constant. */
  slope: number;
  confidence: number;
  /** Natural log of the chance probability of the alignment (more negative: stronger). */
  logP: number;
  aligned: number;
}

export interface ScannedWindow {
  startS: number;
  endS: number;
  /** Alignments at least minConfidence, strongest first. */
  hits: WindowHit[];
}

export interface ScanParams {
  windowS: number;
  hopS: number;
  /** The first window ends here (shorter windows at the start: follow mode answers early). */
  firstEndS: number;
  /** Alignments kept per window. */
  keep: number;
  /** Windows matched at the same time (their look-ups overlap); 1 answers each window before reading on. */
  parallel?: number;
  /**
   * Live input: low-latency decoding (see DecodeOptions.live), and each window ends at the
   * newest audio looked at (at least `hopS` after the last), its last peaks provisional
   * (PeakPicker.pending) rather than waiting for their ~1 s density block to close.
   */
  live?: boolean;
  /**
   * Live: when the stream time reached is more than this behind the time since this process
   * started (a real-time input started with it, and the start-up or a slow window held it
   * up), windows are skipped up to the newest audio in hand: latency before completeness.
   */
  maxLagS?: number;
  /** A file still being written: wait at its end for more. */
  growing?: boolean;
}

/** What the whole input turned out to be, once scanned. */
export interface ScanSummary {
  durationS: number;
  /** Peak absolute sample value (0: digital silence). */
  maxAbs: number;
  peaks: number;
}

export async function* scanWindows(identifier: Identifier, input: string, opts: IdentifyOptions, p: ScanParams): AsyncGenerator<ScannedWindow, ScanSummary> {
  const fp = new Fingerprinter();
  const window = new PeakWindow();
  let peaks = 0;
  let nextEnd = p.firstEndS;
  let scanned = 0;
  const take = (drained: ReturnType<Fingerprinter['drainPeaks']>) => {
    peaks += drained.length;
    window.add(drained);
  };
  // Windows in flight: a window's landmarks are taken at once (its peaks are then dropped);
  // its look-ups run while the next window is fingerprinted and looked up.
  const inFlight: Promise<ScannedWindow>[] = [];
  // Overlapping windows share hashes: each is looked up once while the windows that hold it pass.
  const cache = new LookupCache((h) => identifier.reader.lookup(h), Math.ceil(p.windowS / p.hopS) + (p.parallel ?? 1));
  const query = (endS: number): void => {
    const startS = Math.max(0, endS - p.windowS);
    const startFrame = Math.round(startS / FRAME_SECONDS);
    const landmarks = window.landmarks(startFrame, Math.round(endS / FRAME_SECONDS), QUERY.extsPer, p.live ? fp.pendingPeaks() : undefined);
    window.dropBefore(Math.round((endS + p.hopS - p.windowS) / FRAME_SECONDS));
    cache.nextWindow();
    inFlight.push(match(landmarks, startS, endS));
  };
  const match = async (landmarks: Landmarks, startS: number, endS: number): Promise<ScannedWindow> => {
    if (landmarks.length === 0) return { startS, endS, hits: [] };
    const scored = await identifier.scoreLandmarks(landmarks, endS - startS, opts, { window: { lookup: cache.lookup, exact: QUERY.timeline.exact } });
    const hits = scored
      .filter((c) => isConfident(c.confidence, opts.minConfidence))
      .slice(0, p.keep)
      .map((c) => ({
        recordingId: c.recordingId,
        anchorS: startS - (c.startFrame * FRAME_SECONDS) / (1 + c.slope),
        slope: c.slope,
        confidence: c.confidence,
        logP: c.logP,
        aligned: c.aligned,
      }));
    return { startS, endS, hits };
  };

  // Live: the input in pieces of a fifth of a hop, so that windows end at the newest audio,
  // a hop apart (at most a fifth more), however the pipe delivers it.
  const piece = p.live ? Math.round((p.hopS * FINGERPRINT.sampleRate) / 5) : Infinity;
  for await (const pcm of decodeStream(input, { sampleRate: FINGERPRINT.sampleRate, live: p.live, growing: p.growing })) {
    for (let i = 0; i < pcm.length; i += piece) {
      fp.push(pcm.length > piece ? pcm.subarray(i, i + piece) : pcm);
      take(fp.drainPeaks());
      const readyS = p.live ? fp.evaluatedSeconds : fp.finalSeconds;
      // Behind a real-time input (its start taken as this process's): only the newest audio in hand is matched.
      if (p.maxLagS !== undefined && i + piece < pcm.length && performance.now() / 1000 - readyS > p.maxLagS) continue;
      while (nextEnd <= readyS) {
        const endS = p.live ? readyS : nextEnd;
        scanned++;
        query(endS);
        nextEnd = endS + p.hopS;
        while (inFlight.length >= (p.parallel ?? 1)) yield await inFlight.shift()!;
      }
    }
  }
  take(fp.finishPeaks());
  const durationS = fp.seconds;
  // The last windows: up to the end of the input, each at least a query's minimum length.
  for (; nextEnd - p.hopS < durationS || scanned === 0; nextEnd += p.hopS) {
    const endS = Math.min(nextEnd, durationS);
    scanned++;
    if (endS - Math.max(0, endS - p.windowS) >= FINGERPRINT.minQuerySeconds) query(endS);
  }
  while (inFlight.length) yield await inFlight.shift()!;
  return { durationS, maxAbs: fp.loudest, peaks };
}
