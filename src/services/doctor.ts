/**
 * doctor: checks what Ayahfinder needs, one line each: ffmpeg runs, the index opens, the
 * catalog opens (PostgreSQL when DATABASE_URL is set, else embedded), Redis answers when
 * REDIS_URL is set. A check never throws: it says what is wrong.
 */
import { spawnSync } from 'node:child_process';
import { withCatalog } from '../catalog/open.js';
import { migrate } from '../catalog/migrations.js';
import { reasonOf } from '../errors.js';
import { ffmpegPath } from '../fingerprint/ffmpeg-path.js';
import { indexDir } from '../home.js';
import { readManifest } from '../index/manifest.js';
import { IndexReader } from '../index/reader.js';
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
  if (!readManifest(dir)) throw new Error(`no index yet in ${dir} (\`ayah add-reciter DIR --name NAME\`)`);
  const reader = await IndexReader.open(dir);
  const m = reader.manifest;
  const active = m.reciters.filter((r) => r.active).length;
  return `${dir}: ${m.recordingCount - m.removed.length} recordings of ${m.reciters.length} reciters (${active} active), version ${m.version}`;
}

async function catalogCheck(config: ServiceConfig): Promise<string> {
  return withCatalog(
    config,
    async (c) => {
      const { current } = await migrate(c);
      const where = c.kind === 'postgres' ? `PostgreSQL at ${c.where}${config.databaseReadUrl ? ' (reads from DATABASE_READ_URL)' : ''}` : `embedded in ${c.where}`;
      return `${where}, schema version ${current}`;
    },
    { what: 'ayah doctor' },
  );
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
