/**
 * thresholds: `--min-top1` and `--max-wrong`, and the failures a report shows against them.
 * A value is `X` (every row it applies to) or `ROW=X` (that row only: "noise:5=0.7",
 * "negatives/alafasy=0.01", replacing a general X for that row); X is a share in [0, 1] or a percentage ("75%").
 * --min-top1 applies to rows with a top-1 (not negatives); --max-wrong to every row's
 * wrong-match rate.
 */
import { AyahError, ExitCode } from '../errors.js';
import type { RowMetrics } from './metrics.js';

export interface Threshold {
  metric: 'top1' | 'wrong';
  /** The row it applies to; every applicable row when absent. */
  row?: string;
  value: number;
}

const OPTION: Record<Threshold['metric'], string> = { top1: '--min-top1', wrong: '--max-wrong' };

/** Parses one option value; throws a usage error naming the option. */
export function parseThreshold(metric: Threshold['metric'], text: string): Threshold {
  const eq = text.lastIndexOf('=');
  const row = eq >= 0 ? text.slice(0, eq).trim() : undefined;
  const raw = (eq >= 0 ? text.slice(eq + 1) : text).trim();
  const value = raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : Number(raw);
  if (!raw || !(value >= 0 && value <= 1) || row === '') {
    throw new AyahError(`${OPTION[metric]}: expected X or ROW=X with X in [0, 1] or a percentage, got "${text}"`, ExitCode.USAGE);
  }
  return row === undefined ? { metric, value } : { metric, row, value };
}

/**
 * One message per missed threshold, e.g. "top-1 0.62 < 0.75 for noise:5". A ROW=X
 * threshold naming a row that was not run is a failure too (a typo must not pass CI).
 */
export function checkThresholds(rows: RowMetrics[], thresholds: Threshold[]): string[] {
  const failures: string[] = [];
  for (const t of thresholds) {
    // A ROW=X threshold replaces a general one for its row.
    const own = (r: RowMetrics) => (t.row === undefined ? !thresholds.some((o) => o.metric === t.metric && o.row === r.name) : r.name === t.row);
    const applicable = rows.filter((r) => own(r) && (t.metric === 'wrong' || r.top1 !== null));
    if (t.row !== undefined && !applicable.length) failures.push(`${OPTION[t.metric]} names row "${t.row}", which was not run`);
    for (const r of applicable) {
      if (t.metric === 'top1' && r.top1! < t.value) failures.push(`top-1 ${fmt(r.top1!)} < ${fmt(t.value)} for ${r.name}`);
      if (t.metric === 'wrong' && r.wrongMatch > t.value) failures.push(`wrong ${fmt(r.wrongMatch)} > ${fmt(t.value)} for ${r.name}`);
    }
  }
  return failures;
}

function fmt(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}
