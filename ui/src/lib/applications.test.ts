import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUERY,
  SAVED_FILTERS_KEY,
  loadSavedFilters,
  nextSort,
  normaliseSearch,
  queryRows,
  sortClauses,
  withSavedFilter,
  savedFiltersKey,
  type ListQuery,
} from './applications';
import type { ApplicationRow } from '../types';

const row = (id: number, over: Partial<ApplicationRow> = {}): ApplicationRow => ({
  submissionId: id,
  creditCode: `9150010300000000${String(id).padStart(2, '0')}`,
  applicant: `单位${id}`,
  round: 2026,
  status: 'ok',
  version: 1,
  fileName: `${id}.xlsx`,
  importedAt: `2026-03-0${id}T09:00:00+08:00`,
  errorCount: 0,
  warningCount: 0,
  clauses: ['C1'],
  district: '渝中区',
  stage: 'scored',
  awardYuan: null,
  ...over,
});

const rows = [
  row(1, { applicant: '重庆渝算智能科技有限公司', creditCode: '91500103MA5U7K2P39', clauses: ['C1'] }),
  row(2, { applicant: '重庆芯图算力技术有限公司', creditCode: '91500103MA61QX3D6W', clauses: ['C2b', 'C2a'] }),
  row(3, { applicant: '重庆渝数未来科技有限公司', creditCode: null, status: 'needs_correction', errorCount: 2, warningCount: 1 }),
  row(4, { applicant: null, creditCode: '52500103MB1C9W4EX0', clauses: ['C3'], version: 2 }),
];

const ids = (r: ApplicationRow[]) => r.map((x) => x.submissionId);

describe('search', () => {
  it('normalises full-width text and case', () => {
    expect(normaliseSearch('９１５００１０３ＭＡ ')).toBe('91500103ma');
  });
  it('finds by applicant name, credit code or file name', () => {
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, search: '渝算' }))).toEqual([1]);
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, search: 'ma61qx' }))).toEqual([2]);
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, search: '５２５００' }))).toEqual([4]);
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, search: '3.xlsx' }))).toEqual([3]);
  });
  it('copes with null names and codes', () => {
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, search: '单位' }))).toEqual([]);
  });
});

describe('filter and sort', () => {
  it('filters by status', () => {
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, status: 'needs_correction' }))).toEqual([3]);
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, status: 'ok' })).sort()).toEqual([1, 2, 4]);
  });
  it('sorts by import time, newest first by default', () => {
    expect(ids(queryRows(rows, DEFAULT_QUERY))).toEqual([4, 3, 2, 1]);
  });
  it('sorts by issues', () => {
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, sortKey: 'issues', sortDir: 'desc' }))[0]).toBe(3);
  });
  it('puts needs-correction first when sorting by status ascending', () => {
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, sortKey: 'status', sortDir: 'asc' }))[0]).toBe(3);
  });
  it('sorts missing names and codes last', () => {
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, sortKey: 'applicant', sortDir: 'asc' })).at(-1)).toBe(4);
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, sortKey: 'creditCode', sortDir: 'asc' })).at(-1)).toBe(3);
  });
  it('sorts by clause in the guide order', () => {
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, sortKey: 'clauses', sortDir: 'asc' }))).toEqual([1, 3, 2, 4]);
  });
  it('sorts by version', () => {
    expect(ids(queryRows(rows, { ...DEFAULT_QUERY, sortKey: 'version', sortDir: 'desc' }))[0]).toBe(4);
  });
  it('does not modify its input', () => {
    const copy = [...rows];
    queryRows(rows, { ...DEFAULT_QUERY, sortKey: 'applicant', sortDir: 'desc' });
    expect(rows).toEqual(copy);
  });
  it('handles 10,000 rows quickly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => row(i + 1, { applicant: `单位${(i * 7919) % 10_000}` }));
    const t0 = performance.now();
    const out = queryRows(many, { ...DEFAULT_QUERY, sortKey: 'applicant', sortDir: 'asc', search: '单位1' });
    expect(out.length).toBeGreaterThan(1000);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe('column header clicks', () => {
  it('flips the direction of the current column', () => {
    expect(nextSort({ sortKey: 'applicant', sortDir: 'asc' }, 'applicant')).toEqual({ sortKey: 'applicant', sortDir: 'desc' });
  });
  it('starts a new column in its natural direction', () => {
    expect(nextSort({ sortKey: 'applicant', sortDir: 'desc' }, 'creditCode').sortDir).toBe('asc');
    expect(nextSort({ sortKey: 'applicant', sortDir: 'asc' }, 'issues').sortDir).toBe('desc');
  });
});

it('orders clause ids as the guide does', () => {
  expect(sortClauses(['C4', 'C2b', 'X9', 'C1', 'C2a'])).toEqual(['C1', 'C2a', 'C2b', 'C4', 'X9']);
});

describe('clause and district filters, saved filters', () => {
  const base = {
    submissionId: 1,
    creditCode: '91500103MA5U7K2P39',
    applicant: '重庆渝算智能科技有限公司',
    round: 2026,
    status: 'ok' as const,
    version: 1,
    fileName: '01.xlsx',
    importedAt: '2026-03-02T09:10:00',
    errorCount: 0,
    warningCount: 0,
    clauses: ['C1'],
    district: '渝中区',
    stage: 'scored' as const,
    awardYuan: null,
  };
  const rows = [
    { ...base, submissionId: 1, clauses: ['C1'] },
    { ...base, submissionId: 2, clauses: ['C2a', 'C2b'] },
    { ...base, submissionId: 3, clauses: ['C2a'], district: '江北区' },
    { ...base, submissionId: 4, clauses: [], district: null as unknown as string },
  ];
  const ids = (q: Partial<ListQuery>) => queryRows(rows, { ...DEFAULT_QUERY, ...q }).map((r) => r.submissionId).sort();

  it('keeps only applications claiming the clause', () => {
    expect(ids({ clause: 'C2a' })).toEqual([2, 3]);
    expect(ids({ clause: 'C4' })).toEqual([]);
    expect(ids({ clause: 'all' })).toEqual([1, 2, 3, 4]);
  });

  it('splits Yuzhong applicants from the rest (unknown counts as other)', () => {
    expect(ids({ district: 'home' })).toEqual([1, 2]);
    expect(ids({ district: 'other' })).toEqual([3, 4]);
    expect(ids({ district: 'home', clause: 'C2a' })).toEqual([2]);
  });

  it('saves filters by name (replacing the same name, newest first) and reads back only valid ones', () => {
    const a = { name: '待补正', query: { search: '', status: 'needs_correction' as const, clause: 'all', district: 'all' as const } };
    const b = { name: '江北 C2a', query: { search: '', status: 'all' as const, clause: 'C2a', district: 'other' as const } };
    let list = withSavedFilter([], a);
    list = withSavedFilter(list, b);
    list = withSavedFilter(list, { ...a, query: { ...a.query, clause: 'C1' } });
    expect(list.map((f) => f.name)).toEqual(['待补正', '江北 C2a']);
    expect(list[0].query.clause).toBe('C1');
    expect(withSavedFilter(list, { ...a, name: '   ' })).toHaveLength(2);
    const store = new Map<string, string>([[SAVED_FILTERS_KEY, JSON.stringify([...list, { name: 3 }, { name: 'x', query: { status: 'bogus', clause: 'C9' } }])]]);
    const back = loadSavedFilters({ getItem: (k: string) => store.get(k) ?? null });
    expect(back.map((f) => f.name)).toEqual(['待补正', '江北 C2a', 'x']);
    expect(back[2].query).toEqual({ search: '', status: 'all', clause: 'all', district: 'all', sortKey: 'importedAt', sortDir: 'desc' });
    expect(loadSavedFilters({ getItem: () => 'not json' })).toEqual([]);
  });

  it('saves a view with its sort and desk label, per person, and applies it whole', () => {
    const store = new Map<string, string>();
    const view = {
      name: '我的 C2a',
      query: { search: '', status: 'all' as const, clause: 'C2a', district: 'all' as const, sortKey: 'applicant' as const, sortDir: 'asc' as const },
      desk: { mineOnly: true, label: '待核实' },
    };
    store.set(savedFiltersKey('fp-reviewer-a'), JSON.stringify(withSavedFilter([], view)));
    const get = { getItem: (k: string) => store.get(k) ?? null };
    const back = loadSavedFilters(get, 'fp-reviewer-a');
    expect(back).toEqual([view]);
    // Another person does not see it, nor does the shared key.
    expect(loadSavedFilters(get, 'fp-reviewer-b')).toEqual([]);
    expect(loadSavedFilters(get)).toEqual([]);
    // A bogus sort or label falls back to the defaults.
    store.set(savedFiltersKey('x'), JSON.stringify([{ name: 'v', query: { sortKey: 'rm -rf', sortDir: 'up' }, desk: { label: 3 } }]));
    expect(loadSavedFilters(get, 'x')[0]).toMatchObject({ query: { sortKey: 'importedAt', sortDir: 'desc' }, desk: { mineOnly: false, label: 'all' } });
  });
});
