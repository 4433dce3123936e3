import { describe, expect, it } from 'vitest';
import { correctionsDue, decisionQueue, numbers, pdfDate, readyToIssue, shaPrefix, titleProjects } from './letters';
import type { ApplicationRow, Decision, DecisionRow, DecisionState, LetterRow } from '../types';

const row = (code: string, state: DecisionState): DecisionRow => ({
  applicant: `单位${code}`,
  submissionId: 1,
  decision: {
    id: Number(code),
    creditCode: code,
    round: 2026,
    state,
    proposedBy: '张审核',
    proposedAt: '2026-11-26T09:00:00Z',
    approvedBy: state === 'proposed' ? null : '测试签章（TEST ONLY）李审批',
    approvedAt: null,
    comment: null,
    figures: { creditCode: code, round: 2026, guide: 'g', projects: [], flags: [], totalYuan: '1.00' },
  } as Decision,
});

describe('decision queue', () => {
  const rows = [row('1', 'issued'), row('2', 'proposed'), row('3', 'approved'), row('4', 'proposed'), row('5', 'returned')];

  it('shows only proposed decisions by default, in the order given (oldest first)', () => {
    expect(decisionQueue(rows, 'proposed').map((r) => r.decision.creditCode)).toEqual(['2', '4']);
  });

  it('lists everything with the work still to do first', () => {
    expect(decisionQueue(rows, 'all').map((r) => r.decision.state)).toEqual(['proposed', 'proposed', 'approved', 'returned', 'issued']);
  });

  it('offers approved decisions for issuing, and nothing else', () => {
    expect(readyToIssue(rows).map((r) => r.decision.creditCode)).toEqual(['3']);
  });
});


describe('letter helpers', () => {
  it('groups a fingerprint prefix for reading', () => {
    expect(shaPrefix('a28e4bb93311a61c7d7ac0a4')).toBe('a28e 4bb9 3311 a61c');
    expect(shaPrefix('abc')).toBe('abc');
  });

  it('joins document numbers', () => {
    const l = (n: string) => ({ number: n }) as LetterRow;
    expect(numbers([l('渝中大数据发〔2026〕1号'), l('渝中大数据发〔2026〕2号')], '、')).toBe('渝中大数据发〔2026〕1号、渝中大数据发〔2026〕2号');
    // with the kinds' names: a decision's approval and refusal, said apart
    const refusal = { ...l('渝中大数据发〔2026〕2号'), kind: 'refusal' as const };
    const approval = { ...l('渝中大数据发〔2026〕1号'), kind: 'approval' as const };
    expect(numbers([approval, refusal], '、', { approval: '给予扶持的决定', refusal: '不予扶持的决定' })).toBe(
      '渝中大数据发〔2026〕1号（给予扶持的决定）、渝中大数据发〔2026〕2号（不予扶持的决定）',
    );
  });

  it('reads PDF signing times', () => {
    // shown in the computer's zone with the zone named, never as UTC +00:00 (issue 17 item 8)
    expect(pdfDate("D:20261126092241+08'00'", 'zh-CN', 480)).toBe('2026年11月26日 09:22:41（UTC+08:00）');
    expect(pdfDate("D:20261126012241+00'00", 'zh-CN', 480)).toBe('2026年11月26日 09:22:41（UTC+08:00）');
    expect(pdfDate('D:20261126162241Z', 'zh-CN', 480)).toBe('2026年11月27日 00:22:41（UTC+08:00）');
    expect(pdfDate('D:20261126012241Z', 'en', 480)).toBe('2026-11-26 09:22:41 UTC+08:00');
    expect(pdfDate("D:20261126092241+08'00'", 'en', -300)).toBe('2026-11-25 20:22:41 UTC-05:00');
    expect(pdfDate('D:20261126092241', 'zh-CN')).toBe('2026年11月26日 09:22:41');
    expect(pdfDate('yesterday')).toBe('yesterday');
  });
});

describe('correction notices due', () => {
  it('lists workbooks needing correction until their notice is in the register (a voided one does not count)', () => {
    const app = (id: number, status: ApplicationRow['status']) => ({ submissionId: id, status }) as ApplicationRow;
    const notice = (id: number, voided = false) => ({ kind: 'correction', submissionId: id, voided }) as LetterRow;
    const rows = [app(1, 'needs_correction'), app(2, 'ok'), app(3, 'needs_correction'), app(4, 'needs_correction')];
    expect(correctionsDue(rows, [notice(1), notice(4, true)]).map((r) => r.submissionId)).toEqual([3, 4]);
  });
});

describe('register titles', () => {
  it('names the projects a letter decides', () => {
    expect(titleProjects('关于给予重庆某公司“渝中智算中心一期”项目算力经济发展扶持资金的决定')).toBe('渝中智算中心一期');
    expect(titleProjects('关于对重庆某公司“甲”等2个项目不予扶持的决定')).toBe('甲 等2个项目');
    expect(titleProjects('关于变更重庆某公司算力经济发展扶持资金决定的决定')).toBeNull();
    expect(titleProjects(null)).toBeNull();
  });
});
