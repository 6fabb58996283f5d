/**
 * report: the benchmark report, as JSON (schema "ayahfinder.bench/1", documented in
 * docs/bench.md; fields are only ever added within a schema version) and as Markdown.
 */
import os from 'node:os';
import type { RowMetrics } from './metrics.js';

export const REPORT_SCHEMA = 'ayahfinder.bench/1';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  arch: string;
}

export interface IndexInfo {
  home: string;
  recordings: number;
  postings: number;
  bytesOnDisk: number;
  /** Recordings clips were cut from (after --reciter), by reciter id. */
  sampledRecordings: Record<string, number>;
}

export interface BenchConfigInfo {
  seed: number;
  clips: number;
  seconds: number;
  degradations: string[];
  reciters: string[] | null;
  /** --riwayah: clips cut only from reciters of these riwayat. */
  riwayat?: string[] | null;
  manifest: string | null;
  negatives: string[];
}

export interface BenchReport {
  schema: typeof REPORT_SCHEMA;
  createdAt: string;
  config: BenchConfigInfo;
  index: IndexInfo;
  machine: MachineInfo;
  rows: RowMetrics[];
  /** Missed thresholds, one message each (empty when all passed or none were set). */
  failures: string[];
  /** Wall time of the whole run, seconds. */
  wallS: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
  };
}

/** The rows as a Markdown table, with one line on the index and the machine above it. */
export function toMarkdown(report: BenchReport): string {
  const { index, machine, config } = report;
  const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);
  const lines = [
    `Index: ${index.recordings} recordings, ${index.postings.toLocaleString('en-US')} postings, ${(index.bytesOnDisk / 2 ** 20).toFixed(1)} MiB on disk. ` +
      `Clips: ${config.clips} × ${config.seconds} s, seed ${config.seed}. ` +
      `Machine: ${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node}. Run: ${report.wallS.toFixed(1)} s.`,
    '',
    '| row | clips | top-1 | top-5 | no match | wrong | wrong ayah | errors | p50 ms | p95 ms | p99 ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...report.rows.map((r) =>
      [r.name, r.clips, pct(r.top1), pct(r.top5), pct(r.noMatch), pct(r.wrongMatch), pct(r.wrongAyah), r.errors, r.latencyMs.p50, r.latencyMs.p95, r.latencyMs.p99]
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    ),
  ];
  const perRiwayah = report.rows.filter((r) => r.byRiwayah && Object.keys(r.byRiwayah).length > 1);
  if (perRiwayah.length) {
    const riwayat = [...new Set(perRiwayah.flatMap((r) => Object.keys(r.byRiwayah!)))].sort();
    lines.push(
      '',
      `Top-1 per riwayah (clips of the reciters of each riwayah; an answer in another reciter's riwayah is right when it covers the same Hafs ayahs):`,
      '',
      `| row | ${riwayat.map((r) => `${r} clips | ${r} top-1`).join(' | ')} |`,
      `|---|${riwayat.map(() => '---:|---:').join('|')}|`,
      ...perRiwayah.map((r) => `| ${r.name} | ${riwayat.map((w) => (r.byRiwayah![w] ? `${r.byRiwayah![w].clips} | ${pct(r.byRiwayah![w].top1)}` : '– | –')).join(' | ')} |`),
    );
  }
  if (report.failures.length) lines.push('', ...report.failures.map((f) => `- FAILED: ${f}`));
  return lines.join('\n') + '\n';
}
