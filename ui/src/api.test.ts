import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';

const invoke = vi.fn();
const listen = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: (...a: unknown[]) => listen(...a) }));

import * as api from './api';
import { ApiError, toApiError } from './api';
import type { FromWire } from './types';

describe('toApiError', () => {
  it('keeps the code and message of a command error', () => {
    const e = toApiError({ code: 'not_found', message: '没有这份申报。' });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('not_found');
    expect(e.message).toBe('没有这份申报。');
  });
  it('wraps a bare string', () => {
    expect(toApiError('boom')).toMatchObject({ code: 'unknown', message: 'boom' });
  });
  it('wraps an Error without exposing its stack', () => {
    const e = toApiError(new TypeError('bad thing'));
    expect(e).toMatchObject({ code: 'unknown', message: 'bad thing' });
  });
  it('passes an ApiError through', () => {
    const a = new ApiError('x', 'y');
    expect(toApiError(a)).toBe(a);
  });
  it('copes with nothing at all', () => {
    expect(toApiError(undefined).code).toBe('unknown');
  });
});

describe('commands inside Tauri', () => {
  beforeEach(() => {
    (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
    invoke.mockReset();
    listen.mockReset();
  });
  afterEach(() => {
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
  });

  it('invokes the contract names with camelCase arguments', async () => {
    invoke.mockResolvedValue({ ok: true });
    await api.appInfo();
    await api.listApplications();
    await api.showApplication(42);
    await api.loadSampleRound();
    await api.importWithDialog();
    await api.auditVerify();
    expect(invoke.mock.calls.map((c) => c[0])).toEqual([
      'app_info',
      'list_applications',
      'show_application',
      'load_sample_round',
      'import_with_dialog',
      'audit_verify',
    ]);
    expect(invoke.mock.calls[2][1]).toEqual({ submissionId: 42 });
    expect(invoke.mock.calls[0][1]).toBeUndefined();
  });

  it('sends the review commands without any typed name (the Rust side signs as the person signed in) and reads the engine snake_case evaluation', async () => {
    invoke.mockResolvedValueOnce({
      evaluation: {
        credit_code: '91500103MA5U7K2P39',
        round: 2026,
        guide: 'abc',
        total_yuan: '650000.00',
        flags: [],
        projects: [
          {
            clause: 'C2b',
            name: 'x',
            eligible: true,
            eligibility: [{ id: 'r', rule: 'r', pass: false, reason: 'y', overruled: 'z' }],
            factors: [{ id: 'f', name: 'n', weight: '0.5', value: '1_000', source_cell: 'C1!E3', certified: true, points: null, panel: [], disagreement: false }],
            score: null,
            computed_yuan: '300000.00',
            award_yuan: null,
            superseded_by: 'C2a',
            lines: [{ label: 'a_b', value: 'c_d' }],
          },
        ],
      },
      decision: null,
      unavailable: null,
    });
    const r = await api.explainApplication(7);
    const p = r.evaluation!.projects[0];
    expect(r.evaluation!.totalYuan).toBe('650000.00');
    expect(p.supersededBy).toBe('C2a');
    expect(p.computedYuan).toBe('300000.00');
    expect(p.factors[0].sourceCell).toBe('C1!E3');
    expect(p.factors[0].value).toBe('1_000');
    expect(p.lines[0]).toEqual({ label: 'a_b', value: 'c_d' });

    invoke.mockResolvedValue(null);
    await api.scoreRound(2026);
    await api.recordPanelScore({ creditCode: 'X', clause: 'C3', project: 'p', factor: 'f', points: '8' });
    await api.proposeDecision('X');
    await api.approveDecision('X');
    await api.returnDecision('X', '核对');
    await api.signIn('/tmp/me.p12', 'pw');
    expect(invoke.mock.calls.slice(1)).toEqual([
      ['score_round', { year: 2026 }],
      ['record_panel_score', { creditCode: 'X', clause: 'C3', project: 'p', factor: 'f', points: '8' }],
      ['propose_decision', { creditCode: 'X' }],
      ['approve_decision', { creditCode: 'X' }],
      ['return_decision', { creditCode: 'X', comment: '核对' }],
      ['sign_in', { spec: '/tmp/me.p12', password: 'pw' }],
    ]);
  });

  it('returns null when the reviewer cancels the file dialog', async () => {
    invoke.mockResolvedValue(null);
    await expect(api.importWithDialog()).resolves.toBeNull();
  });

  it('turns a rejected command into an ApiError', async () => {
    invoke.mockRejectedValue({ code: 'db_locked', message: '数据库正被另一个程序使用。' });
    const err = await api.listApplications().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'db_locked', message: '数据库正被另一个程序使用。' });
  });

  it('subscribes to events and hands over the payload only', async () => {
    const unlisten = vi.fn();
    listen.mockImplementation(async (_name: string, cb: (e: { payload: unknown }) => void) => {
      cb({ payload: { done: 1, total: 8, file: '01-supply-clean.xlsx' } });
      return unlisten;
    });
    const got: unknown[] = [];
    const off = await api.onImportProgress((p) => got.push(p));
    expect(listen.mock.calls[0][0]).toBe('import-progress');
    expect(got).toEqual([{ done: 1, total: 8, file: '01-supply-clean.xlsx' }]);
    off();
    expect(unlisten).toHaveBeenCalled();
    await api.onImportFinished(() => {});
    expect(listen.mock.calls[1][0]).toBe('import-finished');
  });
});

describe('fromWire', () => {
  it('accepts the engine snake_case keys as the camelCase contract', () => {
    const row = api.fromWire<import('./types').ApplicationRow>({
      submission_id: 3,
      credit_code: '91500103MA5U7K2P39',
      file_name: 'a.xlsx',
      imported_at: '2026-03-02T01:14:05Z',
      error_count: 0,
      warning_count: 1,
    });
    expect(row).toMatchObject({ submissionId: 3, creditCode: '91500103MA5U7K2P39', fileName: 'a.xlsx', warningCount: 1 });
  });

  it('leaves workbook labels and values alone', () => {
    const d = api.fromWire<import('./types').ApplicationDetail>({
      fields: { 'odd_label': { value: { nested_key: 1 }, raw: 'x', cell: '申报单位!B2' } },
      other_support: [{ 支持_金额: { value: '1.00', raw: '1', cell: '其他政策支持!C2' } }],
      issues: [{ message_en: 'x', first_bad: null }],
    });
    expect(Object.keys(d.fields)).toEqual(['odd_label']);
    expect(d.fields.odd_label.value).toEqual({ nested_key: 1 });
    expect(Object.keys(d.otherSupport![0])).toEqual(['支持_金额']);
    expect(d.issues[0].messageEn).toBe('x');
  });

  it('keeps camelCase input as it is', () => {
    const x = { submissionId: 1, fields: { 单位名称: { value: 'a', raw: 'a', cell: 'B2' } } };
    expect(api.fromWire(x)).toEqual(x);
  });
});

describe('wire shapes inside Tauri', () => {
  beforeEach(() => {
    (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
    invoke.mockReset();
    listen.mockReset();
  });
  afterEach(() => {
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
  });

  it('normalises command results and event payloads', async () => {
    invoke.mockResolvedValue({ version: '0.1.0', db_path: '/d/r.db', data_dir: '/d' });
    await expect(api.appInfo()).resolves.toEqual({ version: '0.1.0', dbPath: '/d/r.db', dataDir: '/d' });
    listen.mockImplementation(async (_n: string, cb: (e: { payload: unknown }) => void) => {
      cb({ payload: { files: [{ path: 'p', status: 'ok', credit_code: 'c', submission_id: 9, issues: [] }], cancelled: false } });
      return () => {};
    });
    const got: unknown[] = [];
    await api.onImportFinished((r) => got.push(r));
    expect(got[0]).toMatchObject({ files: [{ creditCode: 'c', submissionId: 9 }] });
  });

  it('reports file drags over the window, and whether they are all letters (PDF), without passing paths on', async () => {
    const handlers = new Map<string, (e: { payload: unknown }) => void>();
    listen.mockImplementation(async (name: string, cb: (e: { payload: unknown }) => void) => {
      handlers.set(name, cb);
      return () => handlers.delete(name);
    });
    const got: unknown[][] = [];
    const off = await api.onFileDrag((...args) => got.push(args));
    handlers.get('tauri://drag-enter')!({ payload: { paths: ['/a/x.xlsx', '/a/y.PDF'] } });
    handlers.get('tauri://drag-leave')!({ payload: null });
    handlers.get('tauri://drag-drop')!({ payload: { paths: ['/a/渝中大数据发〔2026〕1号.pdf'] } });
    expect(got).toEqual([
      ['enter', false],
      ['leave', false],
      ['drop', true],
    ]);
    off();
    expect(handlers.size).toBe(0);
  });

  it('tells letters from workbooks by extension only', () => {
    expect(api.allLetters(['/x/a.pdf', 'C:\\b.PDF'])).toBe(true);
    expect(api.allLetters(['/x/a.pdf', '/x/b.xlsx'])).toBe(false);
    expect(api.allLetters([])).toBe(false);
    expect(api.allLetters(undefined)).toBe(false);
    expect(api.allLetters(['/x/pdf'])).toBe(false);
  });

  it('hands a failed drop import over as an ApiError', async () => {
    listen.mockImplementation(async (_n: string, cb: (e: { payload: unknown }) => void) => {
      cb({ payload: { code: 'io', message: '无法读取文件夹。' } });
      return () => {};
    });
    const got: unknown[] = [];
    await api.onImportFailed((e) => got.push(e));
    expect(listen.mock.calls[0][0]).toBe('import-failed');
    expect(got[0]).toBeInstanceOf(ApiError);
    expect(got[0]).toMatchObject({ code: 'io', message: '无法读取文件夹。' });
  });
});

describe('FromWire (the generated wire types as fromWire returns them)', () => {
  it('renames keys to camelCase, keeps optional keys, maps and values as they are', () => {
    type Wire = {
      source_cell: string | null;
      panel_totals?: Array<{ total_yuan: string }>;
      fields: { [key in string]?: { value: string | number; raw_text: string } };
      letter_sha256: string;
    };
    expectTypeOf<FromWire<Wire>>().toEqualTypeOf<{
      sourceCell: string | null;
      panelTotals?: { totalYuan: string }[];
      fields: Record<string, { value: string | number; rawText: string }>;
      letterSha256: string;
    }>();
    const wire: Wire = { source_cell: null, fields: { 申报_单位: { value: 1, raw_text: '1' } }, letter_sha256: 'ab' };
    expect(api.fromWire<FromWire<Wire>>(wire)).toEqual({
      sourceCell: null,
      fields: { 申报_单位: { value: 1, rawText: '1' } },
      letterSha256: 'ab',
    });
  });
});
