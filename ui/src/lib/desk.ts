// The reviewer's desk, display only: whose queue a row is in, a person's
// progress, the list with their own work first, the label filter, and how
// wide a spread of panel points is. Nothing is counted here that the engine
// did not count: progress and spreads arrive computed.
import type { ApplicationRow, AssignmentProgress, Assignments, ProjectSpread } from '../types';

/** The progress of the person with `fingerprint` ("8 / 12 评完"), or null when nothing is assigned to them. */
export function progressOf(a: Assignments | null, fingerprint: string | null | undefined): AssignmentProgress | null {
  if (!a || !fingerprint) return null;
  return a.people.find((p) => p.fingerprint === fingerprint) ?? null;
}

/** Credit codes assigned to the person with `fingerprint`, and whether each is done. */
export function queueOf(a: Assignments | null, fingerprint: string | null | undefined): Map<string, boolean> {
  const out = new Map<string, boolean>();
  if (!a || !fingerprint) return out;
  for (const x of a.assignments) {
    if (x.fingerprint !== fingerprint) continue;
    // an application assigned by several clauses is done when all of them are
    out.set(x.creditCode, (out.get(x.creditCode) ?? true) && x.done);
  }
  return out;
}

export interface DeskFilter {
  /** Only the person's own assignments. */
  mineOnly: boolean;
  /** A label, or 'all'. */
  label: string;
}

export const NO_DESK_FILTER: DeskFilter = { mineOnly: false, label: 'all' };

/**
 * The list as the person sees it: their unfinished assignments first, then
 * their finished ones, then everything else, each group in the list's own
 * order; filtered to their own and to a label when asked.
 */
export function deskView(
  rows: readonly ApplicationRow[],
  queue: ReadonlyMap<string, boolean>,
  labels: Readonly<Record<string, string[]>>,
  f: DeskFilter,
): ApplicationRow[] {
  const rank = (r: ApplicationRow) => {
    const done = r.creditCode ? queue.get(r.creditCode) : undefined;
    return done === undefined ? 2 : done ? 1 : 0;
  };
  const kept = rows.filter((r) => {
    if (f.mineOnly && rank(r) === 2) return false;
    if (f.label !== 'all' && !(r.creditCode && (labels[r.creditCode] ?? []).includes(f.label))) return false;
    return true;
  });
  if (queue.size === 0) return kept;
  // a stable partition: Array.prototype.sort is stable
  return kept.map((r, i) => [rank(r), i, r] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
}

/** Every label in use, sorted. */
export function labelsInUse(labels: Readonly<Record<string, string[]>>): string[] {
  return [...new Set(Object.values(labels).flat())].sort((a, b) => a.localeCompare(b, 'zh-CN'));
}

/** The spread as the comparison colours it: above the guide's threshold, or within it; one reviewer has no spread. */
export function spreadLevel(p: ProjectSpread): 'over' | 'within' | 'single' {
  if (p.reviewers.length < 2) return 'single';
  return p.overThreshold ? 'over' : 'within';
}
