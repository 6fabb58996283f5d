/**
 * Module boundaries: code outside src/index reaches the index only through its interface
 * (src/index/api.ts), never its manifest or tables; scoring is computed in one module
 * (src/query/score.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from './helpers/env.js';

/** Every .ts file under the repository folders `dirs`, as [relative path, text]. */
function sources(dirs: string[]): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push([path.relative(REPO, p), fs.readFileSync(p, 'utf8')]);
    }
  };
  for (const d of dirs) walk(path.join(REPO, d));
  return out;
}

const outsideIndex = () => sources(['src', 'bench', 'scripts']).filter(([f]) => !f.startsWith(`src${path.sep}index${path.sep}`));

describe('module boundaries', () => {
  it('outside src/index, only src/index/api.ts is imported and manifest.json is never named', () => {
    const files = outsideIndex();
    assert.ok(files.length > 50, `${files.length} files`);
    const internal = files.flatMap(([f, text]) => [...text.matchAll(/from '(?:\.\.\/)+(?:src\/)?index\/(\w[\w-]*)\.js'/g)].filter((m) => m[1] !== 'api').map((m) => `${f}: index/${m[1]}`));
    assert.deepEqual(internal, []);
    // scripts/faults.ts damages the manifest on purpose (a fault it injects), as it truncates table files.
    const named = files.filter(([f, text]) => f !== path.join('scripts', 'faults.ts') && /manifest\.json|readManifest\(/.test(text)).map(([f]) => f);
    assert.deepEqual(named, []);
  });

  it('scoring is decided in src/query/score.ts alone: no confidence threshold or chance-model parameter elsewhere', () => {
    const files = sources(['src', 'bench', 'scripts']).filter(([f]) => f !== path.join('src', 'query', 'score.ts') && f !== path.join('src', 'query', 'config.ts'));
    const found = files.flatMap(([f, text]) =>
      [...text.matchAll(/\.confidence\s*[<>]=?|QUERY\.(?:minConfidence|decisiveAligned|minAligned|evidenceClumping|scoreWindow|chanceLevelConfidence)\b|chanceLogProbability/g)].map((m) => `${f}: ${m[0]}`),
    );
    assert.deepEqual(found, []);
  });
});
