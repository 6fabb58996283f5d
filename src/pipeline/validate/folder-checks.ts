/**
 * folder-checks: checks across the files of a folder: coverage of the surahs present,
 * the same decoded audio under two names, mixed formats.
 */
import { numbering } from '../../quran/numbering.js';
import { refString } from '../../quran/quran.js';
import type { RecordingSource, Riwayah } from '../../types.js';
import type { CheckedFile } from './check-file.js';
import { listSome } from './list-some.js';
import type { Issue, SurahCoverage } from './types.js';

/** Which ayahs of each surah present the sources recite (timelines: the files' or the timing files'). */
export function coverageOf(sources: RecordingSource[], riwayah: Riwayah = 'hafs'): SurahCoverage[] {
  const n = numbering(riwayah);
  const bySurah = new Map<number, Set<number>>();
  for (const s of sources)
    for (const e of s.timeline) {
      const ayahs = bySurah.get(e.surah) ?? new Set<number>();
      ayahs.add(e.ayah);
      bySurah.set(e.surah, ayahs);
    }
  return [...bySurah.keys()]
    .sort((a, b) => a - b)
    .map((surah) => {
      const ayahs = bySurah.get(surah)!;
      const total = n.ayahCount(surah);
      const missing: string[] = [];
      for (let a = 1; a <= total; a++) if (!ayahs.has(a)) missing.push(refString({ surah, ayah: a }));
      return { surah, present: ayahs.size, total, missing };
    });
}

/** A warning per incomplete surah; an error when the folder has no ayah at all. */
export function coverageIssues(coverage: SurahCoverage[]): Issue[] {
  if (coverage.length === 0) return [{ severity: 'error', check: 'coverage', file: '.', reason: 'no ayah recordings found' }];
  return coverage
    .filter((c) => c.missing.length)
    .map((c) => ({ severity: 'warning', check: 'coverage', file: '.', reason: `surah ${c.surah}: ${c.present}/${c.total}, missing ${listSome(c.missing)}` }));
}

/**
 * Files with the same decoded audio. An error, since at most one of the names is right;
 * a warning when every file is an ayah of the same repeated text (one take reused for
 * identical ayahs). Files that are not ayahs (a basmala file repeated in every surah
 * folder) are left alone.
 */
export function duplicateIssues(checked: CheckedFile[], riwayah: Riwayah = 'hafs'): Issue[] {
  const byHash = new Map<string, CheckedFile[]>();
  for (const d of checked) {
    if (!d.audio) continue;
    const same = byHash.get(d.audio.pcmHash);
    if (same) same.push(d);
    else byHash.set(d.audio.pcmHash, [d]);
  }
  const issues: Issue[] = [];
  for (const group of byHash.values()) {
    if (group.length < 2 || group.every((d) => d.source.timeline.length === 0)) continue;
    const first = group[0].source.ref;
    const sameText = new Set(numbering(riwayah).repeatedGroup(first.surah, first.ayah).map(refString));
    const reused = group.every((d) => d.source.kind === 'ayah' && sameText.has(refString(d.source.ref)));
    for (const d of group) {
      const others = group.filter((o) => o !== d).map((o) => o.source.relPath);
      issues.push(
        reused
          ? { severity: 'warning', check: 'duplicate', file: d.source.relPath, reason: `same audio as ${listSome(others)} (identical ayah text: one take reused)` }
          : { severity: 'error', check: 'duplicate', file: d.source.relPath, reason: `same decoded audio as ${listSome(others)}` },
      );
    }
  }
  return issues;
}

/** One warning when the files do not all share codec, sample rate and channel count. */
export function formatIssues(checked: CheckedFile[]): Issue[] {
  const byFormat = new Map<string, string[]>();
  for (const { source, audio } of checked) {
    if (!audio) continue;
    const { codec, sampleRate, channels } = audio;
    const key = `${codec} ${sampleRate} Hz ${channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels ?? '?'} channels`}`;
    const files = byFormat.get(key) ?? [];
    files.push(source.relPath);
    byFormat.set(key, files);
  }
  if (byFormat.size < 2) return [];
  const parts = [...byFormat.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([key, files], i) => `${files.length} × ${key}${i > 0 ? ` (${listSome(files, 3)})` : ''}`);
  return [{ severity: 'warning', check: 'format', file: '.', reason: `mixed formats: ${parts.join('; ')}` }];
}
