/**
 * folder-owner: one folder, one reciter. add-reciter of a folder the catalog already has
 * under another reciter would index the same audio twice under two names: refused unless
 * forced, and then said.
 */
import path from 'node:path';
import type { CatalogAccess } from '../catalog/access.js';
import { otherRecitersOfFolder } from '../catalog/recordings.js';
import { AyahError, ExitCode } from '../errors.js';

/** Refuses (exit 2) a folder another reciter has recordings from; with `force`, returns the warning to print. */
export async function checkFolderOwner(catalog: CatalogAccess, dir: string, reciterId: string, force: boolean): Promise<string | undefined> {
  const abs = path.resolve(dir);
  const others = await catalog.use((c) => otherRecitersOfFolder(c.read, abs, reciterId));
  if (others.length === 0) return undefined;
  const owners = others.map((o) => `${o.reciterId} (${o.recordings} recordings)`).join(', ');
  if (!force) throw new AyahError(`${dir}: already indexed as ${owners}; adding it as ${reciterId} would index the same audio twice (--force to do it anyway)`, ExitCode.USAGE);
  return `${dir}: also indexed as ${owners}: the same audio is now indexed under two names`;
}
