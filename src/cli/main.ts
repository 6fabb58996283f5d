/**
 * The `ayah` command line: registers every command and parses argv.
 * Each command lives in src/cli/commands/<name>.ts and exports `register(program)`;
 * commands only parse, call into src/{pipeline,index,query,fingerprint} and print.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../errors.js';
import { applyGlobalOptions, printError } from './run.js';
import * as identify from './commands/identify.js';
import * as addReciter from './commands/add-reciter.js';
import * as validate from './commands/validate.js';
import * as bench from './commands/bench.js';
import * as db from './commands/db.js';
import * as doctor from './commands/doctor.js';
import * as indexCmd from './commands/index-cmd.js';
import * as jobs from './commands/jobs.js';
import * as reciters from './commands/reciters.js';
import * as schedule from './commands/schedule.js';
import * as worker from './commands/worker.js';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('ayah')
    .description('Identify Quran recitation: which surah and ayah a short audio clip comes from.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .option('--log-level <level>', 'log level for JSON logs on stderr (trace|debug|info|warn|error|silent)', process.env.LOG_LEVEL)
    .option('--debug', 'print stack traces and debug logs')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .hook('preAction', (cmd) => applyGlobalOptions(cmd.opts()));

  for (const command of [identify, addReciter, bench, validate, reciters, indexCmd, worker, jobs, schedule, db, doctor]) command.register(program);

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed the message; help and version are not errors.
      process.exitCode = err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
      return;
    }
    process.exitCode = printError(err);
  }
}
