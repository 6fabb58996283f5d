/**
 * derive-riwayah-map: derives how a riwayah's ayahs lie on the Hafs ayahs, word by word, and
 * writes data/riwayah/<riwayah>.json (positions only, no text). No npm package gives this
 * mapping (quran-meta gives each riwayah's ayah counts, not where its ayahs start), so it is
 * derived from a published text of the riwayah that numbers its ayahs: the KFGQPC Uthmanic
 * data (e.g. warsh/data/warshData_v10.json, QaloonData_v10.json: rows with sura_no, aya_no,
 * aya_text). Per surah the riwayah's words are aligned to quran-json's Hafs words (edit
 * distance over bare-letter word keys), and each riwayah ayah becomes the Hafs word range its
 * first and last words align to. The result is checked against quran-meta's ayah counts of
 * that riwayah for all 114 surahs; surahs whose ayahs are exactly the Hafs ayahs are omitted.
 *
 *   node dist/scripts/derive-riwayah-map.js warsh /path/warshData_v10.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { chapterTexts } from '../src/quran/data.js';
import { splitWords, wordKey } from '../src/quran/words.js';
import { metaAyahCount, type RiwayahSpan, type RiwayahMapFile } from '../src/quran/numbering.js';

interface SourceRow {
  sura_no: number;
  aya_no: number;
  aya_text: string;
}

interface Word {
  key: string;
  ayah: number;
  word: number;
}

function hafsWords(surah: number): Word[] {
  const out: Word[] = [];
  for (const v of chapterTexts()[surah - 1].verses) splitWords(v.text).forEach((w, i) => out.push({ key: wordKey(w), ayah: v.id, word: i + 1 }));
  return out.filter((w) => w.key.length > 0);
}

function substitution(a: string, b: string): number {
  if (a === b) return 0;
  const letters = new Map<string, number>();
  for (const c of a) letters.set(c, (letters.get(c) ?? 0) + 1);
  let common = 0;
  for (const c of b) {
    const n = letters.get(c) ?? 0;
    if (n > 0) {
      common++;
      letters.set(c, n - 1);
    }
  }
  return 1.6 * (1 - (2 * common) / (a.length + b.length));
}

/** For each word of `r`, the index of the Hafs word it aligns to, or -1 (inserted). */
function align(h: Word[], r: Word[]): Int32Array {
  const n = h.length;
  const m = r.length;
  const gap = 1;
  const cost = new Float64Array((n + 1) * (m + 1));
  const move = new Uint8Array((n + 1) * (m + 1)); // 0 diag, 1 skip hafs word, 2 skip riwayah word
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = 1; i <= n; i++) (cost[at(i, 0)] = i * gap), (move[at(i, 0)] = 1);
  for (let j = 1; j <= m; j++) (cost[at(0, j)] = j * gap), (move[at(0, j)] = 2);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const d = cost[at(i - 1, j - 1)] + substitution(h[i - 1].key, r[j - 1].key);
      const u = cost[at(i - 1, j)] + gap;
      const l = cost[at(i, j - 1)] + gap;
      const best = Math.min(d, u, l);
      cost[at(i, j)] = best;
      move[at(i, j)] = best === d ? 0 : best === u ? 1 : 2;
    }
  }
  const to = new Int32Array(m).fill(-1);
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const mv = move[at(i, j)];
    if (mv === 0) to[--j] = --i;
    else if (mv === 1) i--;
    else to[--j] = -1;
  }
  return to;
}

function deriveSurah(surah: number, rows: SourceRow[]): RiwayahSpan[] {
  const h = hafsWords(surah);
  const r: Word[] = [];
  for (const row of rows) splitWords(row.aya_text).forEach((w, i) => r.push({ key: wordKey(w), ayah: row.aya_no, word: i + 1 }));
  const words = r.filter((w) => w.key.length > 0);
  const to = align(h, words);
  const spans: RiwayahSpan[] = [];
  let next = 0; // first Hafs word not yet given to an ayah
  for (const row of rows) {
    const idx = words.map((w, k) => (w.ayah === row.aya_no ? k : -1)).filter((k) => k >= 0);
    const aligned = idx.map((k) => to[k]).filter((x) => x >= 0);
    if (aligned.length === 0) throw new Error(`${surah}:${row.aya_no}: no word aligns to the Hafs text`);
    const first = Math.max(next, Math.min(...aligned));
    const last = Math.max(...aligned);
    spans.push([h[first].ayah, h[first].word, h[last].ayah, h[last].word]);
    next = last + 1;
  }
  return spans;
}

function isIdentity(spans: RiwayahSpan[], surah: number): boolean {
  const verses = chapterTexts()[surah - 1].verses;
  return (
    spans.length === verses.length &&
    spans.every(([a, w, b, x], i) => a === i + 1 && b === i + 1 && w === 1 && x === splitWords(verses[i].text).length)
  );
}

function main(): void {
  const [riwayah, source] = process.argv.slice(2);
  if (!riwayah || !source) throw new Error('usage: derive-riwayah-map RIWAYAH SOURCE.json');
  const rows = JSON.parse(fs.readFileSync(source, 'utf8')) as SourceRow[];
  const out: RiwayahMapFile = {
    riwayah,
    source: `KFGQPC Uthmanic ${riwayah} data (${path.basename(source)}), aligned word by word to quran-json's Hafs text by scripts/derive-riwayah-map.ts`,
    span: '[hafs ayah of the first word, its word number, hafs ayah of the last word, its word number]',
    surahs: {},
  };
  for (let s = 1; s <= 114; s++) {
    const surahRows = rows.filter((x) => x.sura_no === s).sort((a, b) => a.aya_no - b.aya_no);
    const expected = metaAyahCount(riwayah, s);
    if (surahRows.length !== expected) throw new Error(`surah ${s}: the source has ${surahRows.length} ayahs, quran-meta ${expected}`);
    const spans = deriveSurah(s, surahRows);
    if (!isIdentity(spans, s)) out.surahs[String(s)] = spans;
  }
  const file = path.resolve('data/riwayah', `${riwayah}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const body = Object.entries(out.surahs)
    .map(([s, spans]) => `    "${s}": [\n${spans.map((x) => `      ${JSON.stringify(x)}`).join(',\n')}\n    ]`)
    .join(',\n');
  fs.writeFileSync(
    file,
    `{\n  "riwayah": ${JSON.stringify(out.riwayah)},\n  "source": ${JSON.stringify(out.source)},\n  "span": ${JSON.stringify(out.span)},\n  "surahs": {\n${body}\n  }\n}\n`,
  );
  console.log(`${file}: ${Object.keys(out.surahs).length} surahs differ from Hafs`);
}

main();
