/**
 * The two runners of an ffmpeg run (src/fingerprint/ffmpeg-process.ts): ffmpeg started by
 * this process, and by the helper process (ffmpeg-helper.ts, ffmpeg-spawner.ts). The same
 * arguments give the same bytes on every output, the same log and the same end, on real
 * recitation from the corpus; a helper that ends fails its runs with the reason and is not
 * used again.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ffmpegReason } from '../src/fingerprint/decode.js';
import { decodeBytes } from '../src/fingerprint/decode-bytes.js';
import { ffmpegInputArgs } from '../src/fingerprint/ffmpeg-input.js';
import { FfmpegHelper } from '../src/fingerprint/ffmpeg-helper.js';
import { ffmpegPath } from '../src/fingerprint/ffmpeg-path.js';
import { ffmpegHelperReady, spawnFfmpeg, startFfmpegHelper, type FfmpegEnd, type FfmpegRun } from '../src/fingerprint/ffmpeg-process.js';
import type { FfmpegIo } from '../src/fingerprint/ffmpeg-io.js';
import { CORPUS, tempDir } from './helpers/env.js';

const SOURCES = [path.join(CORPUS, 'alafasy', '112'), path.join(CORPUS, 'alafasy', '113')].flatMap((d) => fs.readdirSync(d).sort().map((f) => path.join(d, f))).slice(0, 5);

/** Everything a run gave: each output's digest and length, its log, how it ended. */
interface Seen {
  outputs: { bytes: number; md5: string }[];
  log: string;
  end: FfmpegEnd;
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function seen(run: FfmpegRun, stdin?: Buffer, inputs: Buffer[] = []): Promise<Seen> {
  if (stdin) {
    run.stdin!.on('error', () => {});
    run.stdin!.end(stdin);
  }
  inputs.forEach((bytes, k) => run.inputs[k].end(bytes));
  const [log, ...outs] = await Promise.all([bytesOf(run.stderr), ...run.outputs.map(bytesOf)]);
  const end = await run.ended;
  return { outputs: outs.map((b) => ({ bytes: b.length, md5: createHash('md5').update(b).digest('hex') })), log: log.toString('utf8').replace(/ @ 0x[0-9a-f]+/g, ' @ 0x'), end };
}

/** Decoding `files` to 8 kHz mono float32, one output each. */
function decodeArgs(inputs: string[][]): string[] {
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error'];
  for (const i of inputs) args.push(...i);
  inputs.forEach((_, k) => args.push('-map', `${k}:a:0`, '-ac', '1', '-ar', '8000', '-f', 'f32le', `pipe:${3 + k}`));
  return args;
}

describe('ffmpeg runs: this process and the helper', () => {
  const dir = tempDir('ayah-ffrun-');
  let helper: FfmpegHelper;
  const both = async (args: string[], io: FfmpegIo, stdin?: Buffer, inputs?: Buffer[]): Promise<[Seen, Seen]> => [
    await seen(spawnFfmpeg(args, io), stdin, inputs),
    await seen(helper.run(ffmpegPath(), args, io), stdin, inputs),
  ];

  before(async () => {
    helper = new FfmpegHelper();
    await helper.started;
    assert.ok(helper.ready, 'the helper started');
  });
  after(() => {
    if (helper.pid) process.kill(helper.pid, 'SIGKILL');
  });

  it('decode several files to the same samples, with the same end', async () => {
    const [direct, helped] = await both(decodeArgs(SOURCES.map((f) => ffmpegInputArgs({ path: f }))), { pipes: SOURCES.map(() => 'out' as const) });
    assert.deepEqual(helped, direct);
    assert.deepEqual(direct.end, { code: 0, signal: null });
    assert.ok(direct.outputs.every((o) => o.bytes > 8000 * 4), 'each output holds seconds of audio');
  });

  it('feed bytes to standard input alike', async () => {
    const body = fs.readFileSync(SOURCES[0]);
    const args = ['-hide_banner', '-nostats', '-loglevel', 'error', ...ffmpegInputArgs({ pipe: 0 }), '-map', '0:a:0', '-ac', '1', '-ar', '8000', '-f', 'f32le', 'pipe:3'];
    const [direct, helped] = await both(args, { pipes: ['out'], stdin: true }, body);
    assert.deepEqual(helped, direct);
    assert.equal(direct.outputs[0].md5, (await both(decodeArgs([ffmpegInputArgs({ path: SOURCES[0] })]), { pipes: ['out'] }))[0].outputs[0].md5, 'the same samples as from the file');
  });

  it('read the pipes written to them and write the others alike (as the benchmark renderer does)', async () => {
    // Samples in on pipe:3; out on pipe:4 as they are and on pipe:5 at half the volume.
    const samples = Buffer.from(new Float32Array(8000 * 3).map((_, i) => Math.sin(i / 7) * 0.5).buffer);
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-ar', '8000', '-ac', '1', ...ffmpegInputArgs({ pipe: 3, format: 'f32le' })];
    args.push('-filter_complex', '[0:a]asplit=2[a][b];[b]volume=0.5[c]', '-map', '[a]', '-f', 'f32le', 'pipe:4', '-map', '[c]', '-f', 'f32le', 'pipe:5');
    const [direct, helped] = await both(args, { pipes: ['in', 'out', 'out'] }, undefined, [samples]);
    assert.deepEqual(helped, direct);
    assert.deepEqual(direct.end, { code: 0, signal: null });
    assert.equal(direct.outputs[0].bytes, samples.length);
    assert.equal(direct.outputs[0].md5, createHash('md5').update(samples).digest('hex'), 'the samples came back as they went in');
    assert.notEqual(direct.outputs[1].md5, direct.outputs[0].md5);
  });

  it('report a file ffmpeg cannot read alike', async () => {
    const bad = path.join(dir, 'not-audio.mp3');
    fs.writeFileSync(bad, 'this is not audio '.repeat(200));
    const [direct, helped] = await both(decodeArgs([ffmpegInputArgs({ path: bad })]), { pipes: ['out'] });
    assert.deepEqual(helped, direct);
    assert.notEqual((direct.end as { code: number }).code, 0);
    assert.equal(ffmpegReason(direct.log), 'not an audio file ffmpeg can read');
  });

  it('kill alike', async () => {
    // A decoder that waits on its standard input until it is killed.
    const args = ['-hide_banner', '-nostats', '-loglevel', 'error', ...ffmpegInputArgs({ pipe: 0, format: 's16le' }), '-ac', '1', '-f', 'f32le', 'pipe:3'];
    const ends: FfmpegEnd[] = [];
    for (const run of [spawnFfmpeg(args, { pipes: ['out'], stdin: true }), helper.run(ffmpegPath(), args, { pipes: ['out'], stdin: true })]) {
      run.stdin!.write(Buffer.alloc(16000));
      setTimeout(() => run.kill('SIGKILL'), 200);
      ends.push((await seen(run)).end);
    }
    assert.deepEqual(ends, [
      { code: null, signal: 'SIGKILL' },
      { code: null, signal: 'SIGKILL' },
    ]);
  });

  it('a helper that ends fails its runs with the reason, and is not used again', async () => {
    const other = new FfmpegHelper();
    await other.started;
    const args = ['-hide_banner', '-nostats', '-loglevel', 'error', ...ffmpegInputArgs({ pipe: 0, format: 's16le' }), '-ac', '1', '-f', 'f32le', 'pipe:3'];
    const run = other.run(ffmpegPath(), args, { pipes: ['out'], stdin: true });
    run.stdin!.write(Buffer.alloc(16000));
    setTimeout(() => process.kill(other.pid!, 'SIGKILL'), 200);
    const end = (await seen(run)).end;
    assert.ok('error' in end);
    assert.match(end.error.message, /^the ffmpeg helper process ended \((SIGKILL|its channel closed)\)$/);
    assert.equal(other.ready, false);
    // A run asked of it now ends at once, with the reason (it does not wait for a helper that is gone).
    const late = await other.run(ffmpegPath(), args, { pipes: ['out'], stdin: true }).ended;
    assert.ok('error' in late && /the ffmpeg helper process ended/.test(late.error.message));
  });

  it('decode a request body the same from this process and, once it is started, from the helper', async () => {
    const body = fs.readFileSync(SOURCES[1]);
    const before = await decodeBytes(body, 'body', { sampleRate: 8000 });
    startFfmpegHelper();
    // Runs go to the helper once it is up: wait for that (a run from this process until then).
    for (let i = 0; i < 250 && !ffmpegHelperReady(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(ffmpegHelperReady(), 'runs now go to the helper');
    const after = await decodeBytes(body, 'body', { sampleRate: 8000 });
    assert.deepEqual(after, before);
    assert.ok(after.length > 8000);
    await assert.rejects(decodeBytes(Buffer.from('not audio at all '.repeat(100)), 'body', { sampleRate: 8000 }), /^AyahError: body: not an audio file ffmpeg can read$/);
  });
});
