/**
 * follow: identify --follow, for live input (a pipe from a microphone, a radio or TV
 * stream, or a file still being written). Every QUERY.follow.hopS of stream, the last
 * windowS seconds are matched; the ayah the best alignment places at the end of the stream
 * is reported as soon as it is recognised and again at each change, with the stream time.
 * A repeated text is placed by the ayah reported before it (as in the timeline). Memory and
 * CPU per second of stream are bounded (window-scan); ends at the end of input.
 */
import { inputName } from '../fingerprint/decode.js';
import type { FollowEvent, IdentifyResult, Recording } from '../types.js';
import { describe } from './answer.js';
import { QUERY } from './config.js';
import { windowEvidence } from './score.js';
import type { IdentifyOptions, Identifier } from './identifier.js';
import { follows } from './sequence.js';
import { placedByContext } from './timeline.js';
import { scanWindows, type WindowHit } from './window-scan.js';

interface Current {
  rec: Recording;
  anchorS: number;
  slope: number;
  entry: Recording['timeline'][number];
  startS: number;
  result: IdentifyResult;
}

/** Seconds at the end of a window in which the ayah being recited now is looked for. */
const NOW_S = 2;
/** A change is an ayah starting at least this much later than the one reported (the same one read again included). */
const MIN_ADVANCE_S = 1;

export async function follow(identifier: Identifier, input: string, opts: IdentifyOptions, emit: (e: FollowEvent) => void): Promise<void> {
  const f = QUERY.follow;
  const name = inputName(input);
  const cache = new Map<number, Recording>();
  const recordingOf = async (id: number) => {
    if (!cache.has(id)) {
      if (cache.size > 4096) cache.clear(); // bounded
      const r = (await identifier.reader.recordings([id])).get(id);
      if (r) cache.set(id, r);
    }
    return cache.get(id);
  };
  let current: Current | undefined;
  const scan = scanWindows(identifier, input, opts, { windowS: f.windowS, hopS: f.hopS, firstEndS: f.minWindowS, keep: QUERY.timeline.keep, live: true, growing: input !== '-' });
  for await (const w of scan) {
    // Each confident alignment names the ayah it places at the end of the window.
    let pick: { hit: WindowHit; rec: Recording; entry: Current['entry']; startS: number; score: number } | undefined;
    for (const hit of w.hits) {
      const rec = await recordingOf(hit.recordingId);
      if (!rec) continue;
      const at = (r: number) => hit.anchorS + r / (1 + hit.slope);
      const nowFrom = w.endS - NOW_S;
      const entry = rec.timeline
        .filter((e) => at(e.start) < w.endS && at(e.end) > nowFrom)
        .sort((a, b) => Math.min(at(b.end), w.endS) - Math.max(at(b.start), nowFrom) - (Math.min(at(a.end), w.endS) - Math.max(at(a.start), nowFrom)))[0];
      if (!entry) continue;
      // Context: the next ayah after the one reported outranks an identical text elsewhere.
      const inOrder = current !== undefined && follows(current, { rec, anchorS: hit.anchorS, slope: hit.slope });
      const score = windowEvidence(hit.logP) + (inOrder ? QUERY.timeline.jumpCost : 0);
      if (!pick || score > pick.score) pick = { hit, rec, entry, startS: at(entry.start), score };
    }
    if (!pick) continue;
    // A change: a later start than the ayah reported (a new ayah, or the same one read again).
    if (current && pick.startS <= current.startS + MIN_ADVANCE_S) continue;
    const reciter = identifier.reader.reciter(pick.rec.reciterId);
    const result = await describe(identifier.reader, {
      surah: pick.entry.surah,
      ayah: pick.entry.ayah,
      reciterId: pick.rec.reciterId,
      reciterName: reciter?.nameEn ?? pick.rec.reciterId,
      riwayah: reciter?.riwayah ?? '',
      confidence: pick.hit.confidence,
      offsetS: Math.round((w.endS - pick.startS) * 100) / 100,
      recordingId: pick.rec.id,
      score: pick.hit.aligned,
      alsoCovers: [],
    });
    const { status, note } = placedByContext(result, current?.result, undefined);
    current = { rec: pick.rec, anchorS: pick.hit.anchorS, slope: pick.hit.slope, entry: pick.entry, startS: pick.startS, result };
    emit({ input: name, streamS: round2(w.endS), startS: round2(Math.max(0, pick.startS)), status, results: [note ? { ...result, note } : result] });
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;
