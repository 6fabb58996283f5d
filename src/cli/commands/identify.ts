/**
 * `ayah identify FILE... | -`: which surah and ayah each input recites.
 */
import type { Command } from 'commander';
import { AyahError, ExitCode, reasonOf } from '../../errors.js';
import { ayahHome } from '../../home.js';
import { assertReadableFile, inputName } from '../../fingerprint/decode.js';
import { answerJson as toJson, resultJson } from '../../query/answer-json.js';
import { follow } from '../../query/follow.js';
import type { Identifier, IdentifyOptions } from '../../query/identifier.js';
import { InputDecoding } from '../../query/input-decoding.js';
import { identifyOnThreads, identifyThreadsFor, MIN_INPUTS_PER_THREAD } from '../../query/identify-threads.js';
import { isStreamInput } from '../../fingerprint/ffmpeg-input.js';
import { atChanceLevel } from '../../query/score.js';
import { timelineOf } from '../../query/timeline.js';
import type { IdentifyAnswer, IdentifyResult, TimelineSegment } from '../../types.js';
import { quietInterrupt } from '../../signals.js';
import { action, inputErrorLine, listOption, positiveInt } from '../run.js';

interface Options {
  top: number;
  reciter?: string[];
  riwayah?: string[];
  minConfidence?: number;
  json?: boolean;
  timeline?: boolean;
  follow?: boolean;
  jobs?: number;
}

export function register(program: Command): void {
  program
    .command('identify')
    .description('identify the surah and ayah of audio clips (any format ffmpeg reads; "-" reads standard input)')
    .argument('<inputs...>', 'audio or video files, or - for standard input')
    .option('--top <n>', 'how many results to list per input', positiveInt, 1)
    .option('--reciter <names>', 'only match these reciters (id or exact name, case-insensitive; comma-separated or repeated)', listOption)
    .option('--riwayah <riwayat>', 'only match these riwayat (hafs, warsh, ...; comma-separated or repeated)', listOption)
    .option('--min-confidence <x>', 'lowest confidence reported as a match (0..1)', parseConfidence)
    .option('--timeline', 'every ayah recited along each input, with its start and end (long recordings)')
    .option('--follow', 'live input (- or a growing file): a line as soon as an ayah is recognised and at each change')
    .option('--json', 'one JSON object per input per line (--timeline: per segment; --follow: per change)')
    .option('--jobs <n>', `threads matching at once in a call of many files, each opening the index (default: one per core, from ${MIN_INPUTS_PER_THREAD} files per thread; 1: each clip answered soonest)`, positiveInt)
    .action(action(async (inputs: string[], opts: Options) => identify(inputs, opts)));
}

function parseConfidence(v: string): number {
  const x = Number(v);
  if (!(x >= 0 && x <= 1)) throw new AyahError(`--min-confidence must be between 0 and 1, got "${v}"`, ExitCode.USAGE);
  return x;
}

async function identify(inputs: string[], opts: Options): Promise<number> {
  if (inputs.filter((i) => i === '-').length > 1) throw new AyahError('standard input (-) can be given only once', ExitCode.USAGE);
  if (opts.follow && opts.timeline) throw new AyahError('--follow and --timeline cannot be used together', ExitCode.USAGE);
  if (opts.follow && inputs.length !== 1) throw new AyahError('--follow reads one input (- or a file being written)', ExitCode.USAGE);
  const options = { top: opts.top, reciters: opts.reciter, riwayat: opts.riwayah, minConfidence: opts.minConfidence };
  let failed = 0;
  const deliver = (answer: IdentifyAnswer) => {
    if (answer.error) {
      failed++;
      process.stderr.write(inputErrorLine(answer.input, answer.error));
    }
    process.stdout.write(opts.json ? JSON.stringify(toJson(answer)) + '\n' : toText(answer, inputs.length > 1, opts.top));
  };
  const files = !opts.timeline && !opts.follow && !inputs.some(isStreamInput);
  const threads = files ? identifyThreadsFor(inputs.length, opts.jobs) : 1;
  if (threads > 1) {
    await identifyOnThreads(ayahHome(), inputs, options, deliver, threads);
    return failed ? ExitCode.BAD_INPUT : ExitCode.OK;
  }
  // Files start decoding (an ffmpeg process) while the index's modules load and it opens:
  // most of a single call's decoding is then off its critical path.
  const decoding = files ? new InputDecoding(inputs) : undefined;
  const { Identifier } = await import('../../query/identifier.js');
  const identifier = await Identifier.open(ayahHome());
  if (opts.timeline) return timelines(identifier, inputs, options, opts);
  if (opts.follow) return followInput(identifier, inputs[0], options, opts);
  await identifier.identifyFiles(inputs, options, deliver, decoding);
  await identifier.close();
  return failed ? ExitCode.BAD_INPUT : ExitCode.OK;
}

async function timelines(identifier: Identifier, inputs: string[], options: IdentifyOptions, opts: Options): Promise<number> {
  let failed = 0;
  for (const input of inputs) {
    const tl = await timelineOf(identifier, input, options);
    if (tl.error) {
      failed++;
      process.stderr.write(`ayah: ${tl.input}: ${tl.error}\n`);
      continue;
    }
    for (const s of tl.segments) process.stdout.write(opts.json ? JSON.stringify(segmentJson(s)) + '\n' : segmentText(s, inputs.length > 1));
  }
  return failed ? ExitCode.BAD_INPUT : ExitCode.OK;
}

async function followInput(identifier: Identifier, input: string, options: IdentifyOptions, opts: Options): Promise<number> {
  if (input !== '-') assertReadableFile(input);
  quietInterrupt();
  try {
    await follow(identifier, input, options, (e) => {
      const json = { input: e.input, stream_s: e.streamS, start_s: e.startS, status: e.status, results: e.results.map(resultJson) };
      process.stdout.write(opts.json ? JSON.stringify(json) + '\n' : `[${clock(e.streamS)}] ${segmentText({ ...e, endS: e.streamS }, false).replace(/^\S+–\S+ {2}/, `from ${clock(e.startS)}  `)}`);
    });
  } catch (err) {
    if (err instanceof AyahError) throw err;
    throw new AyahError(`${inputName(input)}: ${reasonOf(err)}`, ExitCode.BAD_INPUT, { cause: err });
  }
  return ExitCode.OK;
}

/** The --timeline --json schema (documented in README "identify --timeline"). */
export function segmentJson(s: TimelineSegment) {
  return { input: s.input, start_s: s.startS, end_s: s.endS, status: s.status, results: s.results.map(resultJson) };
}

function segmentText(s: Pick<TimelineSegment, 'input' | 'startS' | 'endS' | 'status' | 'results'>, many: boolean): string {
  const prefix = `${many ? `${s.input}: ` : ''}${clock(s.startS)}–${clock(s.endS)}  `;
  const r = s.results[0];
  if (!r) return `${prefix}no match\n`;
  const lines = [`${prefix}${describe(r).replace(/ · at .*$/, '')}`, `  ${r.text}`];
  if (r.note) lines.push(`  ${r.note}`);
  if (s.status === 'ambiguous' && !r.note) lines.push(`  ambiguous: the same text is also at ${abbreviate(r.sameTextAt.map(ref))}`);
  return lines.join('\n') + '\n';
}

/** Seconds as m:ss.s (h:mm:ss.s from an hour). */
function clock(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(1).padStart(4, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function toText(a: IdentifyAnswer, many: boolean, top: number): string {
  const prefix = many ? `${a.input}: ` : '';
  if (a.error) return '';
  if (a.status === 'no_match' || a.results.length === 0) return `${prefix}no match\n`;
  const best = a.results[0];
  const lines = [`${prefix}${describe(best)}`, `  ${best.text}`];
  if (best.alsoCovers.length) lines.push(`  the clip covers ${[best, ...best.alsoCovers].sort((x, y) => x.surah - y.surah || x.ayah - y.ayah).map(ref).join(' → ')}`);
  if (a.status === 'ambiguous')
    lines.push(
      best.note
        ? `  ambiguous: ${best.note}`
        : `  ambiguous: the same text is also ${best.sameTextAt.length === 1 ? 'at' : `at ${best.sameTextAt.length} other places:`} ${abbreviate(best.sameTextAt.map(ref))}`,
    );
  // Alternatives at chance level (confidence ~0) are noise in a listing; --json keeps them.
  a.results
    .slice(1, top)
    .filter((r) => !atChanceLevel(r.confidence))
    .forEach((r, i) => lines.push(`  alt ${i + 1}: ${describe(r)}`));
  return lines.join('\n') + '\n';
}

function describe(r: IdentifyResult): string {
  const hafs = r.hafs.map(ref).join(' + ');
  const numbered = hafs === ref(r) ? `${r.surah}:${r.ayah}` : `${r.surah}:${r.ayah} (Hafs ${hafs})`;
  return `${numbered} ${r.surahNameEn} (${r.surahNameAr}) · ${r.reciterName} (${r.riwayah}) · confidence ${r.confidence.toFixed(2)} · at ${r.offsetS.toFixed(1)} s`;
}

function ref(x: { surah: number; ayah: number }): string {
  return `${x.surah}:${x.ayah}`;
}

function abbreviate(list: string[]): string {
  return list.length <= 8 ? list.join(', ') : `${list.slice(0, 8).join(', ')} and ${list.length - 8} more`;
}
