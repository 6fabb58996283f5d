/**
 * add-reciter validates every file it indexes: a folder with errors is refused whole
 * (nothing indexed), unless --skip-invalid, which indexes the valid files and lists the
 * others. Each file is decoded once: the fingerprint jobs measure what validation needs
 * from the samples they fingerprint, and the build's merge gives the verdict.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ffmpegPath } from '../src/fingerprint/ffmpeg-path.js';
import { indexExists } from '../src/index/api.js';
import { ayah, CORPUS, folderOf, tempDir } from './helpers/env.js';

/** An ffmpeg that writes each command line to `log`, then runs the real one. */
function loggingFfmpeg(log: string): string {
  const script = path.join(tempDir('ayah-ffmpeg-'), 'ffmpeg');
  fs.writeFileSync(script, `#!/usr/bin/env bash\necho "$*" >> "${log}"\nexec "${ffmpegPath()}" "$@"\n`, { mode: 0o755 });
  return script;
}

describe('add-reciter validation', () => {
  const dir = folderOf(['akhdar/112001.mp3', 'akhdar/112002.mp3', 'akhdar/112003.mp3']);
  fs.writeFileSync(path.join(dir, '112004.mp3'), fs.readFileSync(path.join(CORPUS, 'akhdar/112004.mp3')).subarray(0, 1500));
  fs.writeFileSync(path.join(dir, '113001.mp3'), 'not audio at all\n');
  const home = tempDir('ayah-home-');

  it('refuses a folder with errors and indexes nothing', () => {
    const r = ayah(['add-reciter', dir, '--name', 'Test Reciter'], { AYAH_HOME: home });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /113001\.mp3/);
    assert.match(r.stderr, /^ayah: .*validation found \d+ errors?; nothing was indexed/);
    assert.ok(!indexExists(path.join(home, 'index')), 'no index written');
    assert.ok(!fs.existsSync(path.join(home, 'index')), 'no index folder left behind');
  });

  it('prints the whole report as JSON when it refuses: every file measured, each error with its file', () => {
    const r = ayah(['add-reciter', dir, '--name', 'Test Reciter', '--json'], { AYAH_HOME: home });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { ok: boolean; files: { relPath: string; audio: { durationS: number } | null }[]; issues: { severity: string; file: string; check: string }[] };
    assert.equal(report.ok, false);
    assert.deepEqual(report.files.map((f) => f.relPath), ['112001.mp3', '112002.mp3', '112003.mp3', '112004.mp3', '113001.mp3']);
    assert.ok(report.files[0].audio!.durationS > 1, 'a valid file is measured');
    assert.equal(report.files[4].audio, null, 'the text file could not be decoded');
    const errors = new Set(report.issues.filter((i) => i.severity === 'error').map((i) => `${i.file} ${i.check}`));
    assert.ok(errors.has('112004.mp3 decode') && errors.has('113001.mp3 decode'), [...errors].join(', '));
    const validated = JSON.parse(ayah(['validate', dir, '--json']).stdout) as typeof report;
    assert.deepEqual(report.issues, validated.issues, 'the same issues as `ayah validate`');
    assert.ok(!indexExists(path.join(home, 'index')), 'no index written');
  });

  it('with --skip-invalid indexes the valid files and lists the invalid ones', () => {
    const r = ayah(['add-reciter', dir, '--name', 'Test Reciter', '--skip-invalid', '--json'], { AYAH_HOME: home });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.added, 3);
    assert.deepEqual(j.invalid.map((x: { relPath: string }) => x.relPath).sort(), ['112004.mp3', '113001.mp3']);
  });
});

describe('add-reciter decodes each file once', () => {
  it('validates and fingerprints every file from one ffmpeg decoding', () => {
    const files = [1, 2, 3, 4, 5].map((a) => `akhdar/11300${a}.mp3`);
    const dir = folderOf(files);
    const log = path.join(tempDir('ayah-log-'), 'calls');
    const r = ayah(['add-reciter', dir, '--name', 'Once', '--json'], { AYAH_HOME: tempDir('ayah-home-'), FFMPEG_PATH: loggingFfmpeg(log) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).added, 5);
    const calls = fs.readFileSync(log, 'utf8');
    for (const f of files) {
      const name = path.basename(f);
      assert.equal(calls.split(name).length - 1, 1, `${name} decoded once:\n${calls}`);
    }
  });
});
