// Search, filter and sort of the application list (pure functions over rows).
import type { ApplicationRow, SubmissionStatus } from '../types';

/** The district whose applicants this workstation serves; others get a marker in the list (display only). */
export const HOME_DISTRICT = '渝中区';

/** The workbook header of a project's name (shown as the project's title, not as a field). */
export const PROJECT_NAME_LABEL = '项目名称';

export type SortKey =
  | 'applicant'
  | 'creditCode'
  | 'clauses'
  | 'status'
  | 'issues'
  | 'version'
  | 'importedAt';
export type SortDir = 'asc' | 'desc';
export type StatusFilter = 'all' | SubmissionStatus;
/** 'home': applicants registered in HOME_DISTRICT; 'other': everywhere else (or unknown). */
export type DistrictFilter = 'all' | 'home' | 'other';

export interface ListQuery {
  search: string;
  status: StatusFilter;
  /** A clause id (C1, C2a…) the application claims, or 'all'. */
  clause: string;
  district: DistrictFilter;
  sortKey: SortKey;
  sortDir: SortDir;
}

export const DEFAULT_QUERY: ListQuery = {
  search: '',
  status: 'all',
  clause: 'all',
  district: 'all',
  sortKey: 'importedAt',
  sortDir: 'desc',
};

export const CLAUSES = ['C1', 'C2a', 'C2b', 'C3', 'C4'] as const;

/** Whether a row passes the clause and district filters. */
export function matchesFilters(row: ApplicationRow, q: Pick<ListQuery, 'clause' | 'district'>): boolean {
  if (q.clause !== 'all' && !row.clauses.includes(q.clause)) return false;
  if (q.district === 'home' && row.district !== HOME_DISTRICT) return false;
  if (q.district === 'other' && row.district === HOME_DISTRICT) return false;
  return true;
}

/** A named filter the reviewer saved (kept in this computer's local storage). */
/**
 * A saved view: the list's filters, its sort and the desk's label / mine-only
 * filter under a name. Kept per person in localStorage (a window preference,
 * not an act: nothing is signed, audited or sent in a package).
 */
export interface SavedFilter {
  name: string;
  query: Pick<ListQuery, 'search' | 'status' | 'clause' | 'district'> & Partial<Pick<ListQuery, 'sortKey' | 'sortDir'>>;
  /** The desk filter (a label, only mine); absent in filters saved before views had it. */
  desk?: { mineOnly: boolean; label: string };
}

export const SAVED_FILTERS_KEY = 'reviewdesk.savedFilters';

const SORT_KEYS: readonly SortKey[] = ['applicant', 'creditCode', 'clauses', 'status', 'issues', 'version', 'importedAt'];

/** The storage key of a person's saved views (by certificate fingerprint); without one, the shared key. */
export function savedFiltersKey(fingerprint?: string | null): string {
  return fingerprint ? `${SAVED_FILTERS_KEY}:${fingerprint}` : SAVED_FILTERS_KEY;
}

/** The saved views, newest first; unreadable storage or entries give none. */
export function loadSavedFilters(storage: Pick<Storage, 'getItem'> | undefined, fingerprint?: string | null): SavedFilter[] {
  let raw: unknown;
  try {
    raw = JSON.parse(storage?.getItem(savedFiltersKey(fingerprint)) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: SavedFilter[] = [];
  for (const f of raw) {
    const q = f?.query;
    if (typeof f?.name !== 'string' || !q || typeof q !== 'object') continue;
    const view: SavedFilter = {
      name: f.name,
      query: {
        search: typeof q.search === 'string' ? q.search : '',
        status: q.status === 'ok' || q.status === 'needs_correction' ? q.status : 'all',
        clause: (CLAUSES as readonly string[]).includes(q.clause) ? q.clause : 'all',
        district: q.district === 'home' || q.district === 'other' ? q.district : 'all',
        sortKey: SORT_KEYS.includes(q.sortKey) ? q.sortKey : DEFAULT_QUERY.sortKey,
        sortDir: q.sortDir === 'asc' || q.sortDir === 'desc' ? q.sortDir : DEFAULT_QUERY.sortDir,
      },
    };
    const d = f.desk;
    if (d && typeof d === 'object') {
      view.desk = { mineOnly: d.mineOnly === true, label: typeof d.label === 'string' && d.label ? d.label : 'all' };
    }
    out.push(view);
  }
  return out;
}

/** The list with `f` first (a view of the same name replaced), at most 20, blank names refused. */
export function withSavedFilter(list: readonly SavedFilter[], f: SavedFilter): SavedFilter[] {
  const name = f.name.trim().slice(0, 40);
  if (!name) return [...list];
  const view: SavedFilter = { name, query: { ...f.query } };
  if (f.desk) view.desk = { ...f.desk };
  return [view, ...list.filter((x) => x.name !== name)].slice(0, 20);
}

/** Full-width letters and digits → half-width, lower case, no spaces: "９１５００１０３ma" matches "91500103MA". */
export function normaliseSearch(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

export function matchesSearch(row: ApplicationRow, needle: string): boolean {
  if (needle === '') return true;
  return (
    normaliseSearch(row.applicant ?? '').includes(needle) ||
    normaliseSearch(row.creditCode ?? '').includes(needle) ||
    normaliseSearch(row.fileName).includes(needle)
  );
}

const collator = new Intl.Collator('zh-CN', { numeric: true, sensitivity: 'base' });

const CLAUSE_ORDER = ['C1', 'C2a', 'C2b', 'C3', 'C4'];
const clauseRank = (c: string) => {
  const i = CLAUSE_ORDER.indexOf(c);
  return i < 0 ? CLAUSE_ORDER.length : i;
};

/** Clause ids in the guide's order (C1, C2a, C2b, C3, C4), unknown ones last. */
export function sortClauses(clauses: readonly string[]): string[] {
  return [...clauses].sort((a, b) => clauseRank(a) - clauseRank(b) || a.localeCompare(b));
}

// needs_correction first in ascending order: it is what the reviewer acts on.
const STATUS_RANK: Record<string, number> = { needs_correction: 0, ok: 1 };

/** Compares two strings where null/empty sorts last in ascending order. */
function cmpNullable(a: string | null, b: string | null): number {
  const ea = a === null || a === '';
  const eb = b === null || b === '';
  if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1;
  return collator.compare(a, b);
}

function compare(a: ApplicationRow, b: ApplicationRow, key: SortKey): number {
  switch (key) {
    case 'applicant':
      return cmpNullable(a.applicant, b.applicant);
    case 'creditCode':
      return cmpNullable(a.creditCode, b.creditCode);
    case 'clauses': {
      const ka = sortClauses(a.clauses).map(clauseRank);
      const kb = sortClauses(b.clauses).map(clauseRank);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
      return ka.length - kb.length;
    }
    case 'status':
      return (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9);
    case 'issues':
      return a.errorCount - b.errorCount || a.warningCount - b.warningCount;
    case 'version':
      return a.version - b.version;
    case 'importedAt':
      // ISO strings of one producer compare in time order.
      return a.importedAt < b.importedAt ? -1 : a.importedAt > b.importedAt ? 1 : 0;
  }
}

/** Filters by search and status, then sorts (stable; ties by submission id). */
export function queryRows(rows: readonly ApplicationRow[], q: ListQuery): ApplicationRow[] {
  const needle = normaliseSearch(q.search);
  const out = rows.filter(
    (r) => (q.status === 'all' || r.status === q.status) && matchesFilters(r, q) && matchesSearch(r, needle),
  );
  const sign = q.sortDir === 'asc' ? 1 : -1;
  out.sort((a, b) => sign * compare(a, b, q.sortKey) || a.submissionId - b.submissionId);
  return out;
}

/** Clicking a column header: same column flips the direction, a new one starts with its natural direction. */
export function nextSort(q: Pick<ListQuery, 'sortKey' | 'sortDir'>, key: SortKey): Pick<ListQuery, 'sortKey' | 'sortDir'> {
  if (q.sortKey === key) return { sortKey: key, sortDir: q.sortDir === 'asc' ? 'desc' : 'asc' };
  const descFirst: SortKey[] = ['issues', 'importedAt', 'version'];
  return { sortKey: key, sortDir: descFirst.includes(key) ? 'desc' : 'asc' };
}
