/**
 * `node dist/bench/estimate-timings.js DIR...`: gives whole-surah recordings without timing
 * files (DIR/audio/SSS.mp3) estimated ones (DIR/alignments/SSS.json), so that the scale
 * benchmark can index real recitation found only as whole surahs, as distractor reciters.
 *
 * Each ayah gets a share of the file (less 0.3 s at each end) proportional to its letters,
 * after the basmala (surahs other than 1 and 9) and the isti'adha. These are estimates:
 * labels near ayah boundaries are wrong by seconds, so the benchmark never measures
 * accuracy on such folders; they only grow the index with real voices. Every segment says
 * `"estimated": true` and confidence 0. Existing timing files are left alone.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ffmpegPath } from '../src/fingerprint/ffmpeg-path.js';
import { ayahCount, letterCount } from '../src/quran/quran.js';

/** Letters of the basmala and of the isti'adha, for their shares. */
const BASMALA_LETTERS = 19;
const ISTIADHA_LETTERS = 24;
const EDGE_S = 0.3;

function durationOf(file: string): number | undefined {
  const r = spawnSync(ffmpegPath(), ['-hide_banner', '-nostdin', '-i', file], { encoding: 'utf8' });
  const m = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(r.stderr);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

export function estimatedSegments(surah: number, durationS: number): object[] {
  const parts: { ref: string; letters: number; words: number }[] = [{ ref: "Isti'adha", letters: ISTIADHA_LETTERS, words: 0 }];
  if (surah !== 1 && surah !== 9) parts.push({ ref: 'Basmala', letters: BASMALA_LETTERS, words: 0 });
  for (let a = 1; a <= ayahCount(surah); a++) parts.push({ ref: `${surah}:${a}`, letters: letterCount(surah, a), words: 1 });
  const total = parts.reduce((s, p) => s + p.letters, 0);
  const span = Math.max(0, durationS - 2 * EDGE_S);
  let t = EDGE_S;
  return parts.map((p, i) => {
    const from = t;
    t += (span * p.letters) / total;
    const ref = p.words ? [`${p.ref}:1`, `${p.ref}:1`] : [p.ref, p.ref];
    return { segment: i + 1, time_from: Math.round(from * 100) / 100, time_to: Math.round((t - 0.01) * 100) / 100, ref_from: ref[0], ref_to: ref[1], confidence: 0, estimated: true };
  });
}

function main(dirs: string[]): number {
  for (const dir of dirs) {
    const audio = path.join(dir, 'audio');
    if (!fs.existsSync(audio)) {
      process.stderr.write(`estimate-timings: ${dir}: no audio/ folder, skipped\n`);
      continue;
    }
    const out = path.join(dir, 'alignments');
    fs.mkdirSync(out, { recursive: true });
    let written = 0;
    for (const name of fs.readdirSync(audio).sort()) {
      const m = /^(\d{3})\.\w+$/.exec(name);
      const target = m && path.join(out, `${m[1]}.json`);
      if (!m || !target || fs.existsSync(target)) continue;
      const d = durationOf(path.join(audio, name));
      if (!d) continue;
      fs.writeFileSync(target, JSON.stringify({ estimated: true, segments: estimatedSegments(Number(m[1]), d) }, null, 1));
      written++;
    }
    process.stderr.write(`estimate-timings: ${dir}: ${written} timing files written\n`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
