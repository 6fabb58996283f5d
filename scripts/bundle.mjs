#!/usr/bin/env node
/**
 * bundle: after `tsc`, makes the files the `ayah` command loads (run by `npm run build`).
 *
 * A cold `ayah identify` loads ~350 modules before it can answer, and Node resolves, reads and
 * compiles them one by one: on a 2-core machine that was ~200 of its ~700 ms at 1,000 hours
 * (docs/benchmarks.md). Two bundles make it a handful of files:
 *
 * - dist/vendor/lance.cjs: LanceDB's JavaScript and Apache Arrow (its CommonJS build, the copy
 *   LanceDB itself uses, so that the tables src/index makes are LanceDB's own Arrow classes),
 *   which src/index/lance.ts loads. LanceDB's native library (@lancedb/lancedb-<platform>)
 *   stays outside and is found in node_modules at run time, as LanceDB finds it unbundled.
 * - dist/bundle/cli/: the CLI (bin/ayah) with the project's modules, commander and pino, in
 *   chunks that load per command as the modules did (main.ts imports each command's module on
 *   demand), and the threads and the ffmpeg helper beside them (thread-pool.ts,
 *   identify-threads.ts and ffmpeg-helper.ts start them by their names).
 *   The other packages (LanceDB, PostgreSQL, Redis, BullMQ, ffmpeg, fastify...) are loaded
 *   from node_modules, unbundled: they carry native or WebAssembly files and data found by
 *   path, and only the commands that use them load them. Tests import dist/src, unbundled.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(REPO, 'dist');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
/** Packages bundled into the CLI: plain JavaScript that every command loads. */
const BUNDLED = new Set(['commander', 'pino', 'quran-meta']);

await build({
  stdin: {
    contents: "module.exports = { lancedb: require('@lancedb/lancedb'), arrow: require('apache-arrow') };",
    resolveDir: REPO,
    sourcefile: 'lance-entry.cjs',
    loader: 'js',
  },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: path.join(DIST, 'vendor', 'lance.cjs'),
  external: ['@lancedb/lancedb-*'],
  logLevel: 'warning',
});

const cliDir = path.join(DIST, 'bundle', 'cli');
fs.rmSync(cliDir, { recursive: true, force: true });
await build({
  entryPoints: [
    { in: path.join(DIST, 'src', 'cli', 'main.js'), out: 'main' },
    { in: path.join(DIST, 'src', 'pipeline', 'runner', 'fingerprint-thread.js'), out: 'fingerprint-thread' },
    { in: path.join(DIST, 'src', 'query', 'identify-thread.js'), out: 'identify-thread' },
    { in: path.join(DIST, 'src', 'fingerprint', 'ffmpeg-spawner.js'), out: 'ffmpeg-spawner' },
  ],
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outdir: cliDir,
  // lance.ts loads '../../vendor/lance.cjs' with createRequire at run time (esbuild leaves
  // that call alone): dist/bundle/cli is as deep as dist/src/index, so it is found from either.
  external: Object.keys(pkg.dependencies).filter((d) => !BUNDLED.has(d)).flatMap((d) => [d, `${d}/*`]),
  // CommonJS packages in an ES module bundle call require().
  banner: { js: "import { createRequire as __ayahRequire } from 'node:module'; const require = __ayahRequire(import.meta.url);" },
  logLevel: 'warning',
});
