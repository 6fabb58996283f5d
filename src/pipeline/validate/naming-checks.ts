/**
 * naming-checks: every file the folder's layout could not use is an issue, never skipped
 * in silence: an audio file is an error (a recording that would not be indexed, or a name
 * that maps to no ayah), any other file a warning.
 */
import { isAudioName } from '../layout/files.js';
import type { UnmatchedFile } from '../layout/types.js';
import type { Issue } from './types.js';

export function unmatchedIssues(unmatched: UnmatchedFile[]): Issue[] {
  return unmatched.map(({ relPath, reason, about }) => {
    const audio = isAudioName(relPath);
    return {
      severity: audio ? 'error' : 'warning',
      check: about === 'timing' ? 'timing' : 'name',
      file: relPath,
      reason: audio ? reason : `not used: ${reason}`,
    };
  });
}
