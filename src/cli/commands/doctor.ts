/**
 * `ayah doctor [--json]`: is everything Ayahfinder needs here? One line per check
 * (ffmpeg, index, catalog, redis): "ok" or what is wrong. Exit 0 when all are ok, else 1.
 */
import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import { serviceConfig } from '../../services/config.js';
import { printJson, printLines } from '../output.js';
import { action } from '../run.js';

export function register(program: Command): void {
  program
    .command('doctor')
    .description('check ffmpeg, the index, the catalog (PostgreSQL or embedded) and Redis when configured')
    .option('--json', 'print the checks as JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        const { runDoctor } = await import('../../services/doctor.js');
        const checks = await runDoctor(serviceConfig());
        if (opts.json) printJson({ ok: checks.every((c) => c.ok), checks });
        else printLines(checks.map((c) => `${c.name}: ${c.ok ? 'ok' : 'FAILED'}: ${c.detail}`));
        return checks.every((c) => c.ok) ? ExitCode.OK : ExitCode.CHECK_FAILED;
      }),
    );
}
