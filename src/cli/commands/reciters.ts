/**
 * `ayah reciters list|show|activate|deactivate|remove`: the reciters of the catalog and
 * the index. A reciter whose build failed stays inactive, its status says why.
 */
import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import { indexDir } from '../../home.js';
import type { ReciterOverview } from '../../pipeline/reciters.js';
import { assertHomeWritable, serviceConfig } from '../../services/config.js';
import { printJson, printLines, table } from '../output.js';
import { action } from '../run.js';

type Reciters = typeof import('../../pipeline/reciters.js');
type Access = import('../../catalog/access.js').CatalogAccess;

/** Runs `fn` with the catalog, the index directory and the reciters module (loaded only when a command runs); `writes`: AYAH_HOME must be writable. */
async function withReciters<T>(fn: (catalog: Access, dir: string, r: Reciters) => Promise<T>, writes = false): Promise<T> {
  const config = serviceConfig();
  if (writes) assertHomeWritable(config);
  const [{ CatalogAccess }, reciters] = await Promise.all([import('../../catalog/access.js'), import('../../pipeline/reciters.js')]);
  const catalog = new CatalogAccess(config, `ayah reciters`);
  try {
    return await fn(catalog, indexDir(config.home), reciters);
  } finally {
    await catalog.close();
  }
}

/** "active", "inactive", "failed: <reason>", "indexing", "not in the catalog". */
function statusOf(r: ReciterOverview): string {
  const c = r.catalog;
  if (!c) return `${r.index?.active ? 'active' : 'inactive'} (not in the catalog: \`ayah index rebuild\` adds it)`;
  const active = c.isActive ? 'active' : 'inactive';
  if (c.status === 'failed') return `${active}, build failed: ${c.statusReason ?? 'unknown reason'}`;
  if (c.status === 'indexing' || c.status === 'new') return `${active}, ${c.status}`;
  return active;
}

function describe(r: ReciterOverview): string[] {
  return [
    `${r.id}: ${r.catalog?.nameEn ?? ''}${r.catalog?.nameAr ? ` (${r.catalog.nameAr})` : ''}`,
    `  status: ${statusOf(r)}`,
    ...(r.catalog ? [`  riwayah: ${r.catalog.riwayah}${r.catalog.style ? `, ${r.catalog.style}` : ''}, priority ${r.catalog.priority}`] : []),
    `  recordings: ${r.catalog?.recordings ?? 0} in the catalog, ${r.index?.recordings ?? 0} in the index${r.index ? ` (${(r.index.audioSeconds / 60).toFixed(1)} min of audio)` : ''}`,
  ];
}

export function register(program: Command): void {
  const reciters = program.command('reciters').description('list, inspect, activate, deactivate and remove indexed reciters');
  reciters
    .command('list')
    .description('every reciter with its status and recordings')
    .option('--json', 'print as JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        const list = await withReciters((c, dir, r) => r.reciterOverviews(c, dir));
        if (opts.json) return void printJson(list);
        if (list.length === 0) return void printLines(['no reciters yet (`ayah add-reciter DIR --name NAME`)']);
        printLines(table([['id', 'name', 'riwayah', 'recordings', 'status'], ...list.map((r) => [r.id, r.catalog?.nameEn ?? '', r.catalog?.riwayah ?? '', r.index?.recordings ?? 0, statusOf(r)])]));
      }),
    );
  reciters
    .command('show')
    .description('one reciter: status, recordings, recent builds')
    .argument('<reciter>', 'reciter id or name')
    .option('--json', 'print as JSON')
    .action(
      action(async (name: string, opts: { json?: boolean }) => {
        const r = await withReciters((c, dir, r) => r.findReciter(c, dir, name));
        if (opts.json) return void printJson(r);
        printLines([
          ...describe(r),
          ...(r.builds.length ? ['  builds:', ...r.builds.map((b) => `    ${b.id} ${b.kind} ${b.status}${b.statusReason ? `: ${b.statusReason}` : ''} (${b.files} files, ${b.runner})`)] : []),
        ]);
      }),
    );
  for (const [verb, active] of [['activate', true], ['deactivate', false]] as const)
    reciters
      .command(verb)
      .description(active ? 'let identify answer with this reciter again' : 'keep this reciter in the index but out of identify answers')
      .argument('<reciter>', 'reciter id or name')
      .action(
        action(async (name: string) => {
          const r = await withReciters((c, dir, x) => x.setReciterActive(c, dir, name, active), true);
          printLines([`${r.id}: ${statusOf(r)}`]);
          return ExitCode.OK;
        }),
      );
  reciters
    .command('remove')
    .description('take a reciter (or with --recording, one of its recordings) out of the index and the catalog')
    .argument('<reciter>', 'reciter id or name')
    .option('--recording <ref>', 'only this recording: surah:ayah (e.g. 114:6) or its file path in the folder')
    .action(
      action(async (name: string, opts: { recording?: string }) => {
        if (opts.recording) {
          const one = await withReciters((c, dir, x) => x.removeRecording(c, dir, name, opts.recording!), true);
          return void printLines([`${one.id}: ${one.relPath} taken out of the index and the catalog (add-reciter of the folder adds it again while the file is there)`]);
        }
        const r = await withReciters((c, dir, x) => x.removeReciter(c, dir, name), true);
        printLines([`${r.id}: removed (${r.recordings} recordings taken out of the index)`]);
      }),
    );
}
