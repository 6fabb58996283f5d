/**
 * Riwayat: Warsh and Qalun numbering from the data packages, the Hafs ayahs each of their
 * ayahs covers, and a Warsh-numbered per-ayah folder (cut from the corpus's basit-warsh at
 * its timings) validated, indexed beside a Hafs reciter and answered in Warsh numbering.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import * as hafsMeta from 'quran-meta/hafs';
import * as qalunMeta from 'quran-meta/qalun';
import * as warshMeta from 'quran-meta/warsh';
import type { Surah } from 'quran-meta/hafs';
import { cutPerAyahFolder } from '../src/bench/per-ayah-folder.js';
import { scanReciterFolder } from '../src/pipeline/layout.js';
import { chapterTexts } from '../src/quran/data.js';
import { numbering } from '../src/quran/numbering.js';
import { splitWords } from '../src/quran/words.js';
import { ayah, CORPUS, ffmpeg, folderOf, tempDir } from './helpers/env.js';

const refs = (xs: { surah: number; ayah: number }[]) => xs.map((x) => `${x.surah}:${x.ayah}`);

describe('riwayah numbering (quran-meta counts, derived Hafs-word map)', () => {
  it('counts every surah as quran-meta does, for hafs, warsh and qalun', () => {
    const metas = { hafs: hafsMeta, warsh: warshMeta, qalun: qalunMeta };
    for (const [r, meta] of Object.entries(metas)) {
      const n = numbering(r);
      let total = 0;
      for (let s = 1; s <= 114; s++) {
        assert.equal(n.ayahCount(s), meta.getAyahCountInSurah(s as Surah), `${r} surah ${s}`);
        total += n.ayahCount(s);
      }
      assert.equal(total, r === 'hafs' ? 6236 : 6214, r);
    }
    assert.equal(numbering('warsh').ayahCount(89), 32);
    assert.equal(numbering('warsh').ayahCount(106), 5);
  });

  it('covers every Hafs word once, in order (only the basmala of surah 1 is no Warsh or Qalun ayah)', () => {
    for (const r of ['warsh', 'qalun']) {
      const n = numbering(r);
      for (let s = 1; s <= 114; s++) {
        const words = chapterTexts()[s - 1].verses.map((v) => splitWords(v.text).length);
        let next: [number, number] = s === 1 ? [2, 1] : [1, 1];
        for (let a = 1; a <= n.ayahCount(s); a++) {
          const [fa, fw, ta, tw] = n.span(s, a);
          assert.deepEqual([fa, fw], next, `${r} ${s}:${a} starts where ${s}:${a - 1} ends`);
          next = tw === words[ta - 1] ? [ta + 1, 1] : [ta, tw + 1];
        }
        assert.deepEqual(next, [words.length + 1, 1], `${r} surah ${s} ends with the Hafs surah`);
      }
    }
  });

  it('maps the known splits and joins of Warsh to Hafs', () => {
    const w = numbering('warsh');
    const cases: [string, string[]][] = [
      ['1:1', ['1:2']],
      ['1:6', ['1:7']],
      ['1:7', ['1:7']],
      ['2:1', ['2:1', '2:2']],
      ['89:15', ['89:15']],
      ['89:16', ['89:15']],
      ['89:17', ['89:16']],
      ['89:18', ['89:16']],
      ['89:26', ['89:23']],
      ['89:31', ['89:28']],
      ['89:32', ['89:29', '89:30']],
      ['99:7', ['99:6']],
      ['101:1', ['101:1', '101:2']],
      ['106:4', ['106:4']],
      ['106:5', ['106:4']],
      ['107:6', ['107:6', '107:7']],
      ['112:4', ['112:4']],
    ];
    for (const [ref, hafs] of cases) {
      const [s, a] = ref.split(':').map(Number);
      assert.deepEqual(refs(w.toHafs(s, a)), hafs, `warsh ${ref}`);
    }
    assert.deepEqual(refs(w.fromHafs({ surah: 1, ayah: 1 })), []);
    assert.deepEqual(refs(w.fromHafs({ surah: 106, ayah: 4 })), ['106:4', '106:5']);
    const hafs1064 = splitWords(chapterTexts()[105].verses[3].text);
    assert.equal(w.ayah(106, 4).hafsText, hafs1064.slice(0, 4).join(' '));
    assert.equal(w.ayah(106, 5).hafsText, hafs1064.slice(4).join(' '));
    assert.equal(w.isValidAyah(101, 11), false);
    assert.deepEqual(refs(numbering('hafs').toHafs(89, 30)), ['89:30']);
  });

  it('finds repeated ayahs within each riwayah', () => {
    const w = numbering('warsh');
    const refrain = w.fromHafs({ surah: 55, ayah: 13 });
    assert.equal(refrain.length, 1);
    const group = w.repeatedGroup(refrain[0].surah, refrain[0].ayah);
    assert.equal(group.length, numbering('hafs').repeatedGroup(55, 13).length, 'the refrain of surah 55 is 31 ayahs in both');
    assert.ok(group.every((g) => refs(w.toHafs(g.surah, g.ayah)).length === 1));
    assert.deepEqual(refs(w.repeatedGroup(106, 5)), ['106:5'], 'Warsh 106:5 is no other ayah');
  });

  it('renumbers a Hafs-word timing file in the riwayah: Warsh 106:4 and 106:5 share Hafs 106:4', async () => {
    const scan = await scanReciterFolder(path.join(CORPUS, 'basit-warsh'), 'surah-timed', 'warsh');
    const t106 = scan.sources.find((s) => s.ref.surah === 106)!.timeline;
    assert.deepEqual(refs(t106), ['106:1', '106:2', '106:3', '106:4', '106:5']);
    // Hafs 106:4 is 29.38-42.99 s (alignments/106.json): Warsh 106:4 takes its first 4 words of 7.
    assert.equal(t106[3].start, 29.38);
    assert.equal(t106[4].end, 42.99);
    assert.ok(Math.abs(t106[3].end - (29.38 + (4 / 7) * (42.99 - 29.38))) < 0.02, `${t106[3].end}`);
    const t1 = scan.sources.find((s) => s.ref.surah === 1)!.timeline;
    assert.deepEqual(refs(t1), ['1:1', '1:2', '1:3', '1:4', '1:5', '1:6', '1:7'], 'the basmala of surah 1 is no Warsh ayah');
  });
});

describe('a Warsh-numbered per-ayah folder beside a Hafs reciter', () => {
  const home = tempDir('ayah-home-');
  const env = { AYAH_HOME: home };
  const root = tempDir('ayah-warsh-');
  const warsh = path.join(root, 'Abdul Basit (Warsh)');
  const hafsNamed = tempDir('ayah-warsh-hafs-names-');
  const clips = tempDir('ayah-clips-');
  const SURAHS = [99, 101, 106, 107];
  // Names seen in the wild: zero-padded or not, upper-case extension, the surah folders in a folder of their own.
  const wild = (r: { surah: number; ayah: number }) =>
    `${r.surah === 101 ? String(r.surah) : String(r.surah).padStart(3, '0')}/${r.ayah === 0 ? '000_basmala' : r.surah === 101 ? r.ayah : String(r.ayah).padStart(3, '0')}.${r.surah === 106 ? 'MP3' : 'mp3'}`;
  const fileOf = (s: number, a: number) => path.join(warsh, wild({ surah: s, ayah: a }));

  before(async () => {
    await cutPerAyahFolder(path.join(CORPUS, 'basit-warsh'), warsh, { surahs: SURAHS, riwayah: 'warsh', name: wild });
    fs.writeFileSync(path.join(root, 'cover.jpg'), 'not audio');
    await cutPerAyahFolder(path.join(CORPUS, 'basit-warsh'), hafsNamed, { surahs: SURAHS, riwayah: 'hafs' });
    for (const [s, a] of [[106, 5], [101, 1], [99, 7], [107, 6], [99, 2]]) {
      ffmpeg(['-i', fileOf(s, a), '-t', '4', '-af', 'volume=0.8', '-ar', '16000', path.join(clips, `warsh-${s}-${a}.wav`)]);
    }
    ffmpeg(['-i', path.join(CORPUS, 'akhdar', '106004.mp3'), '-ss', '0.5', '-t', '4', path.join(clips, 'akhdar-106-4.wav')]);
  });

  it('validates with no naming errors (000_basmala, padded or not, .MP3, one folder above the surahs); other files are listed', () => {
    const r = ayah(['validate', root, '--riwayah', 'warsh', '--json'], env);
    const report = JSON.parse(r.stdout);
    assert.equal(report.layout, 'folders');
    assert.equal(report.riwayah, 'warsh');
    assert.deepEqual(report.issues.filter((i: { severity: string }) => i.severity === 'error'), [], r.stdout);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(report.counts.sources, 30 + 4, 'every Warsh ayah of the 4 surahs and their basmalas');
    assert.deepEqual(report.issues.map((i: { file: string; check: string }) => `${i.file} ${i.check}`), ['cover.jpg name']);
    assert.deepEqual(report.coverage.map((c: { surah: number; total: number; present: number }) => [c.surah, c.present, c.total]), [
      [99, 9, 9],
      [101, 10, 10],
      [106, 5, 5],
      [107, 6, 6],
    ]);
  });

  it('refuses the same folder named in Hafs numbering under --riwayah warsh: one line per wrong name', () => {
    const r = ayah(['validate', hafsNamed, '--riwayah', 'warsh'], env);
    assert.equal(r.code, 1, r.stdout);
    const named = r.stdout.split('\n').filter((l) => /\bname\b/.test(l));
    assert.deepEqual(named.map((l) => l.replace(/\s+/g, ' ').trim()), [
      'error 101/011.mp3 name no such ayah 101:11 in warsh numbering (surah 101 has 10 ayahs)',
      'error 107/007.mp3 name no such ayah 107:7 in warsh numbering (surah 107 has 6 ayahs)',
    ]);
    const unsupported = ayah(['validate', hafsNamed, '--riwayah', 'duri'], env);
    assert.equal(unsupported.code, 2);
    assert.match(unsupported.stderr, /--riwayah must be hafs, warsh, qalun/);
  });

  describe('indexed with akhdar (Hafs)', () => {
    before(() => {
      const akhdar = folderOf(fs.readdirSync(path.join(CORPUS, 'akhdar')).filter((f) => /^(106|107)\d{3}\.mp3$/.test(f)).map((f) => path.join('akhdar', f)));
      const a = ayah(['add-reciter', akhdar, '--name', 'Ibrahim Al-Akhdar', '--riwayah', 'hafs'], env);
      assert.equal(a.code, 0, a.stderr);
      const w = ayah(['add-reciter', root, '--name', 'Abdul Basit', '--riwayah', 'warsh', '--json'], env);
      assert.equal(w.code, 0, w.stderr);
      assert.equal(JSON.parse(w.stdout).layout, 'folders');
    });

    it('answers clips of the Warsh folder in Warsh numbering with the Hafs ayahs, and the Hafs text standing in', () => {
      const inputs = ['warsh-106-5', 'warsh-101-1', 'warsh-99-7', 'warsh-107-6', 'warsh-99-2'].map((c) => path.join(clips, `${c}.wav`));
      const r = ayah(['identify', '--json', ...inputs], env);
      assert.equal(r.code, 0, r.stderr);
      const best = r.stdout.trim().split('\n').map((l) => JSON.parse(l).results[0]);
      assert.deepEqual(
        best.map((b) => [`${b.surah}:${b.ayah}`, b.riwayah, b.reciter_id, b.hafs, b.text_riwayah]),
        [
          ['106:5', 'warsh', 'abdul-basit', ['106:4'], 'hafs'],
          ['101:1', 'warsh', 'abdul-basit', ['101:1', '101:2'], 'hafs'],
          ['99:7', 'warsh', 'abdul-basit', ['99:6'], 'hafs'],
          ['107:6', 'warsh', 'abdul-basit', ['107:6', '107:7'], 'hafs'],
          ['99:2', 'warsh', 'abdul-basit', ['99:2'], 'hafs'],
        ],
      );
      assert.equal(best[0].text, splitWords(chapterTexts()[105].verses[3].text).slice(4).join(' '), 'the last 3 Hafs words of 106:4 are Warsh 106:5');
      assert.equal(best[1].surah_name_en, 'The Calamity');
    });

    it('answers a Hafs reciter in Hafs numbering with its own text and "hafs"; --riwayah filters', () => {
      const clip = path.join(clips, 'akhdar-106-4.wav');
      const best = JSON.parse(ayah(['identify', '--json', clip], env).stdout).results[0];
      assert.deepEqual([`${best.surah}:${best.ayah}`, best.riwayah, best.reciter_id, best.hafs, best.text_riwayah], ['106:4', 'hafs', 'ibrahim-al-akhdar', ['106:4'], undefined]);
      const onlyWarsh = JSON.parse(ayah(['identify', '--json', '--riwayah', 'warsh', clip], env).stdout);
      assert.ok(onlyWarsh.results.every((x: { riwayah: string }) => x.riwayah === 'warsh'));
      assert.notEqual(onlyWarsh.status, 'match', 'no Warsh recording of this audio');
      const list = ayah(['reciters', 'list'], env);
      assert.match(list.stdout, /abdul-basit\s+Abdul Basit\s+warsh/);
      assert.match(list.stdout, /ibrahim-al-akhdar\s+Ibrahim Al-Akhdar\s+hafs/);
    });

    it('bench reports top-1 per riwayah, and --riwayah cuts clips of one riwayah only', () => {
      const both = JSON.parse(ayah(['bench', '--clips', '12', '--degrade', 'clean', '--json', '-'], env).stdout);
      const row = both.rows.find((x: { name: string }) => x.name === 'clean');
      assert.deepEqual(Object.keys(row.byRiwayah), ['hafs', 'warsh']);
      for (const r of Object.values(row.byRiwayah) as { top1: number }[]) assert.ok(r.top1 >= 0.75, JSON.stringify(row.byRiwayah));
      const warshOnly = JSON.parse(ayah(['bench', '--clips', '2', '--degrade', 'clean', '--riwayah', 'warsh', '--json', '-'], env).stdout);
      assert.deepEqual(Object.keys(warshOnly.rows[0].byRiwayah), ['warsh']);
    });
  });
});
