// The reviewer's desk helpers: a person's queue first, only mine, the label
// filter and the spread's colour (issue 17: my queue, the comparison).
import { describe, expect, it } from 'vitest';
import type { ApplicationRow, Assignments, ProjectSpread } from '../types';
import { deskView, labelsInUse, NO_DESK_FILTER, progressOf, queueOf, spreadLevel } from './desk';

const row = (submissionId: number, creditCode: string): ApplicationRow => ({
  submissionId,
  creditCode,
  applicant: `单位${submissionId}`,
  round: 2026,
  status: 'ok',
  version: 1,
  fileName: `${submissionId}.xlsx`,
  importedAt: '2026-11-26T10:00:00Z',
  errorCount: 0,
  warningCount: 0,
  clauses: ['C4'],
  district: '渝中区',
  stage: 'scored',
  awardYuan: null,
});

const ZHANG = 'aa11';
const QIAN = 'bb22';
const a: Assignments = {
  round: 2026,
  independent: false,
  people: [
    { holder: '张审核', fingerprint: ZHANG, assigned: 2, done: 1 },
    { holder: '钱评审', fingerprint: QIAN, assigned: 1, done: 0 },
  ],
  assignments: [
    { creditCode: 'B', applicant: null, clause: null, holder: '张审核', fingerprint: ZHANG, assignedBy: '管理员', assignedAt: '', needed: 0, given: 0, done: true },
    { creditCode: 'C', applicant: null, clause: 'C4', holder: '张审核', fingerprint: ZHANG, assignedBy: '管理员', assignedAt: '', needed: 2, given: 0, done: false },
    { creditCode: 'C', applicant: null, clause: 'C4', holder: '钱评审', fingerprint: QIAN, assignedBy: '管理员', assignedAt: '', needed: 2, given: 0, done: false },
  ],
};

describe('my queue', () => {
  it("says the person's own progress, 8 / 12 style", () => {
    expect(progressOf(a, ZHANG)).toMatchObject({ done: 1, assigned: 2 });
    expect(progressOf(a, 'nobody')).toBeNull();
    expect(progressOf(null, ZHANG)).toBeNull();
  });

  it('puts unfinished assignments first, then finished ones, then the rest, keeping the list order', () => {
    const rows = [row(1, 'A'), row(2, 'B'), row(3, 'C'), row(4, 'D')];
    const mine = queueOf(a, ZHANG);
    expect(deskView(rows, mine, {}, NO_DESK_FILTER).map((r) => r.creditCode)).toEqual(['C', 'B', 'A', 'D']);
    expect(deskView(rows, mine, {}, { mineOnly: true, label: 'all' }).map((r) => r.creditCode)).toEqual(['C', 'B']);
    // nobody's queue: the list as it was
    expect(deskView(rows, new Map(), {}, NO_DESK_FILTER).map((r) => r.creditCode)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('filters by a label', () => {
    const rows = [row(1, 'A'), row(2, 'B'), row(3, 'C')];
    const labels = { A: ['重点关注'], C: ['待补材料', '重点关注'] };
    expect(deskView(rows, new Map(), labels, { mineOnly: false, label: '重点关注' }).map((r) => r.creditCode)).toEqual(['A', 'C']);
    expect(labelsInUse(labels)).toEqual(['待补材料', '重点关注'].sort((x, y) => x.localeCompare(y, 'zh-CN')));
  });
});

describe('the comparison', () => {
  const spread = (totals: string[], over: boolean): ProjectSpread => ({
    creditCode: 'C',
    applicant: null,
    clause: 'C4',
    project: 'AI+智慧物流调度',
    reviewers: totals.map((t, i) => ({ reviewer: `专家${i}`, points: [], total: t })),
    spread: '48',
    overThreshold: over,
  });
  it('colours a spread above the threshold, not one within it or of one reviewer', () => {
    expect(spreadLevel(spread(['63', '15'], true))).toBe('over');
    expect(spreadLevel(spread(['63', '60'], false))).toBe('within');
    expect(spreadLevel(spread(['63'], false))).toBe('single');
  });
});
