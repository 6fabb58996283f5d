import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { AyahError } from '../src/errors.js';
import { scanReciterFolder } from '../src/pipeline/layout.js';
import { readTimingFile } from '../src/pipeline/layout/timing-file.js';
import { ayahCount } from '../src/quran/quran.js';
import type { RecordingSource } from '../src/types.js';

const CORPUS = '/work/shared/corpus';
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ayah-layout-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** Builds a folder in the temp dir: relPath → corpus file to copy, or text content. */
function fixture(name: string, files: Record<string, { copy: string } | { text: string }>): string {
  const dir = path.join(tmpRoot, name);
  for (const [rel, content] of Object.entries(files)) {
    const dest = path.join(dir, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if ('copy' in content) fs.copyFileSync(path.join(CORPUS, content.copy), dest);
    else fs.writeFileSync(dest, content.text);
  }
  return dir;
}

const refOf = (s: RecordingSource) => `${s.ref.surah}:${s.ref.ayah}`;
const countKinds = (sources: RecordingSource[]) => {
  const kinds: Record<string, number> = {};
  for (const s of sources) kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
  return kinds;
};

function assertSorted(sources: RecordingSource[]): void {
  for (let i = 1; i < sources.length; i++) {
    const a = sources[i - 1].ref;
    const b = sources[i].ref;
    assert.ok(a.surah < b.surah || (a.surah === b.surah && a.ayah <= b.ayah), `${refOf(sources[i - 1])} before ${refOf(sources[i])}`);
  }
}

test('akhdar: flat, 571 ayah files, sorted, one timeline entry each', async () => {
  const dir = `${CORPUS}/akhdar`;
  const scan = await scanReciterFolder(dir);
  assert.equal(scan.layout, 'flat');
  assert.equal(scan.sources.length, 571);
  assert.deepEqual(countKinds(scan.sources), { ayah: 571 });
  assert.deepEqual(scan.unmatched, []);
  assertSorted(scan.sources);
  assert.equal(refOf(scan.sources[0]), '1:1');
  assert.equal(refOf(scan.sources[7]), '78:1');
  assert.equal(refOf(scan.sources[570]), '114:6');
  const s = scan.sources.find((x) => x.relPath === '112001.mp3');
  assert.deepEqual(s, {
    path: path.join(dir, '112001.mp3'),
    relPath: '112001.mp3',
    ref: { surah: 112, ayah: 1 },
    kind: 'ayah',
    timeline: [{ surah: 112, ayah: 1, start: 0, end: 0 }],
  });
});

test('alafasy: folders, 79 ayahs and 14 basmala files with no timeline', async () => {
  const scan = await scanReciterFolder(`${CORPUS}/alafasy`);
  assert.equal(scan.layout, 'folders');
  assert.deepEqual(countKinds(scan.sources), { ayah: 79, basmala: 14 });
  assert.deepEqual(scan.unmatched, []);
  assertSorted(scan.sources);
  const basmala = scan.sources.find((s) => s.relPath === '112/0.mp3');
  assert.equal(basmala?.kind, 'basmala');
  assert.deepEqual(basmala?.ref, { surah: 112, ayah: 0 });
  assert.deepEqual(basmala?.timeline, []);
  assert.deepEqual(scan.sources.find((s) => s.relPath === '112/4.mp3')?.timeline, [{ surah: 112, ayah: 4, start: 0, end: 0 }]);
});

test('hudhaifi: flat, 001000 is the isti\'adha, not an ayah', async () => {
  const scan = await scanReciterFolder(`${CORPUS}/hudhaifi`);
  assert.equal(scan.layout, 'flat');
  assert.deepEqual(countKinds(scan.sources), { istiadha: 1, ayah: 12 });
  assert.equal(scan.sources[0].relPath, '001000.mp3');
  assert.equal(scan.sources[0].kind, 'istiadha');
  assert.deepEqual(scan.sources[0].timeline, []);
  assert.deepEqual(scan.sources.slice(1).map(refOf), ['1:1', '1:2', '1:3', '1:4', '1:5', '1:6', '1:7', '2:1', '2:2', '2:3', '2:4', '2:5']);
});

test('basit-warsh: surah-timed, 35 surahs with every ayah, split ayahs joined', async () => {
  const dir = `${CORPUS}/basit-warsh`;
  const scan = await scanReciterFolder(dir);
  assert.equal(scan.layout, 'surah-timed');
  assert.equal(scan.sources.length, 35);
  assert.deepEqual(scan.unmatched, []);
  assertSorted(scan.sources);
  for (const s of scan.sources) {
    assert.equal(s.kind, 'surah');
    assert.equal(s.timingPath, path.join(dir, 'alignments', path.basename(s.relPath, '.mp3') + '.json'));
    assert.equal(s.timeline.length, ayahCount(s.ref.surah), s.relPath);
    assert.deepEqual(
      s.timeline.map((e) => e.ayah),
      Array.from({ length: ayahCount(s.ref.surah) }, (_, i) => i + 1),
    );
    for (let i = 1; i < s.timeline.length; i++) assert.ok(s.timeline[i - 1].end <= s.timeline[i].start, `${s.relPath} entry ${i}`);
  }
  const fatiha = scan.sources[0];
  assert.equal(fatiha.relPath, 'audio/001.mp3');
  // 001.json writes 1:1 as a "Basmala" segment (7.6–11.76 s), after the isti'adha.
  assert.deepEqual(fatiha.timeline[0], { surah: 1, ayah: 1, start: 7.6, end: 11.76 });
  const bayyinah = scan.sources.find((s) => s.ref.surah === 98)!;
  // 98:5 is two segments (50.91–70.665, 71.725–74.945); 98:8 is three.
  assert.deepEqual(bayyinah.timeline[4], { surah: 98, ayah: 5, start: 50.91, end: 74.945 });
  assert.deepEqual(bayyinah.timeline[7], { surah: 98, ayah: 8, start: 115.855, end: 144.425 });
});

test('flat fixture: every file that is not an ayah is listed with its reason', async () => {
  const dir = fixture('flat', {
    '001000.mp3': { copy: 'hudhaifi/001000.mp3' },
    '001001.mp3': { copy: 'akhdar/001001.mp3' },
    '001001.wav': { copy: 'akhdar/001002.mp3' },
    '001002.MP3': { copy: 'akhdar/001002.mp3' },
    '112001.ogg': { copy: 'akhdar/112001.mp3' },
    '003201.mp3': { copy: 'akhdar/001003.mp3' },
    '115001.mp3': { copy: 'akhdar/001004.mp3' },
    'fatiha.mp3': { copy: 'akhdar/001005.mp3' },
    'README.txt': { text: 'notes' },
    'sub/001003.mp3': { copy: 'akhdar/001003.mp3' },
  });
  const scan = await scanReciterFolder(dir);
  assert.equal(scan.layout, 'flat');
  assert.deepEqual(
    scan.sources.map((s) => [s.relPath, s.kind, refOf(s)]),
    [
      ['001000.mp3', 'istiadha', '1:0'],
      ['001001.mp3', 'ayah', '1:1'],
      ['001002.MP3', 'ayah', '1:2'],
      ['112001.ogg', 'ayah', '112:1'],
    ],
  );
  assert.deepEqual(scan.unmatched, [
    { relPath: '001001.wav', reason: 'ayah 1:1 is already 001001.mp3' },
    { relPath: '003201.mp3', reason: 'no such ayah 3:201' },
    { relPath: '115001.mp3', reason: 'no such surah 115' },
    { relPath: 'README.txt', reason: 'not an audio file' },
    { relPath: 'fatiha.mp3', reason: 'name is not SSSAAA (3-digit surah and ayah numbers, e.g. 002255.mp3)' },
    { relPath: 'sub/001003.mp3', reason: 'in a subfolder (flat layout: SSSAAA files at the top of the folder)' },
  ]);
});

test('folders fixture: S/0 is the basmala; bad names and ayahs are listed', async () => {
  const dir = fixture('folders', {
    '1/0.mp3': { copy: 'alafasy/112/0.mp3' },
    '1/1.mp3': { copy: 'akhdar/001001.mp3' },
    '112/1.mp3': { copy: 'alafasy/112/1.mp3' },
    '112/2.mp3': { copy: 'alafasy/112/2.mp3' },
    '3/201.mp3': { copy: 'alafasy/112/3.mp3' },
    '112/intro.mp3': { copy: 'alafasy/112/4.mp3' },
    'notes.md': { text: '# notes' },
  });
  const scan = await scanReciterFolder(dir);
  assert.equal(scan.layout, 'folders');
  assert.deepEqual(
    scan.sources.map((s) => [s.relPath, s.kind, s.timeline.length]),
    [
      ['1/0.mp3', 'basmala', 0],
      ['1/1.mp3', 'ayah', 1],
      ['112/1.mp3', 'ayah', 1],
      ['112/2.mp3', 'ayah', 1],
    ],
  );
  assert.deepEqual(scan.unmatched, [
    { relPath: '112/intro.mp3', reason: 'not in the form S/A (surah folder, ayah number file, e.g. 2/255.mp3)' },
    { relPath: '3/201.mp3', reason: 'no such ayah 3:201' },
    { relPath: 'notes.md', reason: 'not an audio file' },
  ]);
});

test('surah-timed fixture: basmala of surah 1 written as words, missing and invalid timing files', async () => {
  const segment = (from: number, to: number, refFrom: string, refTo = refFrom) => ({ time_from: from, time_to: to, ref_from: refFrom, ref_to: refTo });
  const dir = fixture('timed', {
    'audio/001.mp3': { copy: 'basit-warsh/audio/001.mp3' },
    'alignments/001.json': {
      text: JSON.stringify({
        segments: [
          segment(0.5, 1.5, "Isti'adha"),
          segment(2, 3, '1:1:1', '1:1:4'),
          segment(4, 5, '1:2:1', '1:2:2'),
          segment(5.5, 6, '1:2:3', '1:2:4'),
          segment(7, 8, '1:3:1', '1:3:2'),
        ],
      }),
    },
    'audio/112.mp3': { copy: 'basit-warsh/audio/112.mp3' },
    'audio/114.mp3': { copy: 'basit-warsh/audio/114.mp3' },
    'alignments/114.json': { text: JSON.stringify({ segments: [segment(1, 2, '114:1:1', '114:1:4'), segment(3, 4, '114:7:1', '114:7:2')] }) },
    'alignments/113.json': { copy: 'basit-warsh/alignments/113.json' },
    'audio/cover.jpg': { text: 'jpeg' },
  });
  const scan = await scanReciterFolder(dir);
  assert.equal(scan.layout, 'surah-timed');
  assert.equal(scan.sources.length, 1);
  assert.deepEqual(scan.sources[0].timeline, [
    { surah: 1, ayah: 1, start: 2, end: 3 },
    { surah: 1, ayah: 2, start: 4, end: 6 },
    { surah: 1, ayah: 3, start: 7, end: 8 },
  ]);
  assert.equal(scan.sources[0].timingPath, path.join(dir, 'alignments/001.json'));
  assert.deepEqual(scan.unmatched, [
    { relPath: 'alignments/113.json', reason: 'timing file without its audio audio/113.<ext>', about: 'timing' },
    { relPath: 'audio/112.mp3', reason: 'no timing file alignments/112.json', about: 'timing' },
    { relPath: 'audio/114.mp3', reason: 'timing file alignments/114.json is invalid: segment 2: no such ayah 114:7', about: 'timing' },
    { relPath: 'audio/cover.jpg', reason: 'not an audio file' },
  ]);
});

test('a forced layout is used even when another fits better', async () => {
  const scan = await scanReciterFolder(`${CORPUS}/hudhaifi`, 'folders');
  assert.equal(scan.layout, 'folders');
  assert.equal(scan.sources.length, 0);
  assert.equal(scan.unmatched.length, 13);
  assert.match(scan.unmatched[0].reason, /not in the form S\/A/);
});

test('a missing folder is a one-line error naming it', async () => {
  await assert.rejects(scanReciterFolder(path.join(tmpRoot, 'nope')), (err: unknown) => err instanceof AyahError && /nope: no such folder$/.test(err.message));
});

test('readTimingFile lists every malformed segment and keeps the others', async () => {
  const dir = fixture('timing-parse', {
    'bad.json': {
      text: JSON.stringify({
        segments: [
          { time_from: 1, time_to: 2, ref_from: '112:1:1', ref_to: '112:1:4' },
          { time_from: 3, time_to: 2.5, ref_from: '112:2:1', ref_to: '112:2:2' },
          { time_from: 4, time_to: 6, ref_from: '112:2:1', ref_to: '112:3:3' },
          { time_from: 6, time_to: 7, ref_from: 'Sadaqa', ref_to: 'Sadaqa' },
          { time_from: 7, time_to: 8, ref_from: '113:1:1', ref_to: '113:1:4' },
          { time_from: '8', time_to: 9, ref_from: '112:4:1', ref_to: '112:4:5' },
          { time_from: 9, time_to: 10, ref_from: "Isti'adha", ref_to: "Isti'adha" },
        ],
      }),
    },
    'not-json.json': { text: '{"segments": [' },
  });
  const parsed = await readTimingFile(path.join(dir, 'bad.json'), 112);
  assert.deepEqual(parsed.problems, [
    'segment 2: ends (2.5 s) before it starts (3 s)',
    'segment 3: spans 112:2 to 112:3: a segment must cover one ayah',
    'segment 4: reference "Sadaqa" is not "surah:ayah:word", "Basmala" or "Isti\'adha"',
    'segment 5: ayah 113:1 is not in surah 112',
    'segment 6: time_from and time_to must be numbers of seconds',
  ]);
  assert.deepEqual(parsed.segments, [
    { n: 1, start: 1, end: 2, what: { surah: 112, ayah: 1 }, words: [1, 4] },
    { n: 7, start: 9, end: 10, what: 'istiadha' },
  ]);
  await assert.rejects(readTimingFile(path.join(dir, 'not-json.json'), 112), /not-json\.json: not a readable JSON timing file/);
});
