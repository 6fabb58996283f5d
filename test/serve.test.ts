/**
 * `ayah serve` end to end: real server processes on loopback over a small index of real
 * recitation (the shipped sample), the shared Redis under a key prefix of this file's own
 * (deleted after), a Redis port where nothing listens for readyz, and SIGTERM draining.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { ayah, ffmpeg, REPO, tempDir } from './helpers/env.js';
import { cleanRedis, REDIS_URL, runAyah, testPrefix, waitFor } from './helpers/services.js';
import { deadPort, startServe, type ServeProcess } from './helpers/serve.js';

const SAMPLES = path.join(REPO, 'data', 'samples');

function sampleFolder(reciter: string, names: string[]): string {
  const dir = tempDir(`ayah-serve-${reciter}-`);
  for (const n of names) fs.copyFileSync(path.join(SAMPLES, reciter, `${n}.mp3`), path.join(dir, `${n}.mp3`));
  return dir;
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, any>;
}

async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* metrics are text */
  }
  return { status: res.status, headers: res.headers, text, json };
}

const post = (base: string, body: BodyInit | undefined, query = '', headers: Record<string, string> = {}) =>
  call(`${base}/v1/identify${query}`, { method: 'POST', body, headers });

/** A 4xx answer: the status, one line of JSON with an error matching `pattern`. */
function assertRefused(r: Reply, status: number, pattern: RegExp): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.text.includes('\n'), false, 'one line');
  assert.match(r.json.error, pattern);
}

describe('ayah serve', () => {
  const home = tempDir('ayah-serve-home-');
  const clips = tempDir('ayah-serve-clips-');
  const clip = (name: string) => path.join(clips, name);
  const bytes = (name: string) => fs.readFileSync(clip(name));
  const prefix = `${testPrefix()}:`;
  let a: ServeProcess;
  let b: ServeProcess;
  let down: ServeProcess;
  let downPort = 0;

  before(async () => {
    const add = ayah(['add-reciter', sampleFolder('akhdar', ['112001', '112002', '112003', '112004', '113001', '113002', '113003']), '--name', 'Ibrahim Al-Akhdar', '--riwayah', 'hafs'], { AYAH_HOME: home });
    assert.equal(add.code, 0, add.stderr);
    ffmpeg(['-ss', '0.3', '-t', '4', '-i', path.join(SAMPLES, 'akhdar', '113003.mp3'), clip('a.wav')]);
    ffmpeg(['-ss', '0.3', '-t', '4', '-i', path.join(SAMPLES, 'akhdar', '112002.mp3'), '-b:a', '32k', clip('b.mp3')]);
    ffmpeg(['-ss', '0.3', '-t', '4', '-i', path.join(SAMPLES, 'salama', '114002.mp3'), clip('salama.wav')]);
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=25', '-b:a', '32k', clip('long.mp3')]);
    ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '3', clip('silent.wav')]);
    fs.writeFileSync(clip('text.mp3'), 'this is not audio\n');
    downPort = await deadPort();
    const limits = ['--max-body-bytes', '300000', '--max-audio-seconds', '20', '--reload-ms', '200'];
    const shared = { AYAH_HOME: home, REDIS_URL, AYAH_CACHE_PREFIX: prefix };
    [a, b, down] = await Promise.all([
      startServe(shared, [...limits, '--max-concurrent', '1']),
      startServe(shared, limits),
      startServe({ AYAH_HOME: home, REDIS_URL: `redis://127.0.0.1:${downPort}`, DATABASE_URL: `postgres://postgres@127.0.0.1:${downPort}/ayah` }, ['--timeout-ms', '1']),
    ]);
  });

  after(async () => {
    await Promise.all([a, b, down].map((s) => s?.stop()));
    await cleanRedis(prefix.slice(0, -1));
  });

  it('identifies a body and a multipart file, with the fields of identify --json', async () => {
    const r = await post(a.url, bytes('a.wav'), '?top=2');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'match');
    assert.deepEqual([r.json.results[0].surah, r.json.results[0].ayah, r.json.results[0].reciter_id], [113, 3, 'ibrahim-al-akhdar']);
    const cli = JSON.parse(ayah(['identify', '--json', '--top', '2', clip('a.wav')], { AYAH_HOME: home }).stdout);
    assert.deepEqual(Object.keys(r.json).filter((k) => k !== 'index_version' && k !== 'cached'), Object.keys(cli));
    assert.deepEqual(r.json.results, cli.results);

    const form = new FormData();
    form.append('audio', new Blob([bytes('b.mp3')]), 'b.mp3');
    const m = await post(a.url, form);
    assert.equal(m.status, 200, m.text);
    assert.equal(m.json.input, 'b.mp3');
    assert.deepEqual([m.json.results[0].surah, m.json.results[0].ayah], [112, 2]);
  });

  it('a repeated clip is answered from Redis, by the other server process too', async () => {
    const first = await post(a.url, bytes('b.mp3'), '?min_confidence=0.6');
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.cached, false);
    const again = await post(b.url, bytes('b.mp3'), '?min_confidence=0.6');
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.cached, true);
    assert.deepEqual(again.json.results, first.json.results);
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${prefix}recognition:*`);
      assert.ok(keys.length >= 1, 'keys under recognition:');
      const ttl = await redis.ttl(keys[0]);
      assert.ok(ttl > 250 && ttl <= 300, `ttl ${ttl}`);
    } finally {
      redis.disconnect();
    }
    // Other options are another key.
    assert.equal((await post(b.url, bytes('b.mp3'), '?min_confidence=0.7')).json.cached, false);
  });

  it('answers every bad request with a 4xx and one line of JSON', async () => {
    assertRefused(await post(a.url, undefined), 400, /^empty body/);
    assertRefused(await post(a.url, new Uint8Array(0), '', { 'content-type': 'audio/mpeg' }), 400, /^empty body/);
    assertRefused(await post(a.url, bytes('text.mp3')), 422, /not an audio file/);
    assertRefused(await post(a.url, JSON.stringify({ audio: 'x' }), '', { 'content-type': 'application/json' }), 422, /not an audio file/);
    assertRefused(await post(a.url, bytes('silent.wav')), 422, /silent/);
    assertRefused(await post(a.url, Buffer.alloc(400_000, 7)), 413, /body too large \(at most 300000 bytes\)/);
    const big = new FormData();
    big.append('audio', new Blob([Buffer.alloc(400_000, 7)]), 'big.mp3');
    assert.equal((await post(a.url, big)).status, 413);
    assertRefused(await post(a.url, bytes('long.mp3')), 413, /audio too long \(more than 20 s/);
    assertRefused(await post(a.url, bytes('a.wav'), '?reciter=nobody'), 400, /reciter: no reciter "nobody"; known: /);
    assertRefused(await post(a.url, bytes('a.wav'), '?riwayah=warsh'), 400, /riwayah: no reciter of the index has "warsh"; known: hafs/);
    assertRefused(await post(a.url, bytes('a.wav'), '?top=0'), 400, /^top must be/);
    assertRefused(await post(a.url, bytes('a.wav'), '?min_confidence=2'), 400, /^min_confidence must be/);
    assertRefused(await post(a.url, bytes('a.wav'), '?colour=red'), 400, /unknown parameter "colour"/);
    assertRefused(await call(`${a.url}/v1/ayahs/115/1`), 400, /^surah must be/);
    assertRefused(await call(`${a.url}/v1/ayahs/2/300`), 404, /no ayah 2:300/);
    assertRefused(await call(`${a.url}/nowhere`), 404, /no route/);
  });

  it('beyond --max-concurrent: 503 with Retry-After, at once, never a queue', async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => post(a.url, bytes('a.wav'), `?top=${i + 1}`)));
    const statuses = replies.map((r) => r.status).sort();
    assert.ok(statuses.every((s) => s === 200 || s === 503), String(statuses));
    const busy = replies.filter((r) => r.status === 503);
    assert.ok(busy.length >= 1 && busy.length < 6, String(statuses));
    assert.equal(busy[0].headers.get('retry-after'), '1');
    assert.match(busy[0].json.error, /^busy: 1 identifications already running/);
  });

  it('a client that leaves mid-upload costs nothing further', async () => {
    const before = await call(`${a.url}/metrics`);
    const u = new URL(a.url);
    await new Promise<void>((resolve) => {
      const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: '/v1/identify', headers: { 'content-length': '100000' } });
      req.on('error', () => resolve());
      req.write(bytes('a.wav').subarray(0, 20_000), () => setTimeout(() => (req.destroy(), resolve()), 100));
    });
    await new Promise((r) => setTimeout(r, 200));
    const metrics = (await call(`${a.url}/metrics`)).text;
    const count = (t: string) => (t.match(/^ayah_recognitions_total\{[^}]*\} (\d+)/gm) ?? []).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
    assert.equal(count(metrics), count(before.text));
    assert.match(metrics, /^ayah_identifications_in_flight 0$/m);
  });

  it('ayahs: text, names and the reciters that have it', async () => {
    const r = await call(`${a.url}/v1/ayahs/113/3`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.surah_name_en, 'The Daybreak');
    assert.ok(r.json.text.length > 10);
    assert.deepEqual(r.json.reciters.map((x: { id: string }) => x.id), ['ibrahim-al-akhdar']);
    assert.deepEqual((await call(`${a.url}/v1/ayahs/2/1`)).json.reciters, []);
  });

  it('an identification beyond --timeout-ms: 503 with Retry-After, its ffmpeg killed', async () => {
    const r = await post(down.url, bytes('a.wav'));
    assertRefused(r, 503, /^identification timed out after 1 ms/);
    assert.equal(r.headers.get('retry-after'), '1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.match((await call(`${down.url}/metrics`)).text, /^ayah_identifications_in_flight 0$/m);
    // The server's ffmpeg runs are started by its helper process (fingerprint/ffmpeg-process.ts): none left below either.
    assert.deepEqual(ffmpegBelow(down.child.pid!), [], 'no ffmpeg left running');
  });

  it('healthz, readyz and metrics; readyz with Redis or PostgreSQL down says so', async () => {
    assert.deepEqual((await call(`${a.url}/healthz`)).json, { status: 'ok' });
    const ready = await call(`${a.url}/readyz`);
    assert.equal(ready.status, 200, ready.text);
    assert.equal(ready.json.checks.redis.ok, true);

    const notReady = await call(`${down.url}/readyz`);
    assert.equal(notReady.status, 503, notReady.text);
    assert.equal(notReady.json.ready, false);
    assert.match(notReady.json.reason, new RegExp(`^redis: Redis at 127\\.0\\.0\\.1:${downPort} is unreachable: .*ECONNREFUSED`));
    assert.equal(notReady.json.checks.catalog.ok, false);
    assert.match(notReady.json.checks.catalog.detail, new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${downPort} is unreachable`));
    assert.equal((await call(`${down.url}/healthz`)).status, 200);

    const metrics = await call(`${a.url}/metrics`);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    for (const name of [
      'ayah_http_request_duration_seconds_bucket{',
      'ayah_recognitions_total{status="match"}',
      'ayah_recognitions_total{status="bad_request"}',
      'ayah_recognitions_total{status="rejected"}',
      'ayah_cache_hits_total',
      'ayah_cache_misses_total',
      'ayah_index_version 1',
      'ayah_index_recordings 7',
      'ayah_index_hours',
      'ayah_identifications_in_flight 0',
      'process_resident_memory_bytes',
    ])
      assert.ok(metrics.text.includes(name), name);
    assert.match((await call(`${b.url}/metrics`)).text, /^ayah_cache_hits_total [1-9]/m);
    assert.match(a.stderr(), /"method":"POST","url":"\/v1\/identify\?top=2","status":200,"ms":[\d.]+,"msg":"request"/);
  });

  it('a short load (autocannon, 2 s, 2 connections): no errors, only 200s', async () => {
    const result = await autocannon({ url: `${b.url}/v1/identify`, method: 'POST', body: bytes('a.wav'), connections: 2, duration: 2 });
    assert.equal(result.errors, 0);
    assert.equal(result.non2xx, 0);
    assert.ok(result.requests.total >= 2, `${result.requests.total} requests`);
  });

  it('switches to a new index version committed while it runs', async () => {
    const add = await runAyah(['add-reciter', sampleFolder('salama', ['114001', '114002']), '--name', 'Yasser Salama', '--riwayah', 'hafs'], { AYAH_HOME: home });
    assert.equal(add.code, 0, add.stderr);
    const r = await waitFor('the new version', async () => {
      const x = await post(a.url, bytes('salama.wav'));
      return x.json.index_version !== '0.1' && x;
    }, 20_000, 200);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.results[0].surah, r.json.results[0].ayah, r.json.results[0].reciter_id], [114, 2, 'yasser-salama']);
    assert.match((await call(`${a.url}/metrics`)).text, /^ayah_index_version 2$/m);
    assert.match(a.stderr(), /index version swapped in/);
  });

  it('SIGTERM: stops accepting, finishes the request in flight, exits 0', async () => {
    const u = new URL(b.url);
    const body = bytes('a.wav');
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: '/v1/identify?top=3', headers: { 'content-length': String(body.length) } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      // Half the body, then SIGTERM, then the rest: the request is in flight when draining starts.
      req.write(body.subarray(0, body.length / 2), () => {
        b.child.kill('SIGTERM');
        setTimeout(() => {
          fetch(`${b.url}/healthz`).then(
            () => reject(new Error('a new connection was accepted while draining')),
            () => req.end(body.subarray(body.length / 2)),
          );
        }, 300);
      });
    });
    const r = await answer;
    assert.equal(r.status, 200, r.text);
    assert.equal(JSON.parse(r.text).results[0].surah, 113);
    assert.equal(await b.exited, 0);
    assert.match(b.stderr(), /draining/);
  });
});

/** The ffmpeg processes among the descendants of process `pid`. */
function ffmpegBelow(pid: number): number[] {
  const children = spawnSync('pgrep', ['-P', String(pid)]).stdout.toString().split('\n').filter(Boolean).map(Number);
  return children.flatMap((c) => [...(spawnSync('ps', ['-o', 'comm=', '-p', String(c)]).stdout.toString().trim() === 'ffmpeg' ? [c] : []), ...ffmpegBelow(c)]);
}
