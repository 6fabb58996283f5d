/**
 * output: printing results on stdout: one JSON document per line (--json), or aligned
 * text tables for people.
 */
/**
 * A closed stdout (`ayah identify ... | head -1`) ends the command quietly: no EPIPE trace,
 * exit 0 as a pipeline expects (the reader asked for no more).
 */
export function endQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

export function printLines(lines: string[]): void {
  if (lines.length) process.stdout.write(lines.join('\n') + '\n');
}

/** Rows of cells as left-aligned columns (first row: headers). */
export function table(rows: (string | number)[][]): string[] {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
}
