/**
 * `ayah validate DIR [--layout ...] [--riwayah R] [--json] [--strict]`: check a reciter folder before it
 * is indexed. Results on stdout (text or JSON); progress on stderr only on a TTY.
 * Exit 0: no errors (warnings allowed unless --strict); 1: errors; 2: usage error.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Layout } from '../../types.js';
import { startSpinner } from '../spinner.js';
import { AyahError, ExitCode } from '../../errors.js';
import { renderText } from '../../pipeline/validate/report.js';
import { validateFolder } from '../../pipeline/validate/validate-folder.js';
import { action, LAYOUT_HELP, layoutOption, RIWAYAH_HELP, riwayahOption } from '../run.js';

interface Options {
  layout?: Layout;
  riwayah: string;
  json?: boolean;
  strict?: boolean;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check a reciter folder: decoding, silence, level, durations, names, coverage, duplicates, timing files')
    .argument('<dir>', 'folder of the reciter: SSSAAA.mp3 files, S/A.mp3 folders, or audio/SSS.mp3 + alignments/SSS.json')
    .option('--layout <layout>', LAYOUT_HELP, layoutOption)
    .option('--riwayah <riwayah>', RIWAYAH_HELP, riwayahOption, 'hafs')
    .option('--json', 'print the report as JSON (schema: docs/validation.md)')
    .option('--strict', 'warnings fail too (exit 1)')
    .action(action(async (dir: string, opts: Options) => validate(dir, opts)));
}

async function validate(dir: string, opts: Options): Promise<number> {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new AyahError(`${dir}: not a directory`, ExitCode.BAD_INPUT);
  const spinner = startSpinner(`validating ${dir}`);
  try {
    const report = await validateFolder(dir, {
      layout: opts.layout,
      riwayah: opts.riwayah,
      strict: opts.strict,
      onProgress: (done, total) => {
        if (spinner) spinner.text = `decoding ${done}/${total} files`;
      },
    });
    spinner?.stop();
    process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : renderText(report));
    return report.ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
  } catch (err) {
    spinner?.stop();
    throw err;
  }
}
