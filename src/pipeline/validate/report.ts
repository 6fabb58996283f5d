/**
 * report: the validation report as data (ValidationReport, the --json output) and as
 * readable text: counts by severity, then one line per problem (file, check, reason).
 */
import type { DecodedAudio } from './decode-stats.js';
import type { AudioFacts, Issue, ValidationReport } from './types.js';

/** The measured facts of a decoded file, rounded for the report. */
export function audioFacts(a: DecodedAudio): AudioFacts {
  const { info, pcm } = a;
  return {
    bytes: a.bytes,
    container: info.container,
    codec: info.codec,
    sampleRate: info.sampleRate,
    channels: info.channels ?? null,
    bitrateKbps: info.bitrateKbps ?? null,
    durationS: round(pcm.durationS, 3),
    headerDurationS: info.headerDurationS ?? null,
    leadingSilenceS: round(pcm.leadingSilenceS, 2),
    trailingSilenceS: round(pcm.trailingSilenceS, 2),
    soundS: round(pcm.soundS, 2),
    silentRatio: round(pcm.silentRatio, 4),
    clippingRatio: round(pcm.clippingRatio, 6),
    rmsDb: finiteOrNull(pcm.rmsDb),
    peakDb: finiteOrNull(pcm.peakDb),
    pcmHash: pcm.pcmHash,
  };
}

const SEVERITY_ORDER = { error: 0, warning: 1 } as const;

/** Errors first, then by file (folder-wide "." first), then check, then reason. */
export function sortIssues(issues: Issue[]): Issue[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...issues].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || cmp(a.file, b.file) || cmp(a.check, b.check) || cmp(a.reason, b.reason));
}

export function renderText(r: ValidationReport): string {
  const lines: string[] = [];
  const complete = r.coverage.filter((c) => c.missing.length === 0).length;
  const ayahs = r.coverage.reduce((n, c) => n + c.present, 0);
  lines.push(`${r.dir} (layout ${r.layout}): ${r.counts.files} files, ${r.counts.sources} used, ${r.counts.unmatched} not used`);
  lines.push(`audio: ${formatDuration(r.audioSeconds)} decoded in ${r.elapsedSeconds.toFixed(1)} s`);
  lines.push(`coverage: ${ayahs} ayahs in ${r.coverage.length} surahs, ${complete} complete`);
  lines.push(`${plural(r.counts.errors, 'error')}, ${plural(r.counts.warnings, 'warning')}${r.strict ? ' (--strict: warnings fail)' : ''}`);
  if (r.issues.length) {
    const fileWidth = Math.min(40, Math.max(...r.issues.map((i) => i.file.length)));
    const checkWidth = Math.max(...r.issues.map((i) => i.check.length));
    lines.push('');
    for (const i of r.issues) lines.push(`${i.severity.padEnd(7)}  ${i.file.padEnd(fileWidth)}  ${i.check.padEnd(checkWidth)}  ${i.reason}`);
  }
  lines.push('');
  lines.push(r.ok ? 'OK' : `FAILED: ${r.counts.errors ? plural(r.counts.errors, 'error') : plural(r.counts.warnings, 'warning')}`);
  return lines.join('\n') + '\n';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function formatDuration(s: number): string {
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(2)} h`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function finiteOrNull(db: number): number | null {
  return Number.isFinite(db) ? round(db, 2) : null;
}
