// The queue's state with api.ts mocked: filters and the open application.
import { describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import type { ApplicationRow } from '../types';
import { Workbench } from './workbench.svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return {
    ...actual,
    showApplication: vi.fn(async (id: number) => ({ submissionId: id })),
    listApplications: vi.fn(async () => []),
    auditVerify: vi.fn(async () => ({ ok: true, entries: 0, problems: [] })),
  };
});

const row = (submissionId: number, applicant: string, clauses: string[]): ApplicationRow => ({
  submissionId,
  creditCode: `91500103MA5U0000${submissionId}X`,
  applicant,
  round: 2026,
  status: 'ok',
  version: 1,
  fileName: `${submissionId}.xlsx`,
  importedAt: '2026-11-26T10:00:00Z',
  errorCount: 0,
  warningCount: 0,
  clauses,
  district: '渝中区',
  stage: 'scored',
  awardYuan: null,
});

describe('filtering the queue with an application open', () => {
  it('moves the detail to the first match when the filter hides the open one', async () => {
    const wb = new Workbench();
    wb.rows = [row(1, '重庆渝算智能科技有限公司', ['C1']), row(2, '重庆朝天门智慧物流有限公司', ['C4'])];
    await wb.openDetail(1);
    expect(wb.detailId).toBe(1);

    wb.setQuery({ clause: 'C4' });
    expect(wb.selectedId).toBe(2);
    expect(wb.detailId).toBe(2);
    expect(api.showApplication).toHaveBeenLastCalledWith(2);
  });

  it('keeps the open application while it still matches', async () => {
    const wb = new Workbench();
    wb.rows = [row(1, '重庆渝算智能科技有限公司', ['C1', 'C4']), row(2, '重庆朝天门智慧物流有限公司', ['C4'])];
    await wb.openDetail(1);
    wb.setQuery({ clause: 'C4' });
    expect(wb.detailId).toBe(1);
    expect(wb.selectedId).toBe(1);
  });

  it('closes the detail when nothing matches', async () => {
    const wb = new Workbench();
    wb.rows = [row(1, '重庆渝算智能科技有限公司', ['C1'])];
    await wb.openDetail(1);
    wb.setQuery({ search: '没有这家单位' });
    expect(wb.selectedId).toBeNull();
    expect(wb.detailId).toBeNull();
    expect(wb.detail.state).toBe('idle');
  });
});

describe('after an act', () => {
  it("reloads the open application, so its 审计记录 count includes the act (issue 17 item 9)", async () => {
    const wb = new Workbench();
    const history = [{ id: 1 }];
    vi.mocked(api.showApplication).mockImplementation(async (id: number) => ({ submissionId: id, history: [...history] }) as never);
    await wb.openDetail(3);
    expect(wb.detail.state === 'ready' && wb.detail.value.history.length).toBe(1);
    history.push({ id: 2 }); // the proposal's audit entry
    await wb.afterAct();
    await vi.waitFor(() => expect(wb.detail.state === 'ready' && wb.detail.value.history.length).toBe(2));
    expect(wb.detailId).toBe(3);
  });
});
