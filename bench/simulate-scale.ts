/**
 * `node dist/bench/simulate-scale.js --home DIR --clips DIR [--target 10000] [--shards 1,4,16]`:
 * a postings-level projection of a much larger index from a real one.
 *
 * From the index of AYAH_HOME DIR it takes the postings per hash (the counts files) and
 * scales them to `--target` hours. Real clips (WAV/MP3 in --clips) are fingerprinted and
 * their exact-pass look-ups selected with the query budgets (src/query/config.ts), once
 * with the real counts and once with the projected ones: hashes looked up, postings and
 * bytes read. Look-ups of the real index are timed to fit ms = a + b·hashes + c·MB per
 * segment; the fit gives the projected look-up time for one process holding every segment
 * (one per 200 M postings) and for S processes each holding a hash range (shards).
 * Prints a Markdown report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FINGERPRINT } from '../src/fingerprint/config.js';
import { decodeBatch } from '../src/fingerprint/decode-batch.js';
import { PcmCollector } from '../src/fingerprint/decode.js';
import { fingerprintPcm } from '../src/fingerprint/fingerprinter.js';
import { IndexReader, MAX_PIECE_POSTINGS, type HashCounts } from '../src/index/api.js';
import { QUERY } from '../src/query/config.js';
import { queryHashes } from '../src/query/query-hashes.js';
import { selectRarest } from '../src/query/select-hashes.js';

const BYTES_PER_POSTING = 8;

interface Args {
  home: string;
  clips: string;
  target: number;
  shards: number[];
  max: number;
}

function parse(argv: string[]): Args {
  const a: Args = { home: '', clips: '', target: 10_000, shards: [1, 4, 16], max: 200 };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i];
    if (argv[i] === '--home') a.home = v();
    else if (argv[i] === '--clips') a.clips = v();
    else if (argv[i] === '--target') a.target = Number(v());
    else if (argv[i] === '--shards') a.shards = v().split(',').map(Number);
    else if (argv[i] === '--max') a.max = Number(v());
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!a.home || !a.clips) throw new Error('usage: simulate-scale --home AYAH_HOME --clips DIR [--target 10000] [--shards 1,4,16]');
  return a;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const reader = await IndexReader.open(path.join(args.home, 'index'));
  const counts = reader.hashCounts;
  if (!counts) throw new Error('this index has no counts files: rebuild it');
  const { audioSeconds, segments } = reader.stats();
  const hours = audioSeconds / 3600;
  const k = args.target / hours;
  const nonEmpty = Array.from(counts).filter((c) => c > 0);
  const total = nonEmpty.reduce((n, c) => n + c, 0);
  const sortedDesc = [...nonEmpty].sort((x, y) => y - x);
  const top1 = sortedDesc.slice(0, Math.ceil(sortedDesc.length / 100)).reduce((n, c) => n + c, 0);
  const projected = Uint32Array.from(counts, (c) => Math.round(c * k));

  // Real clips → exact-pass selections, with real and projected counts.
  const files = fs.readdirSync(args.clips).filter((f) => /\.(wav|mp3)$/i.test(f)).slice(0, args.max).map((f) => path.join(args.clips, f));
  const collectors: PcmCollector[] = [];
  const outcomes = await decodeBatch(files, (i) => (collectors[i] = new PcmCollector()), { sampleRate: FINGERPRINT.sampleRate });
  const rows: { x1: number; x2: number; y: number }[] = [];
  const now: { hashes: number; postings: number }[] = [];
  const then: { hashes: number; postings: number }[] = [];
  for (let i = 0; i < files.length; i++) {
    if (!outcomes[i].ok) continue;
    const fp = fingerprintPcm(collectors[i].samples());
    const q = queryHashes(fp.landmarks, 0);
    const sel = selectRarest(q, counts, QUERY.exact);
    const selThen = selectRarest(q, projected, QUERY.exact);
    const postings = (c: HashCounts, hs: number[]) => hs.reduce((n, h) => n + c[h], 0);
    now.push({ hashes: sel.distinct.length, postings: postings(counts, sel.distinct) });
    then.push({ hashes: selThen.distinct.length, postings: postings(projected, selThen.distinct) });
    // Time real look-ups of a quarter, a half and all of the selection (per segment: the
    // reader looks up every segment at once), the second of two runs each.
    for (const share of [0.25, 0.5, 1]) {
      const part = sel.distinct.slice(0, Math.max(1, Math.round(sel.distinct.length * share)));
      let ms = 0;
      for (let rep = 0; rep < 2; rep++) {
        const t0 = performance.now();
        await reader.lookup(part);
        ms = performance.now() - t0;
      }
      rows.push({ x1: part.length, x2: 0, y: ms / segments });
    }
  }
  // Postings read are bounded by the budget and move with the hashes, so time is fitted on
  // hashes alone: ms per segment = a + b·hashes.
  const n = rows.length;
  const mx = mean(rows.map((r) => r.x1));
  const my = mean(rows.map((r) => r.y));
  const b = rows.reduce((acc, r) => acc + (r.x1 - mx) * (r.y - my), 0) / Math.max(1e-9, rows.reduce((acc, r) => acc + (r.x1 - mx) ** 2, 0));
  const a = my - b * mx;
  const lookupMs = (hashes: number, _mb: number, segments: number) => segments * (a + b * hashes);
  void n;
  const targetPostings = total * k;
  // A compacted index is one segment (one table, in pieces of consecutive hashes): a hash is one row of it.
  const segmentsThen = 1;
  const piecesThen = Math.ceil(targetPostings / MAX_PIECE_POSTINGS);
  const mbNow = mean(now.map((x) => x.postings)) * BYTES_PER_POSTING / 2 ** 20;
  const mbThen = mean(then.map((x) => x.postings)) * BYTES_PER_POSTING / 2 ** 20;
  const hashesThen = mean(then.map((x) => x.hashes));
  const lines = [
    `Index: ${hours.toFixed(0)} h, ${total.toLocaleString('en')} postings in ${segments} segment(s); projected to ${args.target.toLocaleString('en')} h (×${k.toFixed(1)}): ${Math.round(targetPostings).toLocaleString('en')} postings, ${(targetPostings * BYTES_PER_POSTING / 2 ** 30).toFixed(1)} GiB of postings, one compacted segment in ${piecesThen} pieces of ≤ ${MAX_PIECE_POSTINGS / 1e6} M postings.`,
    '',
    `Postings per hash (non-empty hashes: ${nonEmpty.length.toLocaleString('en')} of ${counts.length.toLocaleString('en')}): mean ${mean(nonEmpty).toFixed(1)}, p50 ${pct(nonEmpty, 0.5)}, p90 ${pct(nonEmpty, 0.9)}, p99 ${pct(nonEmpty, 0.99)}, max ${sortedDesc[0]}; the 1 % most common hashes hold ${((100 * top1) / total).toFixed(1)} % of the postings.`,
    '',
    `Look-up time fitted on ${rows.length} real look-ups (a quarter, a half and all of each clip's exact-pass selection): ${a.toFixed(2)} ms + ${(b * 1000).toFixed(1)} µs per hash, per segment.`,
    '',
    '| | index | exact pass: hashes looked up | postings read | MB read | look-up ms (model) |',
    '|---|---:|---:|---:|---:|---:|',
    `| measured | ${hours.toFixed(0)} h, ${segments} segment(s) | ${mean(now.map((x) => x.hashes)).toFixed(0)} | ${mean(now.map((x) => x.postings)).toFixed(0)} | ${mbNow.toFixed(2)} | ${lookupMs(mean(now.map((x) => x.hashes)), mbNow, segments).toFixed(1)} (timed ${mean(rows.filter((_, i) => i % 3 === 2).map((r) => r.y * segments)).toFixed(1)}) |`,
    ...args.shards.map((s) => {
      const segs = Math.max(1, Math.ceil(segmentsThen / s));
      return `| projected, ${s} process${s > 1 ? 'es (hash-range shards, in parallel)' : ''} | ${args.target.toLocaleString('en')} h, ${segs} segment(s) per process | ${(hashesThen / s).toFixed(0)} per process | ${(mean(then.map((x) => x.postings)) / s).toFixed(0)} per process | ${(mbThen / s).toFixed(2)} per process | ${lookupMs(hashesThen / s, mbThen / s, segs).toFixed(1)} |`;
    }),
    '',
    `At ${args.target.toLocaleString('en')} h the budget of the exact pass (${QUERY.exact.maxHashes} hashes, ${QUERY.exact.maxPostings.toLocaleString('en')} postings) takes the rarest ${((100 * hashesThen) / Math.max(1, mean(now.map((x) => x.hashes)))).toFixed(0)} % of the hashes it takes at ${hours.toFixed(0)} h.`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`simulate-scale: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 70;
});
