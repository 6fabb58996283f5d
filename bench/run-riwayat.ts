/**
 * run-riwayat (`npm run bench:riwayat`): a mixed index of a Hafs and a Warsh reciter, and
 * top-1 per riwayah. Indexes the corpus's akhdar (Hafs, flat) and a Warsh-numbered per-ayah
 * folder cut from basit-warsh (all its surahs, named SSS/AAA.mp3 in Warsh numbering), runs
 * `ayah bench` on clips of both, and writes the "riwayat" section of docs/benchmarks.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cutPerAyahFolder } from '../src/bench/per-ayah-folder.js';
import type { BenchReport } from '../src/bench/report.js';
import { numbering } from '../src/quran/numbering.js';
import { writeSection } from './docs-section.js';
import { ayah, ayahJson, CORPUS, log, REPO, timed } from './cli.js';

const CLIPS = 300;
const DEGRADE = 'clean,mp3:32,noise:5,phone';

async function main(): Promise<number> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ayah-bench-riwayat-'));
  try {
    const env = { AYAH_HOME: path.join(work, 'home') };
    const surahs = fs
      .readdirSync(path.join(CORPUS, 'basit-warsh', 'audio'))
      .map((f) => Number(f.slice(0, 3)))
      .sort((a, b) => a - b);
    const warsh = path.join(work, 'basit-warsh-per-ayah');
    const files = await cutPerAyahFolder(path.join(CORPUS, 'basit-warsh'), warsh, { surahs, riwayah: 'warsh' });
    log(`cut ${files.length} files of ${surahs.length} surahs in Warsh numbering`);
    const differing = surahs.filter((s) => !numbering('warsh').sameAsHafs(s));
    const indexed = [
      { dir: path.join(CORPUS, 'akhdar'), name: 'Ibrahim Al-Akhdar', riwayah: 'hafs' },
      { dir: warsh, name: 'Abdul Basit', riwayah: 'warsh' },
    ].map((r) => {
      const t = timed(() => ayahJson(['add-reciter', r.dir, '--name', r.name, '--riwayah', r.riwayah, '--json'], env));
      log(`indexed ${r.name} (${r.riwayah}): ${t.value.added} recordings in ${(t.ms / 1000).toFixed(1)} s`);
      return { ...r, added: Number(t.value.added) };
    });
    const jsonFile = path.join(work, 'bench.json');
    const args = ['bench', '--clips', String(CLIPS), '--degrade', DEGRADE, '--json', jsonFile];
    const bench = ayah(args, env, 'inherit');
    if (bench.status !== 0) return bench.status;
    const report = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as BenchReport;
    const m = report.machine;
    const body = [
      "## Riwayat as their readers number them: Warsh, Qalun and the others in the index and in answers",
      '',
      `Written by \`npm run bench:riwayat\` (bench/run-riwayat.ts) on ${report.createdAt.slice(0, 10)}: ${m.cores} cores (${m.cpuModel}, shared with other engineers' jobs: timings are noisy), Node ${m.node}.`,
      '',
      `Mixed index: ${indexed.map((r) => `${r.name} (${r.riwayah}, ${r.added} recordings)`).join(' and ')}; ` +
        `the Warsh folder is basit-warsh's ${surahs.length} whole surahs cut into one file per Warsh ayah at the timings (${files.length} files with the basmalas), ` +
        `${differing.length} of them numbered differently from Hafs (${differing.join(', ')}). ` +
        `A clip is right when the answer names its ayah in its reciter's numbering, or (answered by the other reciter) covers the same Hafs ayahs.`,
      '',
      `\`ayah ${args.slice(0, -2).join(' ')}\`:`,
      '',
      '| degradation | hafs clips | hafs top-1 | warsh clips | warsh top-1 | all top-1 | wrong | p50 ms |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...report.rows.map((r) => {
        const h = r.byRiwayah?.hafs;
        const w = r.byRiwayah?.warsh;
        const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)} %`);
        return `| ${r.name} | ${h?.clips ?? 0} | ${pct(h?.top1)} | ${w?.clips ?? 0} | ${pct(w?.top1)} | ${pct(r.top1)} | ${pct(r.wrongMatch)} | ${r.latencyMs.p50} |`;
      }),
    ].join('\n');
    const file = path.join(REPO, 'docs', 'benchmarks.md');
    writeSection(file, 'riwayat', body);
    log(`wrote ${path.relative(process.cwd(), file)}`);
    process.stdout.write(bench.stdout);
    return 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(70);
  },
);
