/**
 * validation-verdict: the merge's decision on an add-reciter folder, from the folder's
 * checks made before decoding and each file's checks made by the fingerprint jobs (the
 * one decoding of every file): the validation report, and which files have errors, with
 * the reason. A file has errors when an issue of its own, of its timing file, or of the
 * checks across files (the same audio under two names) is an error.
 */
import type { FingerprintJobResult, MergeJobData } from '../jobs/types.js';
import { folderReport } from '../validate/validate-folder.js';
import type { ValidationReport } from '../validate/types.js';

export interface Verdict {
  report: ValidationReport;
  /** Files with errors, sorted by path, with their reasons. */
  invalid: { relPath: string; reason: string }[];
}

/** The verdict on a build's folder; `children` in batch order. */
export function judgeFolder(validation: NonNullable<MergeJobData['validation']>, children: FingerprintJobResult[]): Verdict {
  const checked = children.flatMap((c) => c.checked ?? []);
  const report = folderReport(validation.folder, checked);
  const errors = new Map<string, string[]>();
  for (const i of report.issues) if (i.severity === 'error') errors.set(i.file, [...(errors.get(i.file) ?? []), `${i.check}: ${i.reason}`]);
  const invalid = checked
    .map((c) => ({ relPath: c.source.relPath, reasons: [...new Set([c.source.relPath, ...c.issues.map((i) => i.file)])].flatMap((f) => errors.get(f) ?? []) }))
    .filter((f) => f.reasons.length > 0)
    .map((f) => ({ relPath: f.relPath, reason: f.reasons.join('; ') }))
    .sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { report, invalid };
}
