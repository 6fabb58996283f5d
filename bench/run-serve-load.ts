/**
 * bench:serve: a load test of `ayah serve` on loopback with autocannon, on an index of the
 * shared corpus (akhdar + salama, 1.6 h), written into its own section at the end of
 * docs/benchmarks.md:
 *  - requests per second and p50/p95/p99 latency at 1, 4 and 16 connections, the result
 *    cache off and on (Redis);
 *  - the server's memory over a long run (default 5 minutes);
 *  - two server processes sharing one Redis: a clip answered by one is a cache hit on the other;
 *  - `ayah index rebuild` committed while the load runs: failed requests, and the index
 *    versions the answers came from.
 *
 *   npm run bench:serve -- [--home DIR] [--seconds 10] [--soak-seconds 300] [--clips 24]
 *                          [--max-concurrent 4] [--markdown docs/benchmarks.md] [--json FILE]
 *
 * Without --home, the index is built into a temporary AYAH_HOME with `ayah add-reciter`.
 * REDIS_URL (default redis://127.0.0.1:6379) is used under a key prefix of the run's own,
 * deleted at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { deleteKeysStartingWith } from '../src/services/redis.js';
import { machineInfo } from '../src/bench/report.js';
import { ffmpegPath } from '../src/fingerprint/ffmpeg-path.js';
import { indexExists, indexStats } from '../src/index/api.js';
import { startServe, type ServeProcess } from '../test/helpers/serve.js';
import { ayah, CORPUS, log, REPO } from './cli.js';
import { writeSection } from './docs-section.js';

interface Args {
  home?: string;
  seconds: number;
  soakSeconds: number;
  clips: number;
  maxConcurrent: number;
  markdown: string;
  json?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { seconds: 10, soakSeconds: 300, clips: 24, maxConcurrent: 4, markdown: path.join(REPO, 'docs', 'benchmarks.md') };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i];
    switch (argv[i]) {
      case '--home': a.home = v(); break;
      case '--seconds': a.seconds = Number(v()); break;
      case '--soak-seconds': a.soakSeconds = Number(v()); break;
      case '--clips': a.clips = Number(v()); break;
      case '--max-concurrent': a.maxConcurrent = Number(v()); break;
      case '--markdown': a.markdown = v(); break;
      case '--json': a.json = v(); break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return a;
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const READERS = [
  { dir: 'akhdar', name: 'Ibrahim Al-Akhdar' },
  { dir: 'salama', name: 'Yasser Salama' },
];

function buildIndex(home: string): number {
  const t0 = performance.now();
  for (const r of READERS) {
    log(`indexing ${r.dir} into ${home}`);
    const res = ayah(['add-reciter', path.join(CORPUS, r.dir), '--name', r.name, '--riwayah', 'hafs', '--json'], { AYAH_HOME: home, LOG_LEVEL: 'warn' }, 'inherit');
    if (res.status !== 0) throw new Error(`add-reciter ${r.dir} failed (exit ${res.status})`);
  }
  return (performance.now() - t0) / 1000;
}

/** 5-second mp3 clips (64 kbit/s, as an app would upload) cut from ayahs of both reciters. */
function makeClips(n: number, dir: string): Buffer[] {
  const files = READERS.flatMap((r) =>
    fs.readdirSync(path.join(CORPUS, r.dir)).filter((f) => /^\d{6}\.mp3$/.test(f) && !f.endsWith('000.mp3')).sort().map((f) => path.join(CORPUS, r.dir, f)),
  );
  const step = Math.max(1, Math.floor(files.length / n));
  const out: Buffer[] = [];
  for (let i = 0; out.length < n && i < files.length; i += step) {
    const clip = path.join(dir, `clip-${out.length}.mp3`);
    const r = spawnSyncFfmpeg(['-v', 'error', '-y', '-ss', '0.5', '-t', '5', '-i', files[i], '-ac', '1', '-b:a', '64k', clip]);
    if (r === 0 && fs.statSync(clip).size > 0) out.push(fs.readFileSync(clip));
  }
  return out;
}

function spawnSyncFfmpeg(args: string[]): number {
  return spawnSync(ffmpegPath(), args).status ?? 1;
}

interface LoadFigures {
  label: string;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  ok: number;
  /** Deliberate refusals (over --max-concurrent). */
  busy: number;
  /** Any other non-2xx, connection errors and timeouts: must be 0. */
  failed: number;
  p50: number;
  p95: number;
  p99: number;
  versions?: Record<string, number>;
  /** Answers by HTTP status, and autocannon's errors and timeouts. */
  statuses: Record<string, number>;
  /** The first answers that were neither 200 nor 503. */
  refusals: string[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

/** Runs autocannon; latencies of 200 answers only. `until` ends the run early (resolves when to stop). */
async function load(url: string, clips: Buffer[], connections: number, seconds: number, label: string, query = '', until?: Promise<unknown>): Promise<LoadFigures> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const versions: Record<string, number> = {};
  const refusals: string[] = [];
  const requests = clips.map((body) => ({
    method: 'POST' as const,
    path: `/v1/identify${query}`,
    body,
    onResponse: (status: number, text: string) => {
      if (status !== 200 && status !== 503 && refusals.length < 5) refusals.push(`${status} ${text.slice(0, 200)}`);
      if (status !== 200) return;
      try {
        const v = (JSON.parse(text) as { index_version: string }).index_version;
        versions[v] = (versions[v] ?? 0) + 1;
      } catch {
        /* counted by status */
      }
    },
  }));
  const started = performance.now();
  let finish!: (r: autocannon.Result) => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finish = resolve), (fail = reject)));
  const instance = autocannon({ url, connections, duration: seconds, requests, timeout: 30 }, (err, r) => (err ? fail(err) : finish(r)));
  (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status === 200) latencies.push(ms);
  });
  if (until) void until.then(() => instance.stop());
  const result = await done;
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const ok = statuses.get(200) ?? 0;
  const busy = statuses.get(503) ?? 0;
  const total = [...statuses.values()].reduce((s, x) => s + x, 0);
  const figures: LoadFigures = {
    label,
    connections,
    seconds: Math.round(elapsed * 10) / 10,
    requests: total,
    rps: Math.round((ok / elapsed) * 10) / 10,
    ok,
    busy,
    failed: total - ok - busy + result.errors + result.timeouts,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    ...(Object.keys(versions).length ? { versions } : {}),
    statuses: { ...Object.fromEntries(statuses), errors: result.errors, timeouts: result.timeouts },
    refusals,
  };
  log(`${label} c=${connections}: ${figures.rps} answers/s, p50 ${figures.p50} ms, p95 ${figures.p95} ms, p99 ${figures.p99} ms, ${figures.busy} busy, ${figures.failed} failed ${JSON.stringify(figures.statuses)} ${figures.refusals.join(' | ')}`);
  return figures;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

/** Warms the cache: each clip once (sequentially). */
async function warm(url: string, clips: Buffer[], query = ''): Promise<boolean[]> {
  const cached: boolean[] = [];
  for (const body of clips) {
    const r = (await (await fetch(`${url}/v1/identify${query}`, { method: 'POST', body: new Uint8Array(body) })).json()) as { cached: boolean };
    cached.push(r.cached);
  }
  return cached;
}

interface SoakFigures {
  seconds: number;
  load: LoadFigures;
  samples: { t: number; rssMB: number; heapMB: number }[];
}

async function soak(url: string, clips: Buffer[], seconds: number): Promise<SoakFigures> {
  const samples: SoakFigures['samples'] = [];
  const t0 = performance.now();
  const every = Math.max(5, Math.round(seconds / 30)) * 1000;
  const timer = setInterval(() => {
    void Promise.all([metric(url, 'process_resident_memory_bytes'), metric(url, 'nodejs_heap_size_used_bytes')]).then(([rss, heap]) =>
      samples.push({ t: Math.round((performance.now() - t0) / 1000), rssMB: Math.round(rss / 2 ** 20), heapMB: Math.round(heap / 2 ** 20) }),
    );
  }, every);
  const figures = await load(url, clips, 4, seconds, 'soak (cache off)');
  clearInterval(timer);
  return { seconds, load: figures, samples };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ayah-bench-serve-'));
  const prefix = `ayahbench_${randomBytes(4).toString('hex')}:`;
  const servers: ServeProcess[] = [];
  try {
    const home = args.home ?? path.join(scratch, 'home');
    const buildSeconds = indexExists(path.join(home, 'index')) ? undefined : buildIndex(home);
    const stats = indexStats(path.join(home, 'index'))!;
    const hours = stats.audioSeconds / 3600;
    const clips = makeClips(args.clips, scratch);
    log(`${clips.length} clips; index ${stats.recordings} recordings, ${hours.toFixed(2)} h`);
    const quiet = { AYAH_HOME: home, LOG_LEVEL: 'warn' };
    const limits = ['--max-concurrent', String(args.maxConcurrent), '--reload-ms', '500'];

    // Cache off, then on (Redis), at 1, 4 and 16 connections.
    const runs: LoadFigures[] = [];
    const off = await startServe(quiet, [...limits, '--no-cache']);
    servers.push(off);
    await warm(off.url, clips.slice(0, 2));
    for (const c of [1, 4, 16]) runs.push(await load(off.url, clips, c, args.seconds, 'cache off'));
    // The same 16 connections admitted at once (no 503s: autocannon does not honour Retry-After, so refused connections retry at once).
    const wide = await startServe(quiet, ['--max-concurrent', '16', '--reload-ms', '0', '--no-cache']);
    runs.push(await load(wide.url, clips, 16, args.seconds, 'cache off, --max-concurrent 16'));
    await wide.stop();

    const on = await startServe({ ...quiet, REDIS_URL, AYAH_CACHE_PREFIX: prefix }, limits);
    servers.push(on);
    await warm(on.url, clips);
    for (const c of [1, 4, 16]) runs.push(await load(on.url, clips, c, args.seconds, 'cache on (Redis)'));

    // Two processes, one Redis: clips answered by `on` (with options not asked before) are hits on `other`.
    const other = await startServe({ ...quiet, REDIS_URL, AYAH_CACHE_PREFIX: prefix }, limits);
    servers.push(other);
    const firstCached = await warm(on.url, clips, '?top=3');
    const otherCached = await warm(other.url, clips, '?top=3');
    const shared = { clips: clips.length, missesOnFirst: firstCached.filter((c) => !c).length, hitsOnOther: otherCached.filter(Boolean).length, otherHitsMetric: await metric(other.url, 'ayah_cache_hits_total') };
    log(`two processes: ${shared.hitsOnOther}/${shared.clips} answered from the other's cache`);

    // Memory over a long run (cache off: every request runs the engine).
    const soakFigures = args.soakSeconds > 0 ? await soak(off.url, clips, args.soakSeconds) : undefined;

    // A rebuild committed while the load runs (cache on: a new version also misses the cache).
    const before = on.url ? await metric(on.url, 'ayah_index_version') : NaN;
    let rebuildSeconds = 0;
    let rebuildExit: number | null = null;
    const rebuild = new Promise<void>((resolve) => {
      setTimeout(() => {
        const t0 = performance.now();
        const child = spawn(process.execPath, [path.join(REPO, 'bin', 'ayah'), 'index', 'rebuild'], { env: { ...process.env, ...quiet }, stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('exit', (code) => {
          rebuildSeconds = (performance.now() - t0) / 1000;
          rebuildExit = code;
          setTimeout(resolve, 5000);
        });
      }, 3000);
    });
    const during = await load(on.url, clips, 4, 900, 'during rebuild', '', rebuild);
    const after = await metric(on.url, 'ayah_index_version');
    log(`rebuild (exit ${rebuildExit}) in ${rebuildSeconds.toFixed(1)} s; versions answered: ${JSON.stringify(during.versions)}`);

    const report = { date: new Date().toISOString(), machine: machineInfo(), loadavg: os.loadavg(), index: { recordings: stats.recordings, hours, buildSeconds }, maxConcurrent: args.maxConcurrent, runs, shared, soak: soakFigures, rebuild: { seconds: rebuildSeconds, exit: rebuildExit, versionBefore: before, versionAfter: after, load: during } };
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(report, null, 1));
    writeSection(args.markdown, 'serve', render(report, args));
    log(`wrote ${args.markdown}`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await deleteKeysStartingWith(REDIS_URL, prefix);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

type Report = {
  date: string;
  machine: ReturnType<typeof machineInfo>;
  loadavg: number[];
  index: { recordings: number; hours: number; buildSeconds?: number };
  maxConcurrent: number;
  runs: LoadFigures[];
  shared: { clips: number; missesOnFirst: number; hitsOnOther: number; otherHitsMetric: number };
  soak?: SoakFigures;
  rebuild: { seconds: number; exit: number | null; versionBefore: number; versionAfter: number; load: LoadFigures };
};

function render(r: Report, args: Args): string {
  const rows = r.runs.map((x) => `| ${x.label} | ${x.connections} | ${x.rps} | ${x.p50} / ${x.p95} / ${x.p99} | ${x.ok} | ${x.busy} | ${x.failed} |`);
  const lines = [
    '## `ayah serve`: the recognition service, with a Redis result cache, health, metrics and a load test',
    '',
    `Written by \`npm run bench:serve\` (bench/run-serve-load.ts) on ${r.date.slice(0, 10)}: autocannon on loopback against \`ayah serve\` processes,`,
    `index of the shared corpus (akhdar + salama, ${r.index.recordings} recordings, ${r.index.hours.toFixed(2)} h), ${args.clips} different 5-second mp3 clips (64 kbit/s) sent in turn,`,
    `\`--max-concurrent ${r.maxConcurrent}\` unless said (beyond it: 503 + Retry-After, counted as "busy", deliberate), ${args.seconds} s per run. Machine: ${r.machine.cores} cores (${r.machine.cpuModel}),`,
    `Node ${r.machine.node}, load average ${r.loadavg.map((x) => x.toFixed(1)).join(' / ')} at the end (this run's own server, load generator and rebuild included; other work on the machine shows here too), and the load generator runs on the same`,
    'cores as the server: the figures are noisy and a lower bound of what the service does on a machine of its own.',
    'Latency is of 200 answers, decoding (one ffmpeg per request) included; "failed" counts every other non-2xx, connection error and timeout.',
    '',
    '| cache | connections | answers/s | p50 / p95 / p99 ms | 200 | busy (503) | failed |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    'A cached answer still costs the decoding (the key is the decoded audio, so any encoding of the same clip hits): the cache saves the search, not the ffmpeg run.',
    'At 16 connections most requests are refused at once (503) and autocannon, which does not wait the Retry-After, sends them again at once: those refusals take CPU from the',
    'admitted requests; with `--max-concurrent 16` nothing is refused but every request waits its turn for the 2 cores (latency grows instead).',
    '',
    `- Two server processes sharing one Redis: ${r.shared.clips} clips sent to the first (${r.shared.missesOnFirst} misses), then to the second: ${r.shared.hitsOnOther} / ${r.shared.clips} answered from the cache (\`cached: true\`; the second's \`ayah_cache_hits_total\` ${r.shared.otherHitsMetric}).`,
  ];
  if (r.soak) {
    const s = r.soak.samples;
    const warm = s.filter((x) => x.t >= Math.min(60, r.soak!.seconds / 5));
    const rss = warm.map((x) => x.rssMB);
    const heap = warm.map((x) => x.heapMB);
    const half = warm.slice(Math.floor(warm.length / 2));
    const slope = half.length > 1 ? ((half[half.length - 1].rssMB - half[0].rssMB) / Math.max(1, half[half.length - 1].t - half[0].t)) * 60 : 0;
    lines.push(
      `- Memory over ${Math.round(r.soak.seconds / 60)} minutes of load (cache off, 4 connections, ${r.soak.load.requests} requests, ${r.soak.load.rps} answers/s, ${r.soak.load.failed} failed): server RSS after the first minute ${Math.min(...rss)}–${Math.max(...rss)} MB (first ${rss[0]} MB, last ${rss[rss.length - 1]} MB; ${slope >= 0 ? '+' : ''}${slope.toFixed(1)} MB/min over the second half), JS heap used ${Math.min(...heap)}–${Math.max(...heap)} MB.`,
      `  Samples (s: RSS MB): ${s.map((x) => `${x.t}: ${x.rssMB}`).join(', ')}.`,
    );
  }
  const d = r.rebuild.load;
  lines.push(
    `- \`ayah index rebuild\` committed during load (cache on, 4 connections): the rebuild took ${r.rebuild.seconds.toFixed(1)} s (exit ${r.rebuild.exit}); ${d.requests} requests over ${d.seconds} s, ${d.ok} answered, ${d.busy} busy, **${d.failed} failed**; answers by index version: ${Object.entries(d.versions ?? {}).map(([v, n]) => `${v}: ${n}`).join(', ')} (\`ayah_index_version\` ${r.rebuild.versionBefore} → ${r.rebuild.versionAfter}); p50 / p95 / p99 ${d.p50} / ${d.p95} / ${d.p99} ms while the rebuild competed for the cores.`,
  );
  if (r.index.buildSeconds) lines.push(`- Building the index (\`ayah add-reciter\` of both folders) took ${r.index.buildSeconds.toFixed(0)} s.`);
  return lines.join('\n') + '\n';
}

main().catch((err) => {
  process.stderr.write(`bench:serve: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
