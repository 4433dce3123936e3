import { describe, expect, it } from 'vitest';
import { auditDetail, barWidth, defaultPair, groupDifferences, isMine, percentText, perMille, sideText, targetWidth, toFen, waiting, waitingFor } from './overview';
import type { Attention, Difference } from '../types';

describe('budget shares', () => {
  it('reads yuan as whole fen without floats', () => {
    expect(toFen('1234.5')).toBe(123450n);
    expect(toFen('0.01')).toBe(1n);
    expect(toFen('3000000.00')).toBe(300000000n);
    expect(toFen('12.345')).toBe(1234n);
    expect(toFen('abc')).toBeNull();
  });

  it('gives tenths of a percent of the budget, and nothing without a budget', () => {
    expect(perMille('650000.00', '3000000.00')).toBe(216);
    expect(percentText(216)).toBe('21.6%');
    expect(perMille('3250000.00', '3000000.00')).toBe(1083);
    expect(percentText(1083)).toBe('108.3%');
    expect(perMille('1.00', null)).toBeNull();
    expect(perMille('1.00', '0.00')).toBeNull();
  });

  it('clamps bars', () => {
    expect(barWidth(1083)).toBe(100);
    expect(barWidth(216)).toBeCloseTo(21.6);
    expect(barWidth(null)).toBe(0);
    expect(targetWidth(2, 50)).toBe(4);
    expect(targetWidth(5, 3)).toBe(100);
    expect(targetWidth(1, 0)).toBe(0);
  });
});

describe('attention and versions', () => {
  it('keeps only what is waiting, in order', () => {
    const w = waiting([
      { kind: 'correction_notice', count: 1, items: [] },
      { kind: 'not_scored', count: 0, items: [] },
      { kind: 'delivery', count: 2, items: [] },
    ]);
    expect(w.map((a) => a.kind)).toEqual(['correction_notice', 'delivery']);
  });

  it('compares the two latest versions first, a linked version 0 included', () => {
    expect(defaultPair([1])).toBeNull();
    expect(defaultPair([0, 1])).toEqual([0, 1]);
    expect(defaultPair([3, 1, 2])).toEqual([2, 3]);
  });

  it('groups differences by where they sit and shows raw text for an unreadable value', () => {
    const d = (scope: Difference['scope'], project: string | null, label: string): Difference => ({
      scope,
      clause: scope === 'project' ? 'C1' : null,
      project,
      label,
      labelEn: label,
      change: 'changed',
      old: { value: null, raw: '约三千万', cell: 'C1!F5' },
      new: { value: '30000000', raw: '30000000', cell: 'C1!F5' },
    });
    const g = groupDifferences([d('applicant', null, 'a'), d('project', 'P', 'x'), d('applicant', null, 'b'), d('project', 'P', 'y')]);
    expect(g.map((x) => [x.key, x.rows.map((r) => r.label)])).toEqual([
      ['applicant', ['a', 'b']],
      ['project:C1:P', ['x', 'y']],
    ]);
    expect(sideText(g[0].rows[0].old)).toEqual({ text: '约三千万', unreadable: true });
    expect(sideText(g[0].rows[0].new)).toEqual({ text: '30000000', unreadable: false });
    expect(sideText(null)).toBeNull();
  });
});

describe('audit detail', () => {
  it('reads a JSON detail as key: value pairs, hashes shortened', () => {
    const sha = 'ab'.repeat(32);
    expect(auditDetail(`{"file":"06-errors.xlsx","errors":2,"sha256":"${sha}"}`)).toBe(
      'file: 06-errors.xlsx · errors: 2 · sha256: abababababab…',
    );
    expect(auditDetail('plain text')).toBe('plain text');
    expect(auditDetail('[1,2]')).toBe('[1,2]');
  });
});

describe('what needs my attention, by role', () => {
  const att = (kind: string, count = 1) => ({ kind, count, items: [] }) as unknown as Attention;
  const engineOrder = [att('correction_notice'), att('not_scored'), att('awaiting_approval'), att('delivery', 0), att('panel_scores')];

  it("puts the role's own work first, keeping the engine's order in each group, and drops empty kinds", () => {
    expect(waitingFor(engineOrder, 'approver').map((a) => a.kind)).toEqual([
      'correction_notice',
      'awaiting_approval',
      'not_scored',
      'panel_scores',
    ]);
    expect(waitingFor(engineOrder, 'reviewer').map((a) => a.kind)).toEqual([
      'not_scored',
      'panel_scores',
      'correction_notice',
      'awaiting_approval',
    ]);
  });

  it('without a role everything is mine, in the engine order', () => {
    expect(waitingFor(engineOrder, null).map((a) => a.kind)).toEqual(['correction_notice', 'not_scored', 'awaiting_approval', 'panel_scores']);
    expect(isMine('delivery', null)).toBe(true);
    expect(isMine('delivery', 'reviewer')).toBe(false);
  });
});
