/**
 * The `ayah` command line: registers every command and parses argv.
 * Each command lives in src/cli/commands/<name>.ts and exports `register(program)`;
 * commands only parse, call into src/{pipeline,index,query,fingerprint} and print.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../errors.js';
import { applyGlobalOptions, printError, usageLine } from './run.js';
import { installSignalHandlers } from '../signals.js';
import { endQuietlyOnClosedStdout } from './output.js';
import type { Command as CommandType } from 'commander';

interface CommandModule {
  register(program: CommandType): void;
}

/**
 * The commands, loaded on demand: a run loads only the module of the command it names
 * (`ayah identify` does not load the pipeline, BullMQ or spinners); help and unknown
 * commands load them all.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  identify: () => import('./commands/identify.js'),
  'add-reciter': () => import('./commands/add-reciter.js'),
  bench: () => import('./commands/bench.js'),
  validate: () => import('./commands/validate.js'),
  reciters: () => import('./commands/reciters.js'),
  index: () => import('./commands/index-cmd.js'),
  worker: () => import('./commands/worker.js'),
  jobs: () => import('./commands/jobs.js'),
  schedule: () => import('./commands/schedule.js'),
  db: () => import('./commands/db.js'),
  doctor: () => import('./commands/doctor.js'),
  serve: () => import('./commands/serve.js'),
};

/** Global options that take a value (their value is not the command name). */
const VALUED_GLOBALS = new Set(['--log-level']);

/** The command argv names, if it names one of COMMANDS before any other word. */
function commandNamed(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (VALUED_GLOBALS.has(a)) i++;
    else if (!a.startsWith('-')) return a in COMMANDS ? a : undefined;
  }
  return undefined;
}

export async function main(argv: string[]): Promise<void> {
  installSignalHandlers();
  endQuietlyOnClosedStdout();
  const program = new Command('ayah')
    .description('Identify Quran recitation: which surah and ayah a short audio clip comes from.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .option('--log-level <level>', 'log level for JSON logs on stderr (trace|debug|info|warn|error|silent)', process.env.LOG_LEVEL)
    .option('--debug', 'print stack traces and debug logs')
    .configureOutput({ outputError: (message, write) => write(`${usageLine(message)}\n`) })
    .exitOverride()
    .hook('preAction', (cmd) => applyGlobalOptions(cmd.opts()));

  const args = argv.slice(2);
  const named = commandNamed(args);
  const versionOnly = !named && (args.includes('-V') || args.includes('--version'));
  const modules = await Promise.all((named ? [COMMANDS[named]] : versionOnly ? [] : Object.values(COMMANDS)).map((load) => load()));
  for (const command of modules) command.register(program);

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
