/**
 * doctor: checks what Ayahfinder needs, one line each: ffmpeg runs, the index opens, the
 * catalog opens (PostgreSQL when DATABASE_URL is set, else embedded), Redis answers when
 * REDIS_URL is set. A check never throws: it says what is wrong.
 */
import { spawnSync } from 'node:child_process';
import { openCatalogToRead } from '../catalog/open.js';
import { migrate } from '../catalog/migrations.js';
import { reasonOf } from '../errors.js';
import { ffmpegPath } from '../fingerprint/ffmpeg-path.js';
import { catalogDir, indexDir } from '../home.js';
import { IndexReader, indexExists } from '../index/api.js';
import { withQueues } from '../queue/queues.js';
import { QUEUE_FINGERPRINT } from '../pipeline/jobs/types.js';
import type { ServiceConfig } from './config.js';
import { redisAddress } from './redis.js';

export interface CheckResult {
  name: 'ffmpeg' | 'index' | 'catalog' | 'redis';
  ok: boolean;
  detail: string;
}

async function check(name: CheckResult['name'], fn: () => Promise<string> | string): Promise<CheckResult> {
  try {
    return { name, ok: true, detail: await fn() };
  } catch (err) {
    return { name, ok: false, detail: reasonOf(err) };
  }
}

function ffmpegCheck(): string {
  const bin = ffmpegPath();
  const r = spawnSync(bin, ['-hide_banner', '-version'], { timeout: 10_000, encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${bin} does not run: ${r.error ? reasonOf(r.error) : `exit ${r.status}`} (set FFMPEG_PATH)`);
  return r.stdout.split('\n')[0].replace(/ Copyright.*/, '').trim();
}

async function indexCheck(dir: string): Promise<string> {
  // A missing index is a state (a fresh install), not a failure.
  if (!indexExists(dir)) return `no index yet in ${dir} (\`ayah add-reciter DIR --name NAME\` makes one)`;
  const reader = await IndexReader.open(dir);
  await reader.verify();
  const s = reader.stats();
  const peaks = (await reader.keepsPeaks()) ? '' : "; its recordings' peaks are not kept (an index made before they were): weak clips are answered without verification until `ayah index rebuild`";
  const missing = reader.missingFiles();
  const files = missing.length ? `; its ${missing.join(', ')} file${missing.length > 1 ? 's are' : ' is'} missing or short: queries read the tables instead, more slowly, until \`ayah index rebuild --compact\`` : '';
  return `${dir}: ${s.recordings} recordings of ${s.reciters} reciters (${s.activeReciters} active), version ${s.version}${peaks}${files}`;
}

async function catalogCheck(config: ServiceConfig): Promise<string> {
  // Read-only: a catalog that does not exist yet is not created by checking it.
  const catalog = await openCatalogToRead(config, { what: 'ayah doctor' });
  if (!catalog) return `no embedded catalog yet in ${catalogDir(config.home)} (the first add-reciter creates it)`;
  try {
    const { current } = await migrate(catalog);
    const where = catalog.kind === 'postgres' ? `PostgreSQL at ${catalog.where}${config.databaseReadUrl ? ' (reads from DATABASE_READ_URL)' : ''}` : `embedded in ${catalog.where}`;
    return `${where}, schema version ${current}`;
  } finally {
    await catalog.close();
  }
}

async function redisCheck(config: ServiceConfig): Promise<string> {
  if (!config.redisUrl) return 'not configured (REDIS_URL unset: jobs run inside each command)';
  const workers = await withQueues(config, 'ayah doctor', (q) => q.get(QUEUE_FINGERPRINT).getWorkersCount());
  return `Redis at ${redisAddress(config.redisUrl)}, prefix "${config.queuePrefix}", ${workers} worker${workers === 1 ? '' : 's'} connected`;
}

export async function runDoctor(config: ServiceConfig): Promise<CheckResult[]> {
  return Promise.all([
    check('ffmpeg', ffmpegCheck),
    check('index', () => indexCheck(indexDir(config.home))),
    check('catalog', () => catalogCheck(config)),
    check('redis', () => redisCheck(config)),
  ]);
}
