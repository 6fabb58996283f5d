/**
 * docs-section: each benchmark script owns one marked section of docs/benchmarks.md and
 * replaces only that, so `npm run bench` and `npm run bench:scale` do not erase each other.
 */
import fs from 'node:fs';
import path from 'node:path';

export function writeSection(file: string, name: string, body: string): void {
  const begin = `<!-- section:${name} -->`;
  const end = `<!-- /section:${name} -->`;
  const block = `${begin}\n${body.trimEnd()}\n${end}\n`;
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const from = old.indexOf(begin);
  const to = old.indexOf(end);
  const next = from >= 0 && to > from ? old.slice(0, from) + block + old.slice(to + end.length + 1) : `${old.trimEnd()}\n\n${block}`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, next);
}
