/**
 * leftovers-report: what cleanLeftovers removed, and how commands say it (kept apart
 * from the cleaning, so the CLI prints it without loading the pipeline).
 */
export interface Leftovers {
  /** Builds recorded as interrupted. */
  builds: string[];
  /** Staging folders removed (build ids). */
  staging: string[];
  /** LanceDB tables dropped. */
  tables: string[];
}

/** One line per thing cleaned; none when nothing was left. */
export function describeLeftovers(l: Leftovers): string[] {
  return [
    ...l.builds.map((id) => `  build ${id} was interrupted: recorded as failed`),
    ...l.staging.map((id) => `  removed the staged batches of build ${id}`),
    ...l.tables.map((t) => `  dropped index table ${t}, written by a commit that never completed`),
  ];
}
