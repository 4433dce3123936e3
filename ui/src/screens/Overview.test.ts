// The overview with api.ts mocked: it lays out what the engine counted and
// totalled, and says when there is no budget or no round yet.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import * as api from '../api';
import Overview from './Overview.svelte';
import { i18n } from '../i18n/index.svelte';
import type { BudgetReport, RoundOverview } from '../types';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return { ...actual, roundOverview: vi.fn(), roundBudget: vi.fn(), auditVerify: vi.fn() };
});

const OV: RoundOverview = {
  round: 2026,
  counts: { imported: 6, needsCorrection: 1, eligible: 4, scored: 3, proposed: 1, approved: 0, letterIssued: 2 },
  attention: [
    { kind: 'correction_notice', count: 1, items: [{ submissionId: 6, applicant: '错误示例公司', creditCode: null, note: null }] },
    { kind: 'not_scored', count: 0, items: [] },
    {
      kind: 'panel_scores',
      count: 8,
      items: [{ submissionId: 4, applicant: '重庆智用科技', creditCode: '91500103MA7HJ2LT5M', note: 'AI+政务助手' }],
    },
  ],
  targets: [
    { key: 'enterprises', target: 50, supported: 2, eligible: 4 },
    { key: 'research', target: 3, supported: 1, eligible: 1 },
  ],
  recoveries: [],
};

const BUDGET: BudgetReport = {
  round: 2026,
  guide: 'abc',
  budgetYuan: '2000000.00',
  rule: 'pro_rata',
  applicants: 4,
  totalYuan: '2150000.00',
  frozenYuan: '0.00',
  pending: 1,
  perClause: [
    { clause: 'C1', projects: 1, totalYuan: '650000.00', reducedYuan: null },
    { clause: 'C2a', projects: 2, totalYuan: '1500000.00', reducedYuan: null },
  ],
  overBudget: true,
  overByYuan: '150000.00',
  remainingYuan: null,
  allocations: null,
  reducedTotalYuan: null,
  message: '超出预算',
  messageEn: 'over budget',
};

describe('Overview', () => {
  beforeEach(() => {
    i18n.lang = 'zh-CN';
    vi.mocked(api.roundOverview).mockResolvedValue(OV);
    vi.mocked(api.roundBudget).mockResolvedValue(BUDGET);
    vi.mocked(api.auditVerify).mockResolvedValue({ ok: true, entries: 10, firstBad: null, head: '0f'.repeat(32), message: '' });
  });

  it('shows the counts by status, the budget flagged over, and only what is waiting', async () => {
    const { container } = render(Overview);
    await waitFor(() => expect(container.querySelector('[data-count="imported"] .n')?.textContent).toBe('6'));
    expect(container.querySelector('[data-count="letterIssued"] .n')?.textContent).toBe('2');
    expect(api.roundBudget).toHaveBeenCalledWith(2026);
    expect(screen.getByText('超出预算 150,000.00 元')).toBeTruthy();
    expect(screen.getByText('指南规定：超出预算时按比例核减（精确到分）')).toBeTruthy();
    // 650,000 of 2,000,000 = 32.5 %, on whole fen.
    expect(screen.getByText('占预算 32.5%')).toBeTruthy();
    const att = container.querySelector('#ov-attention-card')!;
    const kinds = [...att.querySelectorAll('li.todo-kind')].map((e) => e.getAttribute('data-kind'));
    expect(kinds).toEqual(['correction_notice', 'panel_scores']);
    expect(within(att as HTMLElement).getByText('另有 7 项')).toBeTruthy();
    const targets = container.querySelector('#ov-targets-card')!;
    expect(targets.textContent).toContain('2 / 50');
    expect(targets.textContent).toContain('1 / 3');
  });

  it('says so when the guide sets no budget, and before any round', async () => {
    vi.mocked(api.roundBudget).mockResolvedValue({ ...BUDGET, budgetYuan: null, overBudget: false, overByYuan: null });
    const first = render(Overview);
    await waitFor(() => expect(screen.getByText(i18n.t.roundView.noBudget)).toBeTruthy());
    first.unmount();
    vi.mocked(api.roundOverview).mockResolvedValue({ ...OV, round: null, attention: [] });
    render(Overview);
    await waitFor(() => expect(screen.getByText(i18n.t.roundView.notScored)).toBeTruthy());
    expect(screen.getByText(i18n.t.roundView.nothingToDo)).toBeTruthy();
  });
});
