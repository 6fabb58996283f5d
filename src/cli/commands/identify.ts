/**
 * `ayah identify FILE... | -`: which surah and ayah each input recites.
 */
import type { Command } from 'commander';
import { AyahError, ExitCode } from '../../errors.js';
import { ayahHome } from '../../home.js';
import { Identifier } from '../../query/identifier.js';
import { answerJson as toJson } from '../../query/answer-json.js';
import type { IdentifyAnswer, IdentifyResult } from '../../types.js';
import { action, inputErrorLine, listOption, positiveInt } from '../run.js';

interface Options {
  top: number;
  reciter?: string[];
  riwayah?: string[];
  minConfidence?: number;
  json?: boolean;
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
    .option('--json', 'one JSON object per input per line')
    .action(action(async (inputs: string[], opts: Options) => identify(inputs, opts)));
}


function parseConfidence(v: string): number {
  const x = Number(v);
  if (!(x >= 0 && x <= 1)) throw new AyahError(`--min-confidence must be between 0 and 1, got "${v}"`, ExitCode.USAGE);
  return x;
}

async function identify(inputs: string[], opts: Options): Promise<number> {
  if (inputs.filter((i) => i === '-').length > 1) throw new AyahError('standard input (-) can be given only once', ExitCode.USAGE);
  const identifier = await Identifier.open(ayahHome());
  let failed = 0;
  const options = { top: opts.top, reciters: opts.reciter, riwayat: opts.riwayah, minConfidence: opts.minConfidence };
  await identifier.identifyFiles(inputs, options, (answer) => {
    if (answer.error) {
      failed++;
      process.stderr.write(inputErrorLine(answer.input, answer.error));
    }
    process.stdout.write(opts.json ? JSON.stringify(toJson(answer)) + '\n' : toText(answer, inputs.length > 1, opts.top));
  });
  await identifier.close();
  return failed ? ExitCode.BAD_INPUT : ExitCode.OK;
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
    .filter((r) => r.confidence >= 0.01)
    .forEach((r, i) => lines.push(`  alt ${i + 1}: ${describe(r)}`));
  return lines.join('\n') + '\n';
}

function describe(r: IdentifyResult): string {
  return `${r.surah}:${r.ayah} ${r.surahNameEn} (${r.surahNameAr}) · ${r.reciterName} (${r.riwayah}) · confidence ${r.confidence.toFixed(2)} · at ${r.offsetS.toFixed(1)} s`;
}

function ref(x: { surah: number; ayah: number }): string {
  return `${x.surah}:${x.ayah}`;
}

function abbreviate(list: string[]): string {
  return list.length <= 8 ? list.join(', ') : `${list.slice(0, 8).join(', ')} and ${list.length - 8} more`;
}
