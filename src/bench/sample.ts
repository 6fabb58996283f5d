/**
 * sample: the clips a benchmark plays, with the ayahs each one covers (its labels).
 *
 * - Index clips: N clips of S seconds at seeded random positions of the indexed
 *   recordings' source audio, uniform over total audio time (not over files): an instant
 *   is drawn uniformly and the clip is centred on it, shifted to stay inside its file. A
 *   file shorter than S gives a clip of the whole file (shorter than S); none is skipped.
 *   Clips may cross ayah boundaries (whole-surah recordings).
 * - Manifest clips: an external labelled CSV, `path,surah,ayah[;ayah...]` (the whole file).
 * - Negative clips: every audio file of a folder that is not indexed, cut into S-second
 *   pieces.
 *
 * A clip's labels are every ayah it covers for at least LABEL_MIN_S seconds, or wholly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AyahError, ExitCode, reasonOf } from '../errors.js';
import { FINGERPRINT } from '../fingerprint/config.js';
import { decodeAll } from '../fingerprint/decode.js';
import { scanReciterFolder } from '../pipeline/layout.js';
import { isAudioName, listFiles } from '../pipeline/layout/files.js';
import { isValidAyah } from '../quran/quran.js';
import type { Recording, SurahAyah, TimelineEntry } from '../types.js';
import type { FfInput } from './ffmpeg-graph.js';
import { mulberry32, seedOf, type Rng } from './prng.js';

/** An ayah is a label of a clip that covers at least this much of it (or all of it). */
export const LABEL_MIN_S = 1;

export type ClipSet = 'index' | 'manifest' | 'negatives';

export interface BenchClip {
  /** Stable name: `reciter/relPath@start` for index clips, else the file (and piece). */
  id: string;
  set: ClipSet;
  /** Report row group: "index", "manifest" or "negatives/<folder name>". */
  group: string;
  /** The audio: a section of a file, or PCM at the fingerprint rate. */
  source: FfInput;
  /** Ayahs the clip covers; for negatives, the ayahs the (not indexed) file recites, if known. */
  labels: SurahAyah[];
  /** The riwayah whose numbering `labels` use: the clip's reciter's ("hafs" for manifests, negatives). */
  riwayah: string;
  /** Another recitation for babble (see assignBabble). */
  babble?: FfInput;
  /** Seeds the clip's typed-array degradations. */
  seed: number;
}

export interface SampleOptions {
  count: number;
  seconds: number;
  seed: number;
}

/** Every ayah of `timeline` that [startS, endS] covers for at least LABEL_MIN_S, or wholly. */
export function labelsOf(timeline: TimelineEntry[], startS: number, endS: number): SurahAyah[] {
  return timeline
    .filter((e) => {
      const overlap = Math.min(endS, e.end) - Math.max(startS, e.start);
      return overlap >= LABEL_MIN_S || (e.start >= startS && e.end <= endS);
    })
    .map((e) => ({ surah: e.surah, ayah: e.ayah }));
}

/** Recordings in a stable order that does not depend on index ids. */
function stableOrder(recordings: Recording[]): Recording[] {
  const key = (r: Recording) => `${r.reciterId}\u0000${r.relPath}`;
  return [...recordings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Uniform draws over the total audio time of a set of recordings. */
class AudioTimeline {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(readonly recordings: Recording[]) {
    this.cumulative = new Float64Array(recordings.length);
    let sum = 0;
    recordings.forEach((r, i) => (this.cumulative[i] = sum += Math.max(0, r.durationS)));
    this.total = sum;
  }

  /** A clip of up to `seconds` centred on a uniformly drawn instant, inside its file. */
  draw(rng: Rng, seconds: number): { recording: Recording; startS: number; durationS: number } {
    const t = rng() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > t) hi = mid;
      else lo = mid + 1;
    }
    const recording = this.recordings[lo];
    const at = t - (this.cumulative[lo] - recording.durationS);
    const durationS = Math.min(seconds, recording.durationS);
    const startS = Math.round(Math.min(Math.max(0, at - seconds / 2), recording.durationS - durationS) * 1000) / 1000;
    return { recording, startS, durationS };
  }
}

/** N seeded clips of the recordings' audio (see the module comment). */
export function sampleClips(recordings: Recording[], opts: SampleOptions, riwayahOf: (reciterId: string) => string = () => 'hafs'): BenchClip[] {
  const timeline = new AudioTimeline(stableOrder(recordings));
  if (opts.count > 0 && timeline.total <= 0) throw new AyahError('bench: no indexed audio to cut clips from', ExitCode.USAGE);
  const rng = mulberry32(seedOf(opts.seed, 'clips'));
  const clips: BenchClip[] = [];
  for (let attempt = 0; clips.length < opts.count; attempt++) {
    if (attempt > opts.count * 100) throw new AyahError('bench: the indexed audio has too few ayahs to cut labelled clips from', ExitCode.USAGE);
    const { recording: r, startS, durationS } = timeline.draw(rng, opts.seconds);
    const labels = labelsOf(r.timeline, startS, startS + durationS);
    if (!labels.length) continue; // e.g. only the basmala before a surah: not an ayah
    clips.push({
      id: `${r.reciterId}/${r.relPath}@${startS.toFixed(3)}`,
      set: 'index',
      group: 'index',
      source: { kind: 'file', path: r.path, startS, durationS },
      labels,
      riwayah: riwayahOf(r.reciterId),
      seed: seedOf(opts.seed, 'clip', clips.length),
    });
  }
  return clips;
}

/**
 * Gives each clip another recitation for babble: a seeded section of a different indexed
 * recording that covers none of the clip's ayahs. Returns new clip objects.
 */
export function assignBabble(clips: BenchClip[], recordings: Recording[], seconds: number, seed: number): BenchClip[] {
  const timeline = new AudioTimeline(stableOrder(recordings));
  if (timeline.total <= 0) return clips;
  return clips.map((clip, i) => {
    const rng = mulberry32(seedOf(seed, 'babble', i));
    const clipPath = clip.source.kind === 'file' ? clip.source.path : '';
    for (let attempt = 0; attempt < 50; attempt++) {
      const { recording: r, startS, durationS } = timeline.draw(rng, seconds);
      const covers = labelsOf(r.timeline, startS, startS + durationS);
      if (r.path === clipPath || covers.some((a) => clip.labels.some((b) => a.surah === b.surah && a.ayah === b.ayah))) continue;
      return { ...clip, babble: { kind: 'file', path: r.path, startS, durationS } };
    }
    return clip;
  });
}

/** Clips of a manifest CSV: `path,surah,ayah[;ayah...]`; an item may also be `surah:ayah`. */
export function readClipManifest(file: string): BenchClip[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new AyahError(`${file}: ${reasonOf(err)}`, ExitCode.BAD_INPUT);
  }
  const clips: BenchClip[] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    const where = `${file}:${n + 1}`;
    if (!line.trim() || line.startsWith('#') || (n === 0 && /^\s*"?path"?\s*,/i.test(line))) return;
    // Split from the right: a path may contain commas.
    const last = line.lastIndexOf(',');
    const mid = line.lastIndexOf(',', last - 1);
    if (mid < 0) throw new AyahError(`${where}: expected path,surah,ayah[;ayah...]`, ExitCode.USAGE);
    const clipPath = path.resolve(path.dirname(file), line.slice(0, mid).trim().replace(/^"(.*)"$/, '$1'));
    const surah = Number(line.slice(mid + 1, last));
    const labels = line
      .slice(last + 1)
      .split(';')
      .map((item) => {
        const [s, a] = item.includes(':') ? item.split(':').map(Number) : [surah, Number(item)];
        if (!isValidAyah(s, a)) throw new AyahError(`${where}: no ayah ${s}:${a}`, ExitCode.USAGE);
        return { surah: s, ayah: a };
      });
    clips.push({ id: clipPath, set: 'manifest', group: 'manifest', source: { kind: 'file', path: clipPath, startS: 0 }, labels, riwayah: 'hafs', seed: seedOf('manifest', clipPath) });
  });
  if (!clips.length) throw new AyahError(`${file}: no clips in the manifest`, ExitCode.USAGE);
  return clips;
}

/**
 * Clips of every audio file in `dir` (recursively): S-second pieces, the last one kept
 * when at least S/2 long; a file shorter than S is one clip when at least
 * FINGERPRINT.minQuerySeconds long. Labels are the ayahs the file recites when its names
 * follow a reciter-folder layout (the basmala read before a surah counts as 1:1).
 */
export async function negativeClips(dir: string, seconds: number): Promise<BenchClip[]> {
  const group = `negatives/${path.basename(path.resolve(dir))}`;
  const files = (await listFiles(dir)).filter(isAudioName);
  if (!files.length) throw new AyahError(`${dir}: no audio files`, ExitCode.USAGE);
  const known = await knownTimelines(dir);
  const rate = FINGERPRINT.sampleRate;
  const piece = Math.round(seconds * rate);
  const clips: BenchClip[] = [];
  for (const rel of files) {
    const pcm = await decodeAll(path.join(dir, rel), { sampleRate: rate });
    const minimum = pcm.length < piece ? FINGERPRINT.minQuerySeconds * rate : piece / 2;
    for (let start = 0; pcm.length - start >= minimum; start += piece) {
      const part = pcm.subarray(start, Math.min(pcm.length, start + piece));
      const startS = start / rate;
      clips.push({
        id: `${group}/${rel}@${startS.toFixed(3)}`,
        set: 'negatives',
        group,
        source: { kind: 'pcm', pcm: part, rate },
        labels: labelsOf(known.get(rel) ?? [], startS, startS + part.length / rate),
        riwayah: 'hafs',
        seed: seedOf(group, rel, start),
      });
    }
  }
  return clips;
}

/** What the files of a folder recite, by relative path, when its layout says so. */
async function knownTimelines(dir: string): Promise<Map<string, TimelineEntry[]>> {
  const known = new Map<string, TimelineEntry[]>();
  const scan = await scanReciterFolder(dir).catch(() => undefined);
  for (const s of scan?.sources ?? []) {
    const basmala: TimelineEntry[] = s.kind === 'basmala' ? [{ surah: 1, ayah: 1, start: 0, end: Number.POSITIVE_INFINITY }] : [];
    known.set(s.relPath, s.timeline.length ? s.timeline : basmala);
  }
  return known;
}
