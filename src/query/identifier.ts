/**
 * identifier: identify audio against an index. Opens the index once and answers any
 * number of inputs: decode → fingerprint → look up → match → chance-calibrated confidence
 * (score.ts) → answer. Reads nothing but the index directory.
 */
import { FINGERPRINT, FRAME_SECONDS } from '../fingerprint/config.js';
import { inputName } from '../fingerprint/decode.js';
import { isStreamInput } from '../fingerprint/ffmpeg-input.js';
import { Fingerprinter } from '../fingerprint/fingerprinter.js';
import { spoolStream, type Spooled } from '../fingerprint/spool.js';
import { AyahError, ExitCode, reasonOf } from '../errors.js';
import { namesReciter, oneLine, resolveReciters } from '../names.js';
import { log } from '../log.js';
import { indexDir } from '../home.js';
import { IndexReader, type IndexedReciter, type LookupResult } from '../index/api.js';
import type { IdentifyAnswer, IdentifyResult, Match, Recording } from '../types.js';
import { describe, mergeMatches, placeCandidate, statusOf } from './answer.js';
import { alignedOf, isDecisive, needsDuration, scoreCandidates, strongestFirst, type ScoredCandidate } from './score.js';
import { QUERY } from './config.js';
import { timelineOf, wholeInputAnswer } from './timeline.js';
import { LookupCache, type Lookup } from './lookup-cache.js';
import { matchHits, type CarriedHits } from './match.js';
import { queryHashes, speedHashes, speedKeys, type QueryHashes } from './query-hashes.js';
import { rarestKeys, selectRarest, type LookupBudget } from './select-hashes.js';
import { factorsToConfirm, probeSpeeds } from './speed-probe.js';
import { speedLandmarksOf } from '../fingerprint/speed-landmarks.js';
import type { Landmarks } from '../fingerprint/landmarks.js';
import { PeaksReads, toVerify, verify } from './verify.js';
import { InputDecoding, MAX_QUERY_SECONDS, type DecodedInput } from './input-decoding.js';

export interface IdentifyOptions {
  /** Results to return (best first). */
  top?: number;
  /** Only these reciters (id or exact name, case-insensitive: names.ts namesReciter). */
  reciters?: string[];
  /** Only these riwayat. */
  riwayat?: string[];
  /** Minimum confidence of a match (default 0.5). */
  minConfidence?: number;
}

/** How one window of a long input is matched (Identifier.scoreLandmarks). */
export interface WindowQuery {
  lookup: Lookup;
  exact: LookupBudget;
}

/** The hashes one speed factor votes with. */
interface SpeedRun {
  speed: number;
  q: QueryHashes;
}

/** Speed factors looked up together: each factor's run, and the hashes they read (every run's, once). */
interface SpeedRuns {
  runs: SpeedRun[];
  read: number[];
}

/** A clip's speed-invariant landmarks and the keys the speed pass's probe reads of them. */
interface SpeedProbe {
  landmarks: Landmarks;
  read: number[];
}

/** What a whole clip (not a window of a long input) adds to its landmarks, each made when a pass needs it. */
export interface ClipViews {
  /** Landmarks of QUERY.verify.fingerprint (verify.ts). */
  dense: () => Landmarks;
  /** Speed-invariant landmarks (fingerprint/speed-landmarks.ts). */
  speed: () => Landmarks;
  /** The clip's look-ups, shared by its passes, when some were begun before it was matched (Identifier.clipLookups). */
  lookup?: Lookup;
}

/** The hits of a clip's last exact search, for its next (match.ts CarriedHits). */
interface HitsCarry {
  hits?: CarriedHits;
}

/** Look-up variants of the first two passes (exact, tempo-tolerant); the speed pass adds one per factor. */
const BASE_HYPOTHESES = 2;

export class Identifier {
  /** Frames of audio in the index (what chance hits spread over). */
  private readonly indexFrames: number;
  private allowedCache?: { key: string; mask: Uint8Array };
  /** Each clip's exact hashes (queryHashes at tolerance 0), made once for its first look-up and the exact pass's steps. */
  private readonly exactHashes = new WeakMap<Landmarks, QueryHashes>();

  private constructor(
    readonly reader: IndexReader,
    private readonly preloaded?: Recording[],
  ) {
    this.indexFrames = reader.stats().audioSeconds / FRAME_SECONDS;
  }

  /** Opens the index of AYAH_HOME `home`; `withRecordings` also loads every recording's metadata (benchmarks). */
  static async open(home: string, opts: { withRecordings?: boolean } = {}): Promise<Identifier> {
    const reader = await IndexReader.open(indexDir(home));
    return new Identifier(reader, opts.withRecordings ? await reader.allRecordings() : undefined);
  }

  /** Every answerable recording (open with `withRecordings`). */
  recordings(): Recording[] {
    if (!this.preloaded) throw new Error('Identifier.open(home, { withRecordings: true }) is needed for recordings()');
    return this.preloaded;
  }

  /** The riwayah of an indexed reciter ("hafs" when unknown): how its recordings number the ayahs. */
  riwayahOf(reciterId: string): string {
    return String(this.reader.reciter(reciterId)?.riwayah ?? 'hafs').toLowerCase();
  }

  /** The reciters of the index. */
  reciters(): IndexedReciter[] {
    return this.reader.reciters();
  }

  async stats(): Promise<{ recordings: number; postings: number; bytesOnDisk: number }> {
    const { recordings, postings } = this.reader.stats();
    return { recordings, postings, bytesOnDisk: this.reader.bytesOnDisk() };
  }

  /**
   * Identifies files (or "-", standard input), delivering the answers in input order.
   * Inputs are decoded in groups by one ffmpeg process each (input-decoding.ts), the next
   * group while the current one is matched; `decoding`: theirs, started by the caller (before
   * the index opened; for inputs that are all files).
   */
  async identifyFiles(inputs: string[], opts: IdentifyOptions, deliver: (answer: IdentifyAnswer) => void, decoding?: InputDecoding): Promise<void> {
    checkFilters(this.reader, opts);
    if (decoding && (decoding.inputs.length !== inputs.length || decoding.inputs.some((d, i) => d !== inputs[i] || isStreamInput(d))))
      throw new Error('identifyFiles: the decoding must be of these inputs, none of them a stream');
    // Streams (standard input, FIFOs, /dev/stdin) are spooled to files: a long input is then
    // analysed whole, like a file, and decoded in groups with the files.
    const spooled = new Map<string, Spooled>();
    try {
      for (const input of new Set(inputs.filter(isStreamInput))) {
        try {
          spooled.set(input, await spoolStream(input));
        } catch (err) {
          throw new AyahError(`${inputName(input)}: ${reasonOf(err)}`, ExitCode.BAD_INPUT, { cause: err });
        }
      }
      const names = new Map([...spooled].map(([input, sp]) => [sp.path, inputName(input)]));
      await this.identifyPaths(decoding ?? new InputDecoding(inputs.map((i) => spooled.get(i)?.path ?? i)), (i) => names.get(i) ?? inputName(i), opts, deliver);
    } finally {
      for (const sp of spooled.values()) sp.remove();
    }
  }

  private async identifyPaths(decoding: InputDecoding, nameOf: (input: string) => string, opts: IdentifyOptions, deliver: (answer: IdentifyAnswer) => void): Promise<void> {
    const isClip = (d: DecodedInput) => d.error === undefined && d.pcm!.length <= MAX_QUERY_SECONDS * FINGERPRINT.sampleRate;
    for await (const decoded of decoding.decoded()) {
      // Each clip's fingerprint is made while the clip before it waits for its first look-up
      // (LanceDB's threads): the main thread would otherwise be idle then. Its own first
      // look-up starts at once, and runs while the clip before it is matched.
      const fingerprintAt = (from: number): Promise<FingerprintedClip> | undefined => {
        const j = decoded.findIndex((d, k) => k >= from && isClip(d));
        if (j < 0) return undefined;
        const made = new Promise<FingerprintedClip>((resolve, reject) =>
          setImmediate(() => {
            try {
              const clip = fingerprintClip(decoded[j].pcm!);
              resolve(clip.error === undefined ? { ...clip, lookup: this.clipLookups(clip.fp.landmarks) } : clip);
            } catch (err) {
              reject(err);
            }
          }),
        );
        // Awaited when its clip's turn comes; not an unhandled rejection if a clip before it fails.
        made.catch(() => {});
        return made;
      };
      let next = fingerprintAt(0);
      for (const [i, d] of decoded.entries()) {
        if (d.error !== undefined) {
          deliver({ input: nameOf(d.input), status: 'no_match', elapsedMs: Math.round(d.decodeMs), results: [], error: d.error });
          continue;
        }
        if (!isClip(d)) {
          // A long input: the answer for all of it (its timeline summed up), not its first seconds.
          deliver({ ...wholeInputAnswer(await timelineOf(this, d.input, opts)), input: nameOf(d.input) });
          continue;
        }
        const clip = await next!;
        next = fingerprintAt(i + 1);
        const answer = await this.identifyFingerprinted(clip, nameOf(d.input), opts);
        answer.elapsedMs = Math.round((answer.elapsedMs + d.decodeMs) * 10) / 10;
        deliver(answer);
      }
    }
  }

  /** Identifies mono PCM at FINGERPRINT.sampleRate; unusable audio (too short, silent) is answered with `error`. */
  async identifyPcm(pcm: Float32Array, input: string, opts: IdentifyOptions = {}): Promise<IdentifyAnswer> {
    return this.identifyFingerprinted(fingerprintClip(pcm), input, opts);
  }

  /** Identifies a clip fingerprinted by fingerprintClip; its answer's time counts the fingerprinting too. */
  private async identifyFingerprinted(clip: FingerprintedClip, input: string, opts: IdentifyOptions): Promise<IdentifyAnswer> {
    const started = performance.now() - clip.ms;
    const done = async (results: IdentifyResult[], error?: string): Promise<IdentifyAnswer> => ({
      input,
      status: error ? 'no_match' : await statusOf(this.reader, results, opts.minConfidence),
      elapsedMs: Math.round((performance.now() - started) * 10) / 10,
      results,
      ...(error ? { error } : {}),
    });
    if (clip.error !== undefined) return done([], clip.error);
    if (clip.truncated) log.warn({ input, analysedS: MAX_QUERY_SECONDS }, `${input}: longer than ${MAX_QUERY_SECONDS} s; only the first ${MAX_QUERY_SECONDS} s are analysed`);
    const { fingerprinter, fp, lookup } = clip;
    const views: ClipViews = { dense: () => fingerprinter.landmarksOfKept({ ...FINGERPRINT, ...QUERY.verify.fingerprint }), speed: () => speedLandmarksOf(fp.peaks), lookup };
    const trace: PassTrace[] | undefined = log.isLevelEnabled('debug') ? [] : undefined;
    const scored = await this.scoreLandmarks(fp.landmarks, fp.durationS, opts, { clip: views }, trace);
    if (trace) log.debug({ input, passes: trace }, `${input}: passes`);
    const results = await this.describeAll(scored, fp.durationS, opts.top ?? 5);
    return done(results);
  }

  /**
   * Scored candidates (recording, offset, slope, confidence) of one clip's landmarks, best
   * first. `of.window`: one window of a long input, matched with the exact pass (within its
   * own budget) and the tempo pass only (each window is one of many, and the speed pass
   * costs most when nothing matches), its look-ups through `window.lookup` (shared by
   * overlapping windows). `of.clip`: a whole clip, every pass; its other landmarks, for the
   * speed pass and verification.
   */
  async scoreLandmarks(landmarks: Landmarks, durationS: number, opts: IdentifyOptions, of: { window: WindowQuery } | { clip: ClipViews }, trace?: PassTrace[]): Promise<ScoredCandidate[]> {
    // A clip's own look-ups are kept while its passes run: a later pass reads only hashes an earlier one did not.
    const lookup = 'window' in of ? of.window.lookup : (of.clip.lookup ?? this.newClipLookup());
    const allowed = this.allowedFor(opts);
    // Passes from cheap to costly; the next runs only while the best is not decisive.
    // A weak but significant match may be a phrase the same reciter says elsewhere, so a
    // stronger alignment under another hypothesis (tempo, speed) must get its chance.
    // The tempo pass only refines evidence the exact pass found; the speed pass first
    // probes with speed-invariant keys, then looks properly at the speeds they say.
    type Pass = (scored: ScoredCandidate[]) => Promise<ScoredCandidate[]>;
    // The exact pass's steps each look at more of the clip's hashes; a step takes on the
    // hits of the one before instead of voting over their postings again.
    const exactHits: HitsCarry = {};
    const exact = (budget: LookupBudget): Pass => () => this.search(landmarks, 0, budget, allowed, durationS, lookup, exactHits);
    // A pass that refines evidence: it runs only when the best so far has `minAligned` aligned
    // hashes (votes and pairs), or `minAlignedAtChance` when chance alone explains it.
    const refining =
      (budget: LookupBudget & { minAligned: number; minAlignedAtChance?: number }, tolerance: number, carry?: HitsCarry): Pass =>
      async ([best]) =>
        (best ? alignedOf(best) : 0) >= (best && best.logP >= 0 ? (budget.minAlignedAtChance ?? budget.minAligned) : budget.minAligned)
          ? this.search(landmarks, tolerance, budget, allowed, durationS, lookup, carry, false)
          : [];
    const tempo = refining(QUERY.tempo, QUERY.tempo.tolerance);
    if ('window' in of) return this.runPasses({ exact: exact(of.window.exact), tempo }, opts, trace);
    const views = of.clip;
    // The speed pass's probe, made once: read ahead (below) and then searched.
    let probe: SpeedProbe | undefined;
    const speedProbe = () => (probe ??= this.speedProbe(views.speed()));
    // Verification reads its candidates' peaks while the speed pass runs (the same
    // candidates, unless the speed pass finds stronger ones).
    const peaks = new PeaksReads((ids) => this.reader.peaks(ids));
    const speed: Pass = (scored) => {
      peaks.start(toVerify(scored, opts.minConfidence).map((c) => c.recordingId));
      return this.searchSpeeds(speedProbe(), landmarks, allowed, durationS, lookup);
    };
    const passes = {
      exactFirst: exact(QUERY.exactFirst),
      exact: exact(QUERY.exact),
      tempo,
      exactDeep: refining(QUERY.exactDeep, 0, exactHits),
      speed,
      verify: this.verifying(views.dense, peaks, durationS, opts.minConfidence),
    };
    // A clip whose first step found next to nothing will most likely run every pass: the
    // probe's look-up starts then, while the next steps look up and vote.
    return this.runPasses(passes, opts, trace, (best) => {
      if ((best ? alignedOf(best) : 0) < QUERY.speed.readAheadBelow) lookup(speedProbe().read).catch(() => {});
    });
  }

  /** Runs `passes` in order until the best is decisive, each traced in `trace` when given; `afterFirst` sees the best after the first. */
  private async runPasses(passes: Record<string, (scored: ScoredCandidate[]) => Promise<ScoredCandidate[]>>, opts: IdentifyOptions, trace?: PassTrace[], afterFirst?: (best: ScoredCandidate | undefined) => void): Promise<ScoredCandidate[]> {
    let scored: ScoredCandidate[] = [];
    for (const [i, [name, pass]] of Object.entries(passes).entries()) {
      const started = trace && performance.now();
      const found = await pass(scored);
      if (trace) trace.push(passTrace(name, performance.now() - started!, found));
      scored = [...scored, ...found].sort(strongestFirst);
      if (isDecisive(scored[0], opts.minConfidence)) break;
      if (i === 0) afterFirst?.(scored[0]);
    }
    return scored;
  }

  /** The verification pass (verify.ts): the strongest candidates so far, scored again with the clip's `dense` landmarks against their recordings' peaks, when none is confident. */
  private verifying(dense: () => Landmarks, peaks: PeaksReads, clipSeconds: number, minConfidence?: number): (scored: ScoredCandidate[]) => Promise<ScoredCandidate[]> {
    return async (scored) => {
      const candidates = toVerify(scored, minConfidence);
      if (candidates.length === 0) return [];
      const read = await peaks.get(candidates.map((c) => c.recordingId));
      return read.size ? verify(candidates, dense(), clipSeconds, read) : [];
    };
  }

  /**
   * A clip's look-ups (its passes share them), the exact pass's first step begun at once: a
   * clip of a batch is fingerprinted while the one before it is matched, and its first
   * look-up then runs on LanceDB's threads meanwhile.
   */
  private clipLookups(landmarks: Landmarks): Lookup {
    const lookup = this.newClipLookup();
    // Not awaited here: the exact pass asks for the same hashes, and a failed read fails it then.
    lookup(selectRarest(this.queryHashesOf(landmarks, 0), this.reader.hashCounts, QUERY.exactFirst).distinct).catch(() => {});
    return lookup;
  }

  /** A clip's own look-ups, kept while its passes run: a later pass reads only hashes an earlier one did not. */
  private newClipLookup(): Lookup {
    return new LookupCache((h) => this.reader.lookup(h), 1).lookup;
  }

  /** The hashes a search of `landmarks` looks up (query-hashes.ts), those of the exact pass made once per clip. */
  private queryHashesOf(landmarks: Landmarks, tolerance: number): QueryHashes {
    if (tolerance !== 0) return queryHashes(landmarks, tolerance);
    let q = this.exactHashes.get(landmarks);
    if (!q) this.exactHashes.set(landmarks, (q = queryHashes(landmarks, 0)));
    return q;
  }

  /** The reciters a query may answer with, as a mask over recording ids (cached per filter). */
  private allowedFor(opts: IdentifyOptions): Uint8Array {
    const key = JSON.stringify([opts.reciters ?? null, opts.riwayat ?? null]);
    if (this.allowedCache?.key !== key) this.allowedCache = { key, mask: this.reader.allowed(reciterFilter(opts)) };
    return this.allowedCache.mask;
  }

  /**
   * One look-up and its votes; `carry`: the hits of an earlier search over some of the same
   * hashes, taken on, and replaced by this one's unless `handOn` is false (no search follows).
   */
  private async search(landmarks: Landmarks, tolerance: number, budget: LookupBudget, allowed: Uint8Array, clipSeconds: number, lookup: Lookup, carry?: HitsCarry, handOn = true): Promise<ScoredCandidate[]> {
    const q = selectRarest(this.queryHashesOf(landmarks, tolerance), this.reader.hashCounts, budget);
    return (await this.score([{ q, found: await lookup(q.distinct), speed: 1, carry, handOn }], allowed, clipSeconds, BASE_HYPOTHESES))[0];
  }

  /**
   * Each factor's rarest speed-shifted hashes within `budget`. The factors are looked up
   * together, and each votes with every hash read that it has, its own or another factor's;
   * only those hashes are made (the speed pass reads 250 of each factor's ~400).
   */
  private speedRuns(landmarks: Landmarks, factors: readonly number[], budget: LookupBudget): SpeedRuns {
    const counts = this.reader.hashCounts;
    if (!counts) {
      const runs = factors.map((speed) => ({ speed, q: speedHashes(landmarks, speed) }));
      return { runs, read: [...new Set(runs.flatMap((r) => r.q.distinct))] };
    }
    const keys = factors.map((speed) => speedKeys(landmarks, speed));
    const distinct = keys.map((k) => rarestKeys(k, counts, budget));
    const read = new Set(distinct.flat());
    return { runs: factors.map((speed, i) => ({ speed, q: { ...speedHashes(landmarks, speed, FINGERPRINT, keys[i], read), distinct: distinct[i] } })), read: [...read] };
  }

  /** The speed probe of a clip's speed-invariant landmarks: its rarest keys within the probe's budget (all of them in an index without counts). */
  private speedProbe(speed: Landmarks): SpeedProbe {
    const counts = this.reader.hashCounts;
    return { landmarks: speed, read: counts ? rarestKeys(speed.hashes, counts, QUERY.speed.probe) : [...new Set(speed.hashes)] };
  }

  /**
   * The speed pass: the probe's look-up says which speeds the clip may be at
   * (speed-probe.ts); exact hashes as they would be at those speeds are then looked up and
   * scored (through the clip's `lookup`: hashes an earlier pass read are not read again).
   */
  private async searchSpeeds(probe: SpeedProbe, landmarks: Landmarks, allowed: Uint8Array, clipSeconds: number, lookup: Lookup): Promise<ScoredCandidate[]> {
    const { factors, confirm } = QUERY.speed;
    const found = probeSpeeds(probe.landmarks, await lookup(probe.read), allowed, QUERY.speed.probe);
    const speeds = factorsToConfirm(found, factors, confirm.factors);
    if (speeds.length === 0) return [];
    const confirmed = await this.searchAtSpeeds(this.speedRuns(landmarks, speeds, confirm), allowed, clipSeconds, BASE_HYPOTHESES + factors.length, lookup);
    return [...confirmed.values()].flat().sort(strongestFirst);
  }

  /** Scored candidates per speed factor, the runs' hashes looked up in one look-up. */
  private async searchAtSpeeds({ runs, read }: SpeedRuns, allowed: Uint8Array, clipSeconds: number, hypotheses: number, lookup: Lookup): Promise<Map<number, ScoredCandidate[]>> {
    const found = await lookup(read);
    const scored = await this.score(runs.map(({ speed, q }) => ({ q, found, speed })), allowed, clipSeconds, hypotheses);
    return new Map(runs.map(({ speed }, i) => [speed, scored[i]]));
  }

  /**
   * Votes, aligns and scores each run (the look-ups of one hypothesis). `speed` converts an
   * alignment found in scaled query time back to the clip's own time; `hypotheses` is how
   * many look-up variants were tried (each is another chance for a chance alignment). The
   * recordings whose duration the chance model needs (candidates that can be a match at
   * all) are read once for every run (from the durations file, when the index has one).
   */
  private async score(runs: { q: QueryHashes; found: LookupResult; speed: number; carry?: HitsCarry; handOn?: boolean }[], allowed: Uint8Array, clipSeconds: number, hypotheses: number): Promise<ScoredCandidate[][]> {
    const matched = runs.map((r) => {
      const keep = r.carry !== undefined && r.handOn !== false;
      const m = matchHits(r.q, r.found, allowed, QUERY, r.carry && { from: r.carry.hits, keep });
      if (keep) r.carry!.hits = m.hits;
      return m;
    });
    const needed = matched.flatMap((m) => m.candidates.filter(needsDuration).map((c) => c.recordingId));
    const durationS = await this.reader.durations([...new Set(needed)]);
    return matched.map((m, i) => scoreCandidates(m, durationS, { clipSeconds, speed: runs[i].speed, hypotheses, indexFrames: this.indexFrames }));
  }

  private async describeAll(scored: ScoredCandidate[], clipSeconds: number, top: number): Promise<IdentifyResult[]> {
    const recs = await this.reader.placements(scored.map((s) => s.recordingId));
    const matches: Match[] = [];
    for (const s of scored) {
      const rec = recs.get(s.recordingId);
      if (!rec) continue;
      const reciter = this.reader.reciter(rec.reciterId);
      const m = placeCandidate(s, rec, clipSeconds, reciter?.nameEn ?? rec.reciterId, reciter?.riwayah ?? '');
      if (m) matches.push(m);
    }
    const merged = mergeMatches(matches).slice(0, Math.max(1, top));
    return Promise.all(merged.map((m) => describe(this.reader, m)));
  }

  async close(): Promise<void> {
    this.reader.close();
  }
}

/** What one pass of a query found (identify at --log-level debug): how long it took, how many candidates, and its best. */
export interface PassTrace {
  pass: string;
  ms: number;
  candidates: number;
  /** Its strongest candidate; voteLogP null: too few votes to be scored. */
  best?: Pick<ScoredCandidate, 'recordingId' | 'aligned' | 'pairsOnly' | 'logP' | 'startFrame'> & { voteLogP: number | null };
}

function passTrace(pass: string, ms: number, found: ScoredCandidate[]): PassTrace {
  const best = found.reduce<ScoredCandidate | undefined>((b, c) => (!b || strongestFirst(c, b) < 0 ? c : b), undefined);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    pass,
    ms: Math.round(ms * 100) / 100,
    candidates: found.length,
    ...(best && { best: { recordingId: best.recordingId, aligned: best.aligned, pairsOnly: best.pairsOnly, logP: round(best.logP), voteLogP: Number.isFinite(best.voteLogP) ? round(best.voteLogP) : null, startFrame: best.startFrame } }),
  };
}

/** A clip fingerprinted for a query: its landmarks, or why it cannot be matched. */
type FingerprintedClip = {
  /** Longer than MAX_QUERY_SECONDS: only its start was fingerprinted. */
  truncated: boolean;
  /** Time it took, ms. */
  ms: number;
} & (
  | {
      error?: undefined;
      /** The fingerprinter, which keeps the clip's spectrogram for verification's denser landmarks. */
      fingerprinter: Fingerprinter;
      fp: ReturnType<Fingerprinter['finish']>;
      /** Its look-ups, when begun before it was matched (Identifier.clipLookups). */
      lookup?: Lookup;
    }
  | {
      /** Unusable audio (too short, silent). */
      error: string;
    }
);

/** Fingerprints mono PCM at FINGERPRINT.sampleRate for identify (its first MAX_QUERY_SECONDS). */
function fingerprintClip(pcm: Float32Array): FingerprintedClip {
  const started = performance.now();
  const seconds = pcm.length / FINGERPRINT.sampleRate;
  const ms = () => performance.now() - started;
  if (seconds < FINGERPRINT.minQuerySeconds) return { error: `too short (${seconds.toFixed(2)} s; at least ${FINGERPRINT.minQuerySeconds} s needed)`, truncated: false, ms: ms() };
  const truncated = pcm.length > MAX_QUERY_SECONDS * FINGERPRINT.sampleRate;
  // The spectrogram is kept for verification's denser fingerprint (made only when needed).
  const fingerprinter = new Fingerprinter(FINGERPRINT, { keepFrames: true });
  fingerprinter.push(truncated ? pcm.subarray(0, MAX_QUERY_SECONDS * FINGERPRINT.sampleRate) : pcm);
  const fp = fingerprinter.finish(QUERY.extsPer);
  if (fp.maxAbs < 1e-4 || fp.landmarks.length === 0) return { error: 'silent (no audio to match)', truncated, ms: ms() };
  return { fingerprinter, fp, truncated, ms: ms() };
}

export function reciterFilter(opts: IdentifyOptions): (r: IndexedReciter) => boolean {
  const riwayat = opts.riwayat?.map((x) => x.toLowerCase());
  return (r) => (!opts.reciters || opts.reciters.some((n) => namesReciter(n, r))) && (!riwayat || riwayat.includes(String(r.riwayah).toLowerCase()));
}

/**
 * Checks identify's filters against the index: a reciter (id or exact name) or a riwayah
 * the index does not have is a usage error listing the known values. `names`: how the
 * caller's user spells the two filters (command-line options, or the server's parameters).
 */
export function checkFilters(reader: IndexReader, opts: IdentifyOptions, names = { reciter: '--reciter', riwayah: '--riwayah' }): void {
  const reciters = reader.reciters();
  if (opts.reciters?.length) resolveReciters(names.reciter, opts.reciters, reciters);
  if (opts.riwayat?.length) {
    const known = [...new Set(reciters.map((r) => String(r.riwayah).toLowerCase()))].sort();
    const bad = opts.riwayat.filter((x) => !known.includes(x.toLowerCase()));
    if (bad.length) throw new AyahError(`${names.riwayah}: no reciter of the index has ${bad.map((b) => `"${oneLine(b)}"`).join(', ')}; known: ${known.join(', ') || 'none'}`, ExitCode.USAGE);
  }
}

