/**
 * add-reciter validates first: a folder with errors is refused whole (nothing indexed),
 * unless --skip-invalid, which indexes the valid files and lists the others.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { indexExists } from '../src/index/api.js';
import { ayah, CORPUS, folderOf, tempDir } from './helpers/env.js';

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
  });

  it('with --skip-invalid indexes the valid files and lists the invalid ones', () => {
    const r = ayah(['add-reciter', dir, '--name', 'Test Reciter', '--skip-invalid', '--json'], { AYAH_HOME: home });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.added, 3);
    assert.deepEqual(j.invalid.map((x: { relPath: string }) => x.relPath).sort(), ['112004.mp3', '113001.mp3']);
  });
});
