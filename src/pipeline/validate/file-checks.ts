/**
 * file-checks: the checks of one decoded audio file: complete decoding, silence, level,
 * clipping, and (for a one-ayah file) a duration plausible for the ayah's text.
 */
import type { RecordingSource, Riwayah } from '../../types.js';
import type { DecodedAudio, Undecodable } from './decode-stats.js';
import { durationVerdict } from './duration-bounds.js';
import { SILENCE_DB } from './pcm-stats.js';
import type { Issue } from './types.js';

export const FILE_LIMITS = {
  /** Decoded audio shorter than the header's duration by more than this fraction (and 0.3 s): truncated. */
  truncatedFraction: 0.03,
  truncatedMinS: 0.3,
  /** Less sound than this, or a larger silent ratio: a silent file. */
  silentSoundS: 0.3,
  silentRatio: 0.95,
  /** Leading or trailing silence longer than this: a warning. */
  edgeSilenceS: 6,
  /** RMS of the non-silent frames below this: very low level. */
  lowLevelDb: -35,
  /** Fraction of clipped samples for a warning, an error. */
  clippingWarn: 0.01,
  clippingError: 0.05,
} as const;

/** Issues of one file that could not be decoded at all. */
export function undecodableIssues(relPath: string, u: Undecodable): Issue[] {
  return [{ severity: 'error', check: 'decode', file: relPath, reason: u.reason }];
}

export function fileIssues(source: RecordingSource, audio: DecodedAudio, riwayah: Riwayah = 'hafs'): Issue[] {
  const file = source.relPath;
  const issues: Issue[] = [];
  const add = (severity: Issue['severity'], check: Issue['check'], reason: string) => issues.push({ severity, check, file, reason });
  const { pcm, info } = audio;
  const L = FILE_LIMITS;

  if (audio.decodeErrors.length)
    add('error', 'decode', `damaged: ${audio.decodeErrors.length} decoding error(s), first: ${audio.decodeErrors[0]}`);
  const declared = info.headerDurationS;
  if (declared !== undefined && declared - pcm.durationS > Math.max(L.truncatedMinS, L.truncatedFraction * declared))
    add('error', 'decode', `truncated or damaged: decodes to ${pcm.durationS.toFixed(2)} s of the ${declared.toFixed(2)} s its header declares`);
  if (pcm.samples === 0) {
    add('error', 'decode', 'no audio decoded');
    return issues;
  }

  if (pcm.soundS < L.silentSoundS || pcm.silentRatio > L.silentRatio)
    add('error', 'silence', `silent: ${percent(pcm.silentRatio)} of the audio is below ${SILENCE_DB} dBFS (${pcm.soundS.toFixed(2)} s of sound)`);
  else {
    if (pcm.leadingSilenceS > L.edgeSilenceS) add('warning', 'silence', `${pcm.leadingSilenceS.toFixed(1)} s of silence at the start`);
    if (pcm.trailingSilenceS > L.edgeSilenceS) add('warning', 'silence', `${pcm.trailingSilenceS.toFixed(1)} s of silence at the end`);
    if (pcm.activeRmsDb < L.lowLevelDb) add('warning', 'level', `very low level: ${pcm.activeRmsDb.toFixed(1)} dBFS RMS where there is sound`);
  }

  if (pcm.clippingRatio >= L.clippingWarn)
    add(pcm.clippingRatio >= L.clippingError ? 'error' : 'warning', 'clipping', `clipped: ${percent(pcm.clippingRatio)} of samples at full scale (peak ${pcm.peakDb.toFixed(1)} dBFS)`);

  if (source.kind === 'ayah' && !issues.some((i) => i.check === 'silence' && i.severity === 'error')) {
    const verdict = durationVerdict(source.ref, pcm.soundS, riwayah);
    if (verdict) add(verdict.severity, 'duration', verdict.reason);
  }
  return issues;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`;
}
