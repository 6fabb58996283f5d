/**
 * Issue 12, item 6: a file whose decoding fails while indexing is decoded again; one that
 * still fails is named with the real cause (how ffmpeg ended), and the others are indexed.
 * The failure is a real one: ffmpeg (through FFMPEG_PATH) is killed while it decodes the
 * file for fingerprinting, as a process can be on a loaded machine.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ffmpegPath } from '../src/fingerprint/ffmpeg-path.js';
import { ayah, folderOf, tempDir } from './helpers/env.js';

const FILES = [1, 2, 3, 4, 5].map((a) => `akhdar/11300${a}.mp3`);

/**
 * An ffmpeg that is killed (SIGKILL) when it is asked to decode 113002.mp3 at the
 * fingerprint's rate (the one decoding that validates and fingerprints it), the first
 * `times` times (counted in a file), and is the real ffmpeg otherwise.
 */
function killingFfmpeg(times: number): string {
  const dir = tempDir('ayah-ffmpeg-');
  const script = path.join(dir, 'ffmpeg');
  fs.writeFileSync(
    script,
    `#!/usr/bin/env bash
case " $* " in
  *113002.mp3*" 8000 "*)
    n=$(cat "${dir}/count" 2>/dev/null || echo 0)
    if [ "$n" -lt ${times} ]; then echo $((n + 1)) > "${dir}/count"; kill -KILL $$; fi ;;
esac
exec "${ffmpegPath()}" "$@"
`,
    { mode: 0o755 },
  );
  return script;
}

describe('decoding failures while indexing', () => {
  it('are retried: a file whose ffmpeg was killed twice is indexed on the third try', () => {
    const home = tempDir('ayah-home-');
    const r = ayah(['add-reciter', folderOf(FILES), '--name', 'Ibrahim Al-Akhdar', '--json'], { AYAH_HOME: home, FFMPEG_PATH: killingFfmpeg(2) });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { added: number; failed: unknown[] };
    assert.equal(out.added, 5);
    assert.deepEqual(out.failed, []);
  });

  it('that persist name the file and how ffmpeg ended; the other files are indexed', () => {
    const home = tempDir('ayah-home-');
    const folder = folderOf(FILES);
    const r = ayah(['add-reciter', folder, '--name', 'Ibrahim Al-Akhdar', '--json'], { AYAH_HOME: home, FFMPEG_PATH: killingFfmpeg(1000) });
    assert.equal(r.code, 3, r.stderr);
    const out = JSON.parse(r.stdout) as { added: number; failed: { relPath: string; reason: string }[] };
    assert.equal(out.added, 4);
    assert.deepEqual(out.failed.map((f) => f.relPath), ['113002.mp3']);
    assert.match(out.failed[0].reason, /ffmpeg killed by SIGKILL/);
    const answer = JSON.parse(ayah(['identify', '--json', path.join(folder, '113003.mp3')], { AYAH_HOME: home }).stdout) as { status: string; results: { ayah: number }[] };
    assert.equal(answer.status, 'match');
    assert.equal(answer.results[0].ayah, 3, 'the files that decoded are indexed');
  });
});
