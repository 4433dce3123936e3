// The review section (#review) with api.ts mocked: it shows what the engine computed.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import * as api from '../api';
import { ApiError } from '../api';
import ReviewSection from './ReviewSection.svelte';
import { signInForTest } from '../test-people';
import { letterDesk } from '../state/letters.svelte';
import { workbench } from '../state/workbench.svelte';
import { i18n } from '../i18n/index.svelte';
import { forgetDrafts } from '../state/drafts';
import type { Decision, Evaluation, ProjectResult, Review } from '../types';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return {
    ...actual,
    explainApplication: vi.fn(),
    scoreRound: vi.fn(),
    recordPanelScore: vi.fn(),
    proposeDecision: vi.fn(),
    approveDecision: vi.fn(),
    returnDecision: vi.fn(),
    signOut: vi.fn(),
  };
});

const CC = '91500103MA5U7K2P39';

const C1: ProjectResult = {
  clause: 'C1',
  name: '渝中智算中心',
  eligible: true,
  eligibility: [
    { id: 'reg', rule: '注册地在渝中区', ruleEn: '', pass: true, reason: '注册区县：渝中区', reasonEn: '' },
    { id: 'inv', rule: '总投资不低于 500 万元', ruleEn: '', pass: false, reason: '480 万元', reasonEn: '', overruled: '追加投资已到位' },
  ],
  factors: [
    { id: 'cap', name: '算力规模', weight: '1', value: '130', sourceCell: 'C1-算力供给!F3', certified: true, points: null, disagreement: false, nameEn: '' },
  ],
  score: null,
  computedYuan: '2800000.00',
  awardYuan: '650000.00',
  supersededBy: null,
  lines: [
    { label: '项目总投资', value: '56,000,000.00 元', labelEn: '', valueEn: '' },
    { label: '测算', value: '2,800,000.00 元 → 封顶 650,000.00 元', labelEn: '', valueEn: '' },
  ],
  disagreement: false,
};

const C3: ProjectResult = {
  clause: 'C3',
  name: '算力消纳项目',
  eligible: true,
  eligibility: [],
  factors: [
    { id: 'innovation', name: '技术先进性', weight: '10', value: null, sourceCell: null, certified: false, points: null, panel: ['张三 6'], disagreement: true, nameEn: '' },
  ],
  score: null,
  computedYuan: null,
  awardYuan: null,
  supersededBy: null,
  lines: [],
  disagreement: false,
};

const C2B: ProjectResult = { ...C1, clause: 'C2b', name: '国产化项目', awardYuan: null, supersededBy: 'C2a', lines: [] };

const evaluation = (projects: ProjectResult[]): Evaluation => ({
  creditCode: CC,
  round: 2026,
  guide: 'abcdef0123456789',
  projects,
  flags: [{ code: 'double_claim', message: '可能重复申报：已获区级同类补贴', messageEn: '' }],
  totalYuan: null,
});

const review = (projects: ProjectResult[], decision: Decision | null = null): Review => ({
  evaluation: evaluation(projects),
  decision,
  unavailable: null,
  minScores: null,
});

const explain = vi.mocked(api.explainApplication);

beforeEach(() => {
  vi.clearAllMocks();
  i18n.set('zh-CN');
  signInForTest('李四');
  forgetDrafts();
});

describe("the guide's minimum of panel scores (issue 17 item 4)", () => {
  it('is shown before proposing, and 提交决定 waits for it instead of refusing after the click', async () => {
    const scored: ProjectResult = { ...C3, awardYuan: '120000.00', factors: [{ ...C3.factors[0], points: '7', panel: ['张三 6', '李四 8'] }] };
    explain.mockResolvedValue({ ...review([scored]), minScores: 3 });
    const { container } = render(ReviewSection, { submissionId: 3 });
    await waitFor(() => expect(container.querySelector('.min-scores')).toBeTruthy());
    const min = container.querySelector<HTMLElement>('.min-scores')!;
    expect(min.textContent).toContain('已有 2 份');
    expect(min.textContent).toContain('至少 3 份');
    expect(container.querySelector<HTMLButtonElement>('#propose')!.disabled).toBe(true);
    expect(container.querySelector('#propose-blocked')!.textContent).toContain('不足 3 份');
  });

  it('does not hold back a project the panel has not scored at all (superseded, as the engine counts)', async () => {
    const superseded: ProjectResult = { ...C3, awardYuan: '0.00', supersededBy: 'C2a' as never, factors: [{ ...C3.factors[0], points: null, panel: [] }] };
    explain.mockResolvedValue({ ...review([C1, superseded]), minScores: 3 });
    const { container } = render(ReviewSection, { submissionId: 3 });
    await waitFor(() => expect(container.querySelector('#decision-bar')).toBeTruthy());
    expect(container.querySelector<HTMLButtonElement>('#propose')!.disabled).toBe(false);
  });

  it('lets the proposal through once every panel factor has enough', async () => {
    const scored: ProjectResult = {
      ...C3,
      awardYuan: '120000.00',
      factors: [{ ...C3.factors[0], points: '7', panel: ['张三 6', '李四 8', '王五 7'] }],
    };
    explain.mockResolvedValue({ ...review([scored]), minScores: 3 });
    const { container } = render(ReviewSection, { submissionId: 3 });
    await waitFor(() => expect(container.querySelector('.min-scores')).toBeTruthy());
    expect(container.querySelector<HTMLButtonElement>('#propose')!.disabled).toBe(false);
    expect(container.querySelector('#propose-blocked')).toBeNull();
  });
});

describe('messages in one language (issue 17 item 8)', () => {
  it("shows only the interface language's half of an engine message", async () => {
    explain.mockResolvedValue({
      evaluation: null,
      decision: null,
      unavailable: '2026 年度尚未评分，请先运行 score / round 2026 has not been scored yet: run score first',
      minScores: null,
    });
    const { container } = render(ReviewSection, { submissionId: 9 });
    await waitFor(() => expect(container.querySelector('.unavailable')).toBeTruthy());
    expect(container.querySelector('.unavailable')!.textContent).toBe('2026 年度尚未评分，请先运行 score');
    vi.mocked(api.scoreRound).mockRejectedValue(
      new ApiError('round_closed', '2026 年度评审已结束 / round 2026 is closed', '2026 年度评审已结束', 'round 2026 is closed'),
    );
    await fireEvent.click(container.querySelector('#score-round')!);
    await waitFor(() => expect(container.querySelector('.action-error')).toBeTruthy());
    expect(container.querySelector('.action-error')!.textContent).toBe('2026 年度评审已结束');
  });
});

describe('scoring beside the evidence (issue 17)', () => {
  it("shows the project's workbook cells next to the panel form", async () => {
    explain.mockResolvedValue(review([C3]));
    const evidence = [
      {
        clause: 'C3',
        name: '算力消纳项目',
        fields: {
          项目名称: { value: '算力消纳项目', raw: '算力消纳项目', cell: 'C3-算力消纳!B3' },
          算力费用: { value: '1200000.00', raw: '120万', cell: 'C3-算力消纳!D3' },
        },
      },
    ];
    const { container } = render(ReviewSection, { submissionId: 3, evidence });
    await waitFor(() => expect(container.querySelector('.evidence')).toBeTruthy());
    const box = container.querySelector<HTMLElement>('.score-beside')!;
    expect(box.querySelector('.panel-entry')).toBeTruthy();
    const cell = box.querySelector<HTMLElement>('.evidence [data-cell="C3-算力消纳!D3"]')!;
    expect(cell.textContent).toContain('C3-算力消纳!D3');
    expect(cell.textContent).toContain('1,200,000.00');
    // the project's name is its heading already, not a row of the evidence
    expect(box.querySelector('.evidence [data-cell="C3-算力消纳!B3"]')).toBeNull();
  });
});

describe('review section', () => {
  it('renders the eligibility, factors, explanation lines and the award from the engine', async () => {
    explain.mockResolvedValue(review([C1]));
    render(ReviewSection, { submissionId: 1 });
    const card = await screen.findByText('渝中智算中心').then((el) => el.closest('.project-review') as HTMLElement);
    expect(card.dataset.clause).toBe('C1');
    expect(card.querySelector('.award')!.textContent).toBe('650,000.00 元');
    const lines = card.querySelectorAll('.explain-line');
    expect(lines).toHaveLength(2);
    expect(lines[1].textContent).toContain('封顶 650,000.00 元');
    expect(within(card).getByText('核定值')).toBeTruthy();
    expect(within(card).getByText('C1-算力供给!F3')).toBeTruthy();
    expect(card.textContent).toContain('已否决：追加投资已到位');
    expect(card.querySelector('.rule.fail .mark')!.textContent).toBe('✗');
    expect(screen.getByText(/可能重复申报/)).toBeTruthy();
    expect(explain).toHaveBeenCalledWith(1);
  });

  it('shows supersession instead of an amount', async () => {
    explain.mockResolvedValue(review([C2B]));
    const { container } = render(ReviewSection, { submissionId: 1 });
    await waitFor(() => expect(container.querySelector('[data-clause="C2b"] .award')).toBeTruthy());
    expect(container.querySelector('[data-clause="C2b"] .award')!.textContent).toBe('已被 C2a 取代（就高不重复）');
  });

  it('shows "awaiting panel", saves panel scores and reloads the engine result', async () => {
    explain.mockResolvedValueOnce(review([C3])).mockResolvedValueOnce(
      review([{ ...C3, awardYuan: '120000.00', factors: [{ ...C3.factors[0], points: '7', panel: ['张三 6', '李四 8'] }] }]),
    );
    vi.mocked(api.recordPanelScore).mockResolvedValue(null);
    const { container } = render(ReviewSection, { submissionId: 3 });
    await waitFor(() => expect(container.querySelector('.panel-input')).toBeTruthy());
    expect(container.querySelector('.award')!.textContent).toBe('待专家评分');
    expect(container.textContent).toContain('专家评分差异较大');
    const input = container.querySelector<HTMLInputElement>('.panel-input[data-factor="innovation"]')!;
    await fireEvent.input(input, { target: { value: '8' } });
    await fireEvent.click(container.querySelector('.save-panel')!);
    await waitFor(() => expect(container.querySelector('.award')!.textContent).toBe('120,000.00 元'));
    expect(api.recordPanelScore).toHaveBeenCalledWith({
      creditCode: CC,
      clause: 'C3',
      project: '算力消纳项目',
      factor: 'innovation',
      points: '8',
    });
    expect(explain).toHaveBeenCalledTimes(2);
    // the save is confirmed where it happened, not by the input silently emptying (issue 17 item 9)
    expect(container.querySelector('#panel-saved')!.textContent).toContain('已保存 1 项专家评分');
  });

  it("shows each panel factor's own range and refuses points above it at the field", async () => {
    explain.mockResolvedValue(review([C3]));
    vi.mocked(api.recordPanelScore).mockClear();
    const { container } = render(ReviewSection, { submissionId: 3 });
    await waitFor(() => expect(container.querySelector('.panel-input')).toBeTruthy());
    const input = container.querySelector<HTMLInputElement>('.panel-input[data-factor="innovation"]')!;
    expect(input.placeholder).toBe('0–10');
    expect(container.querySelector('.panel-entry')!.textContent).toContain('（0–10 分）');
    await fireEvent.input(input, { target: { value: '11' } });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await fireEvent.click(container.querySelector('.save-panel')!);
    const alert = await waitFor(() => container.querySelector('.panel-entry [role="alert"]')!);
    expect(alert.textContent).toContain('0 到 10 之间');
    expect(api.recordPanelScore).not.toHaveBeenCalled();
  });

  it('puts the outcome, what is missing and the next step at the top', async () => {
    explain.mockResolvedValue(review([C1, C3]));
    const { container, rerender } = render(ReviewSection, { submissionId: 1 });
    await waitFor(() => expect(container.querySelector('#review-summary')).toBeTruthy());
    const summary = container.querySelector<HTMLElement>('#review-summary')!;
    expect(summary.dataset.verdict).toBe('awaiting_panel');
    expect(summary.textContent).toContain('还缺：1 个项目的专家评分');
    expect(summary.textContent).toContain('专家在下方');
    explain.mockResolvedValue({ ...review([C1]), evaluation: { ...evaluation([C1]), totalYuan: '650000.00' } });
    await rerender({ submissionId: 2 });
    await waitFor(() => expect(container.querySelector<HTMLElement>('#review-summary')!.dataset.verdict).toBe('supported'));
    const text = container.querySelector('#review-summary')!.textContent!;
    expect(text).toContain('拟给予扶持');
    expect(text).toContain('650,000.00');
    expect(text).toContain('提交决定');
  });

  it('keeps typed points when another application is opened, and brings them back', async () => {
    explain.mockResolvedValue(review([C3]));
    const { container, rerender } = render(ReviewSection, { submissionId: 3 });
    await waitFor(() => expect(container.querySelector('.panel-input')).toBeTruthy());
    const field = () => container.querySelector<HTMLInputElement>('.panel-input[data-factor="innovation"]')!;
    await fireEvent.input(field(), { target: { value: '7' } });
    // another application, then back: the draft is there
    await rerender({ submissionId: 5 });
    await waitFor(() => expect(field().value).toBe(''));
    await rerender({ submissionId: 3 });
    await waitFor(() => expect(field().value).toBe('7'));
    expect(api.recordPanelScore).not.toHaveBeenCalled();
    // another person does not see it
    forgetDrafts();
    await rerender({ submissionId: 5 });
    await rerender({ submissionId: 3 });
    await waitFor(() => expect(field().value).toBe(''));
  });

  it('keeps 提交决定 disabled while a project awaits panel scores, and says why beside it', async () => {
    explain.mockResolvedValue(review([C1, C3]));
    const { container } = render(ReviewSection, { submissionId: 1 });
    await waitFor(() => expect(container.querySelector('#decision-bar')).toBeTruthy());
    expect(container.querySelector<HTMLButtonElement>('#propose')!.disabled).toBe(true);
    expect(container.querySelector('#propose-blocked')!.textContent).toContain('1 个项目待专家评分');
    explain.mockResolvedValue(review([C1]));
  });

  it('sends approval to the Decisions screen, where the certificate is used', async () => {
    const decision: Decision = {
      id: 1,
      creditCode: CC,
      round: 2026,
      state: 'proposed',
      proposedBy: '李四',
      proposedAt: '2026-03-05T10:00:00',
      approvedBy: null,
      approvedAt: null,
      comment: null,
      figures: evaluation([C1]),
    };
    explain.mockResolvedValue(review([C1], decision));
    const { container } = render(ReviewSection, { submissionId: 1 });
    await waitFor(() => expect(container.querySelector('#decision-bar')).toBeTruthy());
    const bar = container.querySelector<HTMLElement>('#decision-bar')!;
    expect(bar.dataset.state).toBe('proposed');
    expect(container.querySelector<HTMLButtonElement>('#propose')!.disabled).toBe(true);
    await fireEvent.click(container.querySelector('#approve')!);
    expect(workbench.screen).toBe('decisions');
    expect(letterDesk.focus).toBe(CC);
    expect(api.approveDecision).not.toHaveBeenCalled();
  });

  it('returns with a comment, and asks to sign in when nobody is signed in', async () => {
    const decision: Decision = {
      id: 1,
      creditCode: CC,
      round: 2026,
      state: 'proposed',
      proposedBy: '王五',
      proposedAt: '2026-03-05T10:00:00',
      approvedBy: null,
      approvedAt: null,
      comment: null,
      figures: evaluation([C1]),
    };
    explain.mockResolvedValue(review([C1], decision));
    vi.mocked(api.returnDecision).mockResolvedValue({ ...decision, state: 'returned', comment: '核对投资额' });
    const { container } = render(ReviewSection, { submissionId: 1 });
    await waitFor(() => expect(container.querySelector('#return-decision')).toBeTruthy());
    await fireEvent.click(container.querySelector('#return-decision')!);
    await fireEvent.input(container.querySelector('#return-comment')!, { target: { value: '核对投资额' } });
    signInForTest(null);
    await fireEvent.click(container.querySelector('#return-confirm')!);
    expect(screen.getByRole('alert').textContent).toContain('登录');
    expect(api.returnDecision).not.toHaveBeenCalled();
    signInForTest('李四');
    await fireEvent.click(container.querySelector('#return-confirm')!);
    await waitFor(() => expect(api.returnDecision).toHaveBeenCalledWith(CC, '核对投资额'));
  });

  it('shows the engine English in the English interface, the Chinese where it sent none', async () => {
    const en: ProjectResult = {
      ...C1,
      eligibility: [{ id: 'reg', rule: '注册地在渝中区', ruleEn: 'registered in Yuzhong', pass: true, reason: '注册区县：渝中区', reasonEn: 'district: Yuzhong' }],
      factors: [{ ...C1.factors[0], name: '算力规模', nameEn: 'Compute scale' }],
      lines: [{ label: '扶持金额', labelEn: 'Award', value: '650,000.00 元', valueEn: '650,000.00 yuan' }, { label: '旧行', value: '无英文', labelEn: '', valueEn: '' }],
    };
    explain.mockResolvedValue(review([en]));
    i18n.set('en');
    const { container } = render(ReviewSection, { submissionId: 1 });
    await waitFor(() => expect(container.querySelector('.rule')).toBeTruthy());
    expect(container.querySelector('.rule')!.textContent).toContain('registered in Yuzhong — district: Yuzhong');
    expect(container.querySelector('tr[data-factor="cap"] td')!.textContent).toContain('Compute scale');
    const lines = [...container.querySelectorAll('.explain-line')].map((l) => l.textContent);
    expect(lines).toEqual(['Award650,000.00 yuan', '旧行无英文']);
    i18n.set('zh-CN');
  });

  it('shows why there is nothing yet and scores the round on request', async () => {
    explain
      .mockResolvedValueOnce({ evaluation: null, decision: null, unavailable: '2026 年度尚未评分', minScores: null })
      .mockResolvedValueOnce(review([C1]));
    vi.mocked(api.scoreRound).mockResolvedValue({} as never);
    const { container } = render(ReviewSection, { submissionId: 1 });
    await screen.findByText('2026 年度尚未评分');
    await fireEvent.click(container.querySelector('#score-round')!);
    await waitFor(() => expect(container.querySelector('.award')?.textContent).toBe('650,000.00 元'));
    expect(api.scoreRound).toHaveBeenCalledWith(2026);
  });
});

describe('who is acting', () => {
  it('the header shows the person signed in, their roles and 测试, and signs out on request', async () => {
    vi.mocked(api.signOut).mockResolvedValue(null);
    const { default: ReviewerName } = await import('./ReviewerName.svelte');
    signInForTest('李审批', ['approver']);
    const { container } = render(ReviewerName);
    expect(container.querySelector('#acting-holder')!.textContent).toBe('李审批');
    expect(container.querySelector('#acting-person')!.textContent).toContain('审批');
    expect(container.querySelector('#acting-person')!.textContent).toContain('测试');
    await fireEvent.click(container.querySelector('#sign-out')!);
    await waitFor(() => expect(container.querySelector('#acting-person')).toBeNull());
    expect(api.signOut).toHaveBeenCalled();
  });
});
