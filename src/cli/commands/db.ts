/**
 * `ayah db migrate [--json]`: apply the catalog's pending migrations (PostgreSQL at
 * DATABASE_URL, or the embedded catalog in AYAH_HOME). Also done on first use.
 */
import type { Command } from 'commander';
import { serviceConfig } from '../../services/config.js';
import { printJson, printLines } from '../output.js';
import { action } from '../run.js';

export function register(program: Command): void {
  const db = program.command('db').description('the catalog database (PostgreSQL at DATABASE_URL, or embedded in AYAH_HOME)');
  db.command('migrate')
    .description('apply pending schema migrations (they also apply on first use)')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        const [{ migrate }, { withCatalog }] = await Promise.all([import('../../catalog/migrations.js'), import('../../catalog/open.js')]);
        const { where, kind, result } = await withCatalog(serviceConfig(), async (c) => ({ where: c.where, kind: c.kind, result: await migrate(c) }), {
          migrate: false,
        });
        if (opts.json) printJson({ catalog: where, kind, ...result });
        else
          printLines([
            ...result.applied.map((m) => `applied ${m.version}: ${m.name}`),
            `catalog ${kind === 'postgres' ? `PostgreSQL at ${where}` : `(embedded) ${where}`}: schema version ${result.current}${result.applied.length ? '' : ', up to date'}`,
          ]);
      }),
    );
}
