/**
 * surah-timed layout: whole-surah recordings `audio/SSS.mp3`, each with its timing file
 * `alignments/SSS.json` saying where every ayah is (see timing-file.ts).
 */
import path from 'node:path';
import { reasonOf } from '../../errors.js';
import { isValidSurah } from '../../quran/quran.js';
import type { RecordingSource } from '../../types.js';
import { AUDIO_EXT_PATTERN, isAudioName } from './files.js';
import type { Numbering } from '../../quran/numbering.js';
import { readTimingFile, riwayahTimelineOf } from './timing-file.js';
import type { LayoutScan, UnmatchedFile } from './types.js';

const AUDIO = new RegExp(`^audio/(\\d{3})\\.(?:${AUDIO_EXT_PATTERN})$`, 'i');
const TIMING = /^alignments\/(\d{3})\.json$/i;

/** Where the timing file of an audio file `audio/SSS.ext` is expected. */
export function timingRelPathOf(surah: number): string {
  return `alignments/${pad3(surah)}.json`;
}

export async function scanSurahTimed(dir: string, files: string[], numbering: Numbering): Promise<LayoutScan> {
  const unmatched: UnmatchedFile[] = [];
  const audio = new Map<number, string>();
  const timing = new Map<number, string>();
  let recognised = 0;
  for (const relPath of files) {
    const a = AUDIO.exec(relPath);
    const t = a ? null : TIMING.exec(relPath);
    if (!a && !t) {
      unmatched.push({ relPath, reason: mismatch(relPath) });
      continue;
    }
    recognised++;
    const surah = Number((a ?? t)?.[1]);
    const byKind = a ? audio : timing;
    const first = byKind.get(surah);
    if (!isValidSurah(surah)) unmatched.push({ relPath, reason: `no such surah ${surah}` });
    else if (first) unmatched.push({ relPath, reason: `surah ${surah} is already ${first}` });
    else byKind.set(surah, relPath);
  }
  for (const [surah, relPath] of timing)
    if (!audio.has(surah)) unmatched.push({ relPath, reason: `timing file without its audio audio/${pad3(surah)}.<ext>`, about: 'timing' });

  const sources: RecordingSource[] = [];
  for (const [surah, relPath] of audio) {
    const timingRel = timing.get(surah);
    if (!timingRel) {
      unmatched.push({ relPath, reason: `no timing file ${timingRelPathOf(surah)}`, about: 'timing' });
      continue;
    }
    const timingPath = path.join(dir, timingRel);
    const built = await timelineFromFile(timingPath, timingRel, surah, numbering);
    if (typeof built === 'string') unmatched.push({ relPath, reason: built, about: 'timing' });
    else sources.push({ path: path.join(dir, relPath), relPath, ref: { surah, ayah: 1 }, kind: 'surah', timeline: built, timingPath });
  }
  return { layout: 'surah-timed', sources, unmatched, recognised };
}

/** The timeline of a timing file, or why the file cannot be used. */
async function timelineFromFile(timingPath: string, timingRel: string, surah: number, numbering: Numbering): Promise<RecordingSource['timeline'] | string> {
  try {
    const { segments, problems } = await readTimingFile(timingPath, surah);
    if (problems.length) return `timing file ${timingRel} is invalid: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`;
    const timeline = riwayahTimelineOf(segments, surah, numbering);
    return timeline.length ? timeline : `timing file ${timingRel} has no ayah segments`;
  } catch (err) {
    return `timing file ${timingRel} is unusable: ${reasonOf(err).replace(`${timingPath}: `, '')}`;
  }
}

function pad3(n: number): string {
  return String(n).padStart(3, '0');
}

function mismatch(relPath: string): string {
  if (relPath.toLowerCase().endsWith('.json')) return 'not a timing file alignments/SSS.json';
  if (!isAudioName(relPath)) return 'not an audio file';
  return 'not a surah recording audio/SSS.<ext> (3-digit surah number, e.g. audio/002.mp3)';
}
