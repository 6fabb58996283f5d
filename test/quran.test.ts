import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allRepeatedGroups,
  ayahCount,
  ayahText,
  disjointedLetterCount,
  isValidAyah,
  juzOf,
  letterCount,
  normalizeArabic,
  pageOf,
  refString,
  repeatedGroup,
  surahCount,
  surahName,
  totalAyahs,
} from '../src/quran/quran.js';

test('structure: 114 surahs, 6236 ayahs, known surah lengths', () => {
  assert.equal(surahCount, 114);
  let total = 0;
  for (let s = 1; s <= surahCount; s++) total += ayahCount(s);
  assert.equal(total, 6236);
  assert.equal(totalAyahs, total);
  assert.equal(ayahCount(1), 7);
  assert.equal(ayahCount(2), 286);
  assert.equal(ayahCount(3), 200);
  assert.equal(ayahCount(108), 3);
  assert.throws(() => ayahCount(115), /no such surah 115/);
});

test('isValidAyah rejects 3:201 and out-of-range numbers', () => {
  assert.equal(isValidAyah(3, 200), true);
  assert.equal(isValidAyah(3, 201), false);
  assert.equal(isValidAyah(0, 1), false);
  assert.equal(isValidAyah(1, 0), false);
  assert.equal(isValidAyah(115, 1), false);
  assert.equal(isValidAyah(1.5, 1), false);
  assert.throws(() => ayahText(3, 201), /no such ayah 3:201/);
});

test('text: 1:1 is the basmala; 112:1 in Uthmani script', () => {
  // Exact code points of quran-json's Uthmani text (shadda before fatha).
  const basmala =
    '\u0628\u0650\u0633\u06e1\u0645\u0650 \u0671\u0644\u0644\u0651\u064e\u0647\u0650 ' +
    '\u0671\u0644\u0631\u0651\u064e\u062d\u06e1\u0645\u064e\u0670\u0646\u0650 \u0671\u0644\u0631\u0651\u064e\u062d\u0650\u064a\u0645\u0650';
  assert.equal(ayahText(1, 1), basmala);
  assert.equal(normalizeArabic(ayahText(1, 1)), 'بسم الله الرحمن الرحيم');
  assert.equal(normalizeArabic(ayahText(112, 1)), 'قل هو الله احد');
});

test('names: Arabic, English meaning, transliteration', () => {
  assert.deepEqual(surahName(1), { ar: 'الفاتحة', en: 'The Opener', translit: 'Al-Fatihah' });
  assert.equal(surahName(112).en, 'The Sincerity');
  assert.equal(surahName(114).translit, 'An-Nas');
  assert.equal(surahName(2).ar, 'البقرة');
});

test('juz and page of known ayahs (Madani mushaf)', () => {
  assert.equal(juzOf(1, 1), 1);
  assert.equal(pageOf(1, 1), 1);
  assert.equal(pageOf(2, 1), 2);
  assert.equal(juzOf(2, 141), 1);
  assert.equal(juzOf(2, 142), 2);
  assert.equal(juzOf(18, 75), 16);
  assert.equal(pageOf(18, 1), 293);
  assert.equal(juzOf(78, 1), 30);
  assert.equal(pageOf(114, 6), 604);
});

test('normalizeArabic removes marks and unifies letter forms', () => {
  // Same ayah text written with different tanween forms and a rub el hizb sign.
  assert.equal(normalizeArabic(ayahText(82, 13)), normalizeArabic(ayahText(83, 22)));
  assert.notEqual(ayahText(82, 13), ayahText(83, 22));
  assert.equal(normalizeArabic(ayahText(15, 57)), normalizeArabic(ayahText(51, 31)));
  assert.equal(normalizeArabic('أَإِآٱ ىة ؤئ ـ'), 'اااا يه وي');
  assert.equal(normalizeArabic('  بِسۡمِ \u2009 ٱللَّهِ ۞ '), 'بسم الله');
});

test('repeated groups: 55:13 refrain ×31, 77:15 refrain ×10 in 77 plus 83:10, basmala alone', () => {
  const refrain55 = repeatedGroup(55, 13);
  assert.equal(refrain55.length, 31);
  assert.ok(refrain55.every((r) => r.surah === 55));
  assert.deepEqual(repeatedGroup(55, 77), refrain55);

  const refrain77 = repeatedGroup(77, 15).map(refString);
  assert.deepEqual(refrain77, ['77:15', '77:19', '77:24', '77:28', '77:34', '77:37', '77:40', '77:45', '77:47', '77:49', '83:10']);

  assert.deepEqual(repeatedGroup(1, 1), [{ surah: 1, ayah: 1 }]);
  // 27:30 contains the basmala but is a longer ayah.
  assert.ok(normalizeArabic(ayahText(27, 30)).includes(normalizeArabic(ayahText(1, 1))));
  assert.deepEqual(repeatedGroup(27, 30), [{ surah: 27, ayah: 30 }]);
  assert.deepEqual(repeatedGroup(112, 1), [{ surah: 112, ayah: 1 }]);
});

test('allRepeatedGroups: every group has equal normalized texts and distinct members', () => {
  const groups = allRepeatedGroups();
  assert.ok(groups.length > 50, `only ${groups.length} groups`);
  const seen = new Set<string>();
  for (const g of groups) {
    assert.ok(g.length >= 2);
    const text = normalizeArabic(ayahText(g[0].surah, g[0].ayah));
    for (const r of g) {
      assert.equal(normalizeArabic(ayahText(r.surah, r.ayah)), text);
      assert.ok(!seen.has(refString(r)), `${refString(r)} in two groups`);
      seen.add(refString(r));
      assert.deepEqual(repeatedGroup(r.surah, r.ayah), g);
    }
  }
  assert.ok(groups.some((g) => g.length === 31));
});

test('letterCount counts bare letters', () => {
  assert.equal(letterCount(1, 1), 19); // بسم الله الرحمن الرحيم
  assert.equal(letterCount(112, 1), 11); // قل هو الله احد
  assert.equal(letterCount(55, 64), normalizeArabic(ayahText(55, 64)).replace(/ /g, '').length);
  assert.ok(letterCount(2, 282) > 500);
});

test('disjointedLetterCount: the 30 disjointed-letter openings, nothing else', () => {
  assert.equal(disjointedLetterCount(2, 1), 3);
  assert.equal(disjointedLetterCount(19, 1), 5);
  assert.equal(disjointedLetterCount(20, 1), 2);
  assert.equal(disjointedLetterCount(42, 2), 3);
  assert.equal(disjointedLetterCount(38, 1), 1);
  assert.equal(disjointedLetterCount(1, 1), 0);
  let ayahs = 0;
  for (let s = 1; s <= surahCount; s++) for (let a = 1; a <= ayahCount(s); a++) if (disjointedLetterCount(s, a) > 0) ayahs++;
  assert.equal(ayahs, 30);
});
