/**
 * Issue 13: every bad input gets one clear line and the documented exit code. One small
 * index (4 ayahs of one reciter) shared by the file; inputs are corpus audio or files made
 * here. Faults of services, disks and signals: test/faults.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ayah, BIN, CORPUS, ffmpeg, folderOf, tempDir, type CliResult } from './helpers/env.js';

const AKHDAR = ['112001', '112002', '112003', '112004'].map((n) => `akhdar/${n}.mp3`);

/** Exit `code`, exactly one line on stderr matching `pattern`, no stack trace. */
export function assertOneLine(r: CliResult, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line expected:\n${r.stderr}`);
  assert.match(lines[0], /^ayah: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /^\s+at |panicked|internal error/m);
}

describe('bad inputs: one line, the documented exit code', () => {
  const home = tempDir('ayah-bad-home-');
  const env = { AYAH_HOME: home };
  const work = tempDir('ayah-bad-');
  const file = (name: string) => path.join(work, name);
  const corpus = (f: string) => path.join(CORPUS, f);

  before(() => {
    const r = ayah(['add-reciter', folderOf(AKHDAR), '--name', 'Ibrahim Al-Akhdar'], env);
    assert.equal(r.code, 0, r.stderr);
  });

  it('0: an HLS playlist named clip.mp3 naming a corpus file is refused, not decoded', () => {
    fs.writeFileSync(file('clip.mp3'), `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n${corpus('akhdar/112002.mp3')}\n#EXT-X-ENDLIST\n`);
    const r = ayah(['identify', '--json', file('clip.mp3')], env);
    assertOneLine(r, 3, /clip\.mp3: refused: a hls file opens other files/);
    assert.deepEqual(JSON.parse(r.stdout).results, []);
    const v = ayah(['identify', '-'], env, fs.readFileSync(file('clip.mp3')));
    assertOneLine(v, 3, /<stdin>: refused/);
  });

  it('0: an ffconcat list is refused; validate and add-reciter refuse it too', () => {
    const dir = tempDir('ayah-concat-');
    fs.writeFileSync(path.join(dir, '112002.mp3'), `ffconcat version 1.0\nfile '${corpus('akhdar/112002.mp3')}'\n`);
    assertOneLine(ayah(['identify', path.join(dir, '112002.mp3')], env), 3, /refused: a concat file opens other files/);
    const v = ayah(['validate', '--json', dir], env);
    assert.equal(v.code, 1, v.stderr);
    assert.match(JSON.stringify(JSON.parse(v.stdout).issues), /refused: a concat file/);
  });

  it('1: a file named pipe:0 or file:x.mp3 is read as that file (no hang, no "No such file")', () => {
    const cwd = tempDir('ayah-url-names-');
    fs.copyFileSync(corpus('akhdar/112002.mp3'), path.join(cwd, 'pipe:0'));
    fs.copyFileSync(corpus('akhdar/112003.mp3'), path.join(cwd, 'file:x.mp3'));
    const r = spawnSyncIn(cwd, ['identify', '--json', 'pipe:0', 'file:x.mp3'], env);
    assert.equal(r.code, 0, r.stderr);
    const answers = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(answers.map((a) => `${a.results[0].surah}:${a.results[0].ayah}`), ['112:2', '112:3']);
  });

  it('2: a folder with two symlinks to itself is validated once, the links listed and skipped', () => {
    const dir = folderOf(AKHDAR.slice(0, 2));
    fs.symlinkSync('.', path.join(dir, 'a'));
    fs.symlinkSync('.', path.join(dir, 'b'));
    const r = ayah(['validate', '--json', dir], env);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.counts.sources, 2);
    const loops = report.issues.filter((i: { reason: string }) => /symlink .*loop/.test(i.reason));
    assert.deepEqual(loops.map((i: { file: string }) => i.file).sort(), ['a', 'b']);
  });

  it('7: a closed stdout ends identify quietly (no EPIPE trace)', async () => {
    const inputs = Array.from({ length: 24 }, () => corpus('akhdar/112002.mp3'));
    const child = spawn(process.execPath, [BIN, 'identify', ...inputs], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('8: a huge timing file is refused in one line before it is read', () => {
    const dir = tempDir('ayah-timed-');
    fs.mkdirSync(path.join(dir, 'audio'));
    fs.mkdirSync(path.join(dir, 'alignments'));
    ffmpeg(['-i', corpus('akhdar/112001.mp3'), path.join(dir, 'audio', '112.mp3')]);
    const big = path.join(dir, 'alignments', '112.json');
    fs.writeFileSync(big, '{"segments":[');
    fs.truncateSync(big, 600 * 1024 * 1024); // sparse: 600 MB on paper, nothing on disk
    const r = ayah(['validate', '--json', '--layout', 'surah-timed', dir], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /112\.json is unusable: \d+ MB; a timing file may have at most 16 MB/);
  });

  it('9: FIFOs, /dev/stdin and <(...) are read as streams', () => {
    const fifo = file('clip.fifo');
    fs.rmSync(fifo, { force: true });
    const mk = spawnSyncIn(work, [], env, `mkfifo ${fifo}`);
    assert.equal(mk.code, 0, mk.stderr);
    const cmd = `cat ${corpus('akhdar/112003.mp3')} > ${fifo} & ${BIN} identify --json ${fifo} /dev/stdin <(cat ${corpus('akhdar/112004.mp3')}) < ${corpus('akhdar/112002.mp3')}`;
    const r = spawnSyncIn(work, [], env, cmd);
    assert.equal(r.code, 0, r.stderr);
    const refs = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((a) => `${a.results[0]?.surah}:${a.results[0]?.ayah}`);
    assert.deepEqual(refs, ['112:3', '112:2', '112:4']);
  });

  it('10: a name too long or with a newline is refused; a file name with a newline is escaped', () => {
    const dir = folderOf(AKHDAR.slice(0, 1));
    assertOneLine(ayah(['add-reciter', dir, '--name', 'x'.repeat(100_000)], env), 2, /--name: 100000 characters; at most 200/);
    assertOneLine(ayah(['add-reciter', dir, '--name', 'a\nb'], env), 2, /--name: "a\\nb" has control characters/);
    const odd = file('bad\nname.mp3');
    fs.writeFileSync(odd, 'not audio');
    assertOneLine(ayah(['identify', odd], env), 3, /bad\\nname\.mp3: not an audio file/);
  });

  it('10: a timing file that is a symlink to /etc/passwd: the reason, never the content', () => {
    const dir = tempDir('ayah-passwd-');
    fs.mkdirSync(path.join(dir, 'audio'));
    fs.mkdirSync(path.join(dir, 'alignments'));
    ffmpeg(['-i', corpus('akhdar/112001.mp3'), path.join(dir, 'audio', '112.mp3')]);
    fs.symlinkSync('/etc/passwd', path.join(dir, 'alignments', '112.json'));
    const r = ayah(['validate', '--layout', 'surah-timed', dir], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /112\.json is unusable: not a readable JSON timing file \(invalid JSON\)/);
    assert.doesNotMatch(r.stdout + r.stderr, /root:/);
  });

  it('11: usage errors are one line "ayah: <option>: <reason>", exit 2', () => {
    assertOneLine(ayah(['identify', corpus('akhdar/112002.mp3'), '--top', '0'], env), 2, /^ayah: --top: "0" is invalid/);
    assertOneLine(ayah(['identify', corpus('akhdar/112002.mp3'), '--bogus'], env), 2, /^ayah: --bogus: unknown option/);
    assertOneLine(ayah(['identify', corpus('akhdar/112002.mp3')], { ...env, LOG_LEVEL: 'bogus' }), 2, /LOG_LEVEL\): unknown level "bogus"/);
    assertOneLine(ayah(['validate', corpus('akhdar/112002.mp3')], env), 3, /112002\.mp3: not a directory/);
    assertOneLine(ayah(['add-reciter', corpus('akhdar/112002.mp3'), '--name', 'X'], env), 3, /112002\.mp3: not a directory/);
  });

  it('11: an unknown --reciter or --riwayah is a usage error listing the known values; names are id or exact name', () => {
    const clip = corpus('akhdar/112002.mp3');
    assertOneLine(ayah(['identify', clip, '--reciter', 'nobody'], env), 2, /--reciter: no reciter "nobody"; known: ibrahim-al-akhdar/);
    assertOneLine(ayah(['identify', clip, '--riwayah', 'bogus'], env), 2, /--riwayah: .*"bogus"; known: hafs/);
    assertOneLine(ayah(['identify', clip, '--reciter', 'akhdar'], env), 2, /no reciter "akhdar"/);
    const ok = ayah(['identify', '--json', clip, '--reciter', 'IBRAHIM AL-AKHDAR', '--riwayah', 'Hafs'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).status, 'match');
    assertOneLine(ayah(['reciters', 'show', 'nobody'], env), 2, /no reciter "nobody"; known: ibrahim-al-akhdar/);
  });

  it('11: apache-arrow, which the code imports, is declared', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(BIN, '..', '..', 'package.json'), 'utf8'));
    assert.ok(pkg.dependencies['apache-arrow'], 'apache-arrow in dependencies');
  });
});

/** Runs `ayah ARGS` in `cwd`, or with `bash` a bash command line. */
function spawnSyncIn(cwd: string, args: string[], env: Record<string, string>, bash?: string): CliResult {
  const opts = { cwd, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 60_000 };
  const r = bash ? spawnSync('bash', ['-c', bash], opts) : spawnSync(process.execPath, [BIN, ...args], opts);
  return { code: r.status ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}
