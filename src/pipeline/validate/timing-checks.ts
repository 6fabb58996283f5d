/**
 * timing-checks: the timing file of a whole-surah recording: every segment inside the
 * audio's duration, segments in order and not overlapping, every ayah of the surah
 * present, and each ayah's span plausible for its text.
 */
import path from 'node:path';
import { numbering } from '../../quran/numbering.js';
import { refString } from '../../quran/quran.js';
import type { RecordingSource, Riwayah } from '../../types.js';
import { readTimingFile, riwayahTimelineOf, segmentAyah, type TimingSegment } from '../layout/timing-file.js';
import { durationVerdict } from './duration-bounds.js';
import { listSome } from './list-some.js';
import type { Issue } from './types.js';

/** A segment may end this much after the decoded audio (decoder padding, rounding). */
const END_TOLERANCE_S = 0.25;
/** Segments may touch; overlapping by more than this is an error. */
const OVERLAP_TOLERANCE_S = 0.01;

/** Issues of the timing file of `source` (kind "surah"); `audioS`: decoded duration, when known. */
export async function timingIssues(dir: string, source: RecordingSource, audioS: number | undefined, riwayah: Riwayah = 'hafs'): Promise<Issue[]> {
  const n = numbering(riwayah);
  if (!source.timingPath) return [];
  const file = path.relative(dir, source.timingPath).split(path.sep).join('/');
  const surah = source.ref.surah;
  const issues: Issue[] = [];
  const add = (severity: Issue['severity'], reason: string) => issues.push({ severity, check: 'timing', file, reason });
  const { segments } = await readTimingFile(source.timingPath, surah);

  let previous: TimingSegment | undefined;
  let latestEnd: TimingSegment | undefined;
  for (const seg of segments) {
    if (audioS !== undefined && seg.end > audioS + END_TOLERANCE_S)
      add('error', `${describe(seg, surah)} ends at ${seg.end.toFixed(2)} s, after the audio (${audioS.toFixed(2)} s)`);
    if (previous && seg.start < previous.start) add('error', `${describe(seg, surah)} starts before ${describe(previous, surah)}: out of order`);
    else if (latestEnd && seg.start < latestEnd.end - OVERLAP_TOLERANCE_S)
      add('error', `${describe(seg, surah)} overlaps ${describe(latestEnd, surah)}`);
    if (!latestEnd || seg.end > latestEnd.end) latestEnd = seg;
    previous = seg;
  }

  const timeline = riwayahTimelineOf(segments, surah, n);
  const present = new Set(timeline.map((e) => e.ayah));
  const missing: string[] = [];
  for (let a = 1; a <= n.ayahCount(surah); a++) if (!present.has(a)) missing.push(refString({ surah, ayah: a }));
  if (missing.length) add('error', `ayahs missing from the timing: ${listSome(missing)}`);

  for (const e of timeline) {
    const verdict = durationVerdict(e, e.end - e.start, riwayah);
    if (verdict) add(verdict.severity, verdict.reason);
  }
  return issues;
}

function describe(seg: TimingSegment, surah: number): string {
  const ref = segmentAyah(seg, surah);
  return `segment ${seg.n} (${ref ? refString(ref) : seg.what}, ${seg.start.toFixed(2)}–${seg.end.toFixed(2)} s)`;
}
