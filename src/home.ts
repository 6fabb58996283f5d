/**
 * Where Ayahfinder keeps its data: AYAH_HOME, default ~/.local/share/ayahfinder
 * (XDG_DATA_HOME/ayahfinder when XDG_DATA_HOME is set). The index lives in AYAH_HOME/index;
 * the embedded catalog (PGlite) in AYAH_HOME/catalog.
 */
import os from 'node:os';
import path from 'node:path';

export function ayahHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AYAH_HOME) return path.resolve(env.AYAH_HOME);
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'ayahfinder');
}

export function indexDir(home: string): string {
  return path.join(home, 'index');
}

export function catalogDir(home: string): string {
  return path.join(home, 'catalog');
}
