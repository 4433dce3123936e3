import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
const listen = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: (...a: unknown[]) => listen(...a) }));

import * as api from './api';
import { ApiError, toApiError } from './api';

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
