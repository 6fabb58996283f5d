/**
 * metrics: judging identify's answers against a clip's labels, and the per-row figures
 * of a benchmark report.
 *
 * A result is right when its surah:ayah is one of the labels, or has the same text as one
 * (repeated groups within the riwayah: answering 55:16 for 55:13 is right, the audio cannot
 * tell). Labels are numbered in the riwayah of the clip's reciter; a result in another
 * riwayah (another reciter's) is compared on the Hafs ayahs both cover.
 */
import { isSupportedRiwayah, numbering } from '../quran/numbering.js';
import { repeatedGroup } from '../quran/quran.js';
import type { IdentifyAnswer, IdentifyStatus, SurahAyah } from '../types.js';
import type { ClipSet } from './sample.js';

/** What happened to one clip under one degradation. */
export interface Outcome {
  /** Report row: the degradation for index clips, "<group>/<degradation>" otherwise (see rowName). */
  row: string;
  set: ClipSet;
  degradation: string;
  clip: string;
  labels: SurahAyah[];
  /** The riwayah the labels are numbered in (the clip's reciter's; "hafs" for manifests and negatives). */
  riwayah: string;
  status: IdentifyStatus;
  /** The best result's surah:ayah (in its reciter's riwayah), if any. */
  top?: Answered;
  /** 1-based rank of the first right result among identify's results (top 5); 0 if none or no_match. */
  rightRank: number;
  /** Wall time of identifyPcm, ms. */
  latencyMs: number;
  /** Set when the clip could not be rendered or identified (counts as no_match). */
  error?: string;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** The figures of one report row (documented in docs/bench.md). */
export interface RowMetrics {
  name: string;
  set: ClipSet;
  degradation: string;
  clips: number;
  /** Share of clips whose best result is right (null for negatives: nothing is right but no_match). */
  top1: number | null;
  /** Share of clips with a right result among the first five (null for negatives). */
  top5: number | null;
  noMatch: number;
  /** Positives: a match/ambiguous answer whose best result is not right. Negatives: any answer but no_match. */
  wrongMatch: number;
  /** A match/ambiguous answer whose best result is not one of the labels (for negatives: what the file recites). */
  wrongAyah: number;
  /** Clips that could not be rendered or identified. */
  errors: number;
  latencyMs: LatencySummary;
  /** Positive rows: top-1 and top-5 of the clips of each riwayah (their reciters'). */
  byRiwayah?: Record<string, { clips: number; top1: number; top5: number }>;
}

/** A result as the metrics judge it: surah:ayah in `riwayah`, covering the `hafs` ayahs. */
export interface Answered extends SurahAyah {
  riwayah?: string;
  hafs?: SurahAyah[];
}

/** The report row of a clip group and degradation. */
export function rowName(set: ClipSet, group: string, degradation: string): string {
  if (set === 'index') return degradation;
  if (set === 'negatives' && degradation === 'clean') return group;
  return `${group}/${degradation}`;
}

const same = (a: SurahAyah, b: SurahAyah) => a.surah === b.surah && a.ayah === b.ayah;
const numberingName = (r: string | undefined) => (r && isSupportedRiwayah(r.toLowerCase()) ? r.toLowerCase() : 'hafs');

/** Whether `result` is right for `labels` (numbered in `labelRiwayah`): the same ayah, or one with the same text. */
export function isRight(result: Answered, labels: SurahAyah[], labelRiwayah = 'hafs'): boolean {
  const r = numberingName(result.riwayah);
  const l = numberingName(labelRiwayah);
  if (r === l) {
    const n = numbering(l);
    return labels.some((x) => same(x, result) || n.repeatedGroup(x.surah, x.ayah).some((g) => same(g, result)));
  }
  const resultHafs = result.hafs ?? numbering(r).toHafs(result.surah, result.ayah);
  const labelHafs = labels.flatMap((x) => numbering(l).toHafs(x.surah, x.ayah));
  return resultHafs.some((h) => labelHafs.some((x) => same(x, h) || repeatedGroup(x.surah, x.ayah).some((g) => same(g, h))));
}

/**
 * The rank (1-based) of the first right result among the first five, 0 when none or when
 * the answer is no_match (results listed below the confidence bar are not answers).
 */
export function rightRankOf(answer: IdentifyAnswer, labels: SurahAyah[], labelRiwayah = 'hafs'): number {
  if (answer.status === 'no_match') return 0;
  const i = answer.results.slice(0, 5).findIndex((r) => isRight(r, labels, labelRiwayah));
  return i + 1;
}

/** Rows in the order their first outcome appears. */
export function summarize(outcomes: Outcome[]): RowMetrics[] {
  const rows = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    const list = rows.get(o.row);
    if (list) list.push(o);
    else rows.set(o.row, [o]);
  }
  return [...rows.values()].map(rowMetrics);
}

function rowMetrics(list: Outcome[]): RowMetrics {
  const { row, set, degradation } = list[0];
  const n = list.length;
  const share = (pred: (o: Outcome) => boolean) => round(list.filter(pred).length / n);
  const answered = (o: Outcome) => o.status !== 'no_match';
  const negative = set === 'negatives';
  return {
    name: row,
    set,
    degradation,
    clips: n,
    top1: negative ? null : share((o) => o.rightRank === 1),
    top5: negative ? null : share((o) => o.rightRank > 0),
    noMatch: share((o) => !answered(o)),
    wrongMatch: share((o) => answered(o) && (negative || o.rightRank !== 1)),
    wrongAyah: share((o) => answered(o) && !(o.top && isRight(o.top, o.labels, o.riwayah))),
    errors: list.filter((o) => o.error).length,
    latencyMs: latency(Float64Array.from(list.filter((o) => !o.error).map((o) => o.latencyMs))),
    ...(negative ? {} : { byRiwayah: byRiwayah(list) }),
  };
}

function byRiwayah(list: Outcome[]): Record<string, { clips: number; top1: number; top5: number }> {
  const out: Record<string, { clips: number; top1: number; top5: number }> = {};
  for (const r of [...new Set(list.map((o) => o.riwayah))].sort()) {
    const mine = list.filter((o) => o.riwayah === r);
    out[r] = {
      clips: mine.length,
      top1: round(mine.filter((o) => o.rightRank === 1).length / mine.length),
      top5: round(mine.filter((o) => o.rightRank > 0).length / mine.length),
    };
  }
  return out;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function latency(values: Float64Array): LatencySummary {
  const sorted = values.sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i];
  const ms = (x: number) => Math.round(x * 10) / 10;
  return {
    p50: ms(percentile(sorted, 50)),
    p95: ms(percentile(sorted, 95)),
    p99: ms(percentile(sorted, 99)),
    mean: ms(sorted.length ? sum / sorted.length : 0),
    max: ms(sorted.length ? sorted[sorted.length - 1] : 0),
  };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
