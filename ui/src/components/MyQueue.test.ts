// #my-queue and #panel-comparison with api.ts mocked (issue 17: my queue,
// the comparison with the spread highlighted).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, waitFor } from '@testing-library/svelte';
import * as api from '../api';
import MyQueue from './MyQueue.svelte';
import { desk } from '../state/desk.svelte';
import { signInForTest } from '../test-people';
import { i18n } from '../i18n/index.svelte';
import type { Assignments, PanelComparison } from '../types';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return { ...actual, panelComparison: vi.fn(), roundAssignments: vi.fn(), allLabels: vi.fn() };
});

const assignments = (done: number): Assignments => ({
  round: 2026,
  independent: false,
  people: [
    { holder: '张审核', fingerprint: 'fp-张审核', assigned: 12, done },
    { holder: '钱评审', fingerprint: 'fp-钱评审', assigned: 3, done: 3 },
  ],
  assignments: [],
});

const comparison: PanelComparison = {
  round: 2026,
  threshold: '20',
  projects: [
    {
      creditCode: '91500103MA7HJ2LT5M',
      applicant: '重庆渝中智慧物流有限公司',
      clause: 'C4',
      project: 'AI+智慧物流调度',
      reviewers: [
        { reviewer: '张审核', points: [{ factor: 'leading_role', points: '36' }], total: '63' },
        { reviewer: '钱评审', points: [{ factor: 'leading_role', points: '10' }], total: '15' },
      ],
      spread: '48',
      overThreshold: true,
    },
    {
      creditCode: '91500103MA61QX3D6W',
      applicant: '重庆山城软件有限公司',
      clause: 'C2b',
      project: '国产化项目',
      reviewers: [
        { reviewer: '张审核', points: [], total: '80' },
        { reviewer: '钱评审', points: [], total: '75' },
      ],
      spread: '5',
      overThreshold: false,
    },
  ],
};

beforeEach(() => {
  i18n.lang = 'zh-CN';
  desk.reset();
});

describe('my queue', () => {
  it('shows the signed-in reviewer their own progress and filters to their own', async () => {
    signInForTest('张审核');
    desk.assignments = assignments(8);
    const { container } = render(MyQueue);
    expect(container.querySelector('#my-progress')!.textContent).toBe('8 / 12 评完');
    // a reviewer sees their own, not the team's
    expect(container.querySelector('#team-progress')).toBeNull();
    await fireEvent.click(container.querySelector('#mine-only')!);
    expect(desk.filter.mineOnly).toBe(true);
  });

  it("shows the lead the team's progress", () => {
    signInForTest('管理员', ['admin']);
    desk.assignments = assignments(8);
    const { container } = render(MyQueue);
    expect(container.querySelector('#my-progress')).toBeNull();
    expect(container.querySelector('#team-progress')!.textContent).toContain('张审核 8/12');
    expect(container.querySelector('#team-progress')!.textContent).toContain('钱评审 3/3');
  });

  it('compares the reviewers and colours a spread above the threshold', async () => {
    signInForTest('张审核');
    vi.mocked(api.panelComparison).mockResolvedValue(comparison);
    const { container } = render(MyQueue);
    await fireEvent.click(container.querySelector('#open-comparison')!);
    await waitFor(() => expect(container.querySelectorAll('.spread-row').length).toBe(2));
    const [wide, close] = [...container.querySelectorAll<HTMLElement>('.spread-row')];
    expect(wide.dataset.level).toBe('over');
    expect(wide.textContent).toContain('张审核 63');
    expect(wide.textContent).toContain('超过阈值');
    expect(close.dataset.level).toBe('within');
    expect(close.textContent).not.toContain('超过阈值');
    expect(container.querySelector('#panel-comparison')!.textContent).toContain('超过 20 分');
  });
});
