/**
 * `ayah bench`: accuracy and latency of identify on the index in AYAH_HOME, under
 * degradations, with thresholds for CI (docs/bench.md).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { AyahError, ExitCode } from '../../errors.js';
import { startFfmpegHelper } from '../../fingerprint/ffmpeg-process.js';
import { ayahHome } from '../../home.js';
import { Identifier } from '../../query/identifier.js';
import { DEFAULT_SUITE, DEGRADATION_USAGE, parseDegradations } from '../../bench/degrade.js';
import { toMarkdown } from '../../bench/report.js';
import { runBench } from '../../bench/run-bench.js';
import { parseThreshold, type Threshold } from '../../bench/thresholds.js';
import { action, listOption } from '../run.js';

interface Options {
  reciter?: string[];
  riwayah?: string[];
  clips: number;
  seconds: number;
  degrade: string;
  seed: number;
  manifest?: string;
  negatives?: string[];
  minTop1: Threshold[];
  maxWrong: Threshold[];
  json?: string;
  markdown?: string;
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('measure identify on clips cut from the indexed audio, clean and degraded (top-1, top-5, no-match, wrong, latency)')
    .option('--reciter <names>', 'cut clips only from these indexed reciters (id or exact name, case-insensitive; comma-separated or repeated)', listOption)
    .option('--riwayah <riwayat>', 'cut clips only from reciters of these riwayat (hafs, warsh, qalun; comma-separated or repeated)', listOption)
    .option('--clips <n>', 'clips cut from the indexed audio (0: manifest and negatives only)', count, 100)
    .option('--seconds <s>', 'clip length, seconds', seconds, 5)
    .option('--degrade <list>', `degradations, comma-separated, steps joined by "+": ${DEGRADATION_USAGE}`, DEFAULT_SUITE)
    .option('--seed <n>', 'seed: the same seed gives the same clips', count, 1)
    .option('--manifest <file>', 'also play labelled clips from a CSV: path,surah,ayah[;ayah...]')
    .option('--negatives <dir...>', 'also play clips of audio that is not indexed: any answer but no_match is wrong')
    .option('--min-top1 <x>', 'fail when top-1 is below X (or ROW=X for one row); repeatable', collect('top1'), [])
    .option('--max-wrong <x>', 'fail when the wrong-match rate is above X (or ROW=X); repeatable', collect('wrong'), [])
    .option('--json <file>', 'write the JSON report to FILE ("-": standard output instead of the table)')
    .option('--markdown <file>', 'write the Markdown table to FILE')
    .action(action(async (opts: Options) => bench(opts)));
}

async function bench(opts: Options): Promise<number> {
  const degradations = parseDegradations(opts.degrade);
  // Every clip is rendered by an ffmpeg of its own: started from a helper, started now while
  // this process is small, not by forking this one once it holds the index (ffmpeg-process.ts).
  startFfmpegHelper();
  const home = ayahHome();
  const identifier = await Identifier.open(home, { withRecordings: true });
  try {
    const { report } = await runBench(identifier, {
      home,
      reciters: opts.reciter,
      riwayat: opts.riwayah,
      clips: opts.clips,
      seconds: opts.seconds,
      seed: opts.seed,
      degradations,
      manifest: opts.manifest,
      negatives: opts.negatives,
      thresholds: [...opts.minTop1, ...opts.maxWrong],
    });
    const markdown = toMarkdown(report);
    const json = JSON.stringify(report, null, 2) + '\n';
    if (opts.markdown) fs.writeFileSync(opts.markdown, markdown);
    if (opts.json && opts.json !== '-') fs.writeFileSync(opts.json, json);
    process.stdout.write(opts.json === '-' ? json : markdown);
    for (const failure of report.failures) process.stderr.write(`ayah: bench: ${failure}\n`);
    return report.failures.length ? ExitCode.CHECK_FAILED : ExitCode.OK;
  } finally {
    await identifier.close();
  }
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new AyahError(`expected a whole number, got "${value}"`, ExitCode.USAGE);
  return n;
}

function seconds(value: string): number {
  const s = Number(value);
  if (!(s >= 1 && s <= 60)) throw new AyahError(`--seconds must be between 1 and 60, got "${value}"`, ExitCode.USAGE);
  return s;
}

function collect(metric: Threshold['metric']): (value: string, previous: Threshold[]) => Threshold[] {
  return (value, previous) => [...previous, parseThreshold(metric, value)];
}
