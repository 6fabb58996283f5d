/**
 * generated-audio: audio that is not recitation, for negative clips: tones, a sweep,
 * music-like chords and melodies, coloured noises and silence (ffmpeg's lavfi sources,
 * seeded), and speech when espeak-ng is installed (skipped otherwise).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ffmpegPath } from '../fingerprint/ffmpeg-path.js';

const RATE = 16000;

/** name → lavfi source (each `seconds` long). */
function sources(seconds: number): Record<string, string> {
  const d = `d=${seconds}`;
  return {
    sine: `sine=frequency=440:sample_rate=${RATE}:duration=${seconds}`,
    sweep: `aevalsrc=exprs=0.5*sin(2*PI*(100+60*t)*t):s=${RATE}:${d}`,
    chords: `aevalsrc=exprs=(0.2*sin(2*PI*220*t)+0.15*sin(2*PI*277*t)+0.1*sin(2*PI*330*t))*(0.6+0.4*sin(2*PI*2*t)):s=${RATE}:${d}`,
    melody: `aevalsrc=exprs=0.3*sin(2*PI*220*pow(2\\,floor(mod(3*t\\,12))/12)*t)*(1-mod(3*t\\,1)):s=${RATE}:${d}`,
    'white-noise': `anoisesrc=color=white:amplitude=0.3:seed=1:sample_rate=${RATE}:duration=${seconds}`,
    'pink-noise': `anoisesrc=color=pink:amplitude=0.3:seed=2:sample_rate=${RATE}:duration=${seconds}`,
    'brown-noise': `anoisesrc=color=brown:amplitude=0.5:seed=3:sample_rate=${RATE}:duration=${seconds}`,
    silence: `anullsrc=r=${RATE}:cl=mono:n=1024,atrim=duration=${seconds}`,
  };
}

/** What espeak-ng says, in English and Arabic (plain speech, not recitation). */
const SPEECH: Array<[voice: string, text: string]> = [
  ['en', 'This is a test of the benchmark. Speech that is not a recitation must not be identified as an ayah. The weather is fine today, and the train leaves at nine.'],
  ['ar', 'هذا اختبار للبرنامج. الطقس جميل اليوم، والقطار يغادر في الساعة التاسعة صباحا. نحن نتحدث بكلام عادي.'],
];

/** Writes the files into `dir` (which must exist); returns their paths. */
export function writeNonRecitation(dir: string, seconds: number): string[] {
  const files: string[] = [];
  for (const [name, source] of Object.entries(sources(seconds))) {
    const file = path.join(dir, `${name}.wav`);
    execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-t', String(seconds), '-ac', '1', file]);
    files.push(file);
  }
  if (spawnSync('espeak-ng', ['--version']).status === 0) {
    for (const [voice, text] of SPEECH) {
      const file = path.join(dir, `speech-${voice}.wav`);
      if (spawnSync('espeak-ng', ['-v', voice, '-w', file, text]).status === 0) files.push(file);
    }
  }
  return files;
}
