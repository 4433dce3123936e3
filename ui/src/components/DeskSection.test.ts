// #desk-section in the application detail with api.ts mocked (issue 17):
// who it is assigned to, the lead's form, internal notes and labels.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, waitFor } from '@testing-library/svelte';
import * as api from '../api';
import { ApiError } from '../api';
import DeskSection from './DeskSection.svelte';
import { desk } from '../state/desk.svelte';
import { signInForTest } from '../test-people';
import { i18n } from '../i18n/index.svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return {
    ...actual,
    applicationNotes: vi.fn(),
    addNote: vi.fn(),
    setLabel: vi.fn(),
    rosterPeople: vi.fn(),
    assignApplications: vi.fn(),
    roundAssignments: vi.fn(),
    allLabels: vi.fn(),
    listApplications: vi.fn(async () => []),
    auditVerify: vi.fn(async () => ({ ok: true, entries: 1, problems: [] })),
  };
});

const CC = '91500103MA7HJ2LT5M';

beforeEach(() => {
  vi.clearAllMocks();
  i18n.set('zh-CN');
  desk.reset();
  vi.mocked(api.applicationNotes).mockResolvedValue({ notes: [], labels: [] });
  vi.mocked(api.roundAssignments).mockResolvedValue({ round: 2026, independent: false, people: [], assignments: [] });
  vi.mocked(api.allLabels).mockResolvedValue({});
});

describe('notes and labels', () => {
  it('adds a note signed by the person and shows it, internal and never in letters', async () => {
    signInForTest('张审核');
    vi.mocked(api.addNote).mockResolvedValue({
      notes: [{ text: '发票待核对原件', by: '张审核', at: '2026-12-02T02:30:00Z' }],
      labels: [],
    });
    const { container } = render(DeskSection, { creditCode: CC, clauses: ['C4'] });
    await waitFor(() => expect(container.querySelector('#no-notes')).toBeTruthy());
    expect(container.textContent).toContain('不会出现在决定书中');
    await fireEvent.input(container.querySelector('#note-text')!, { target: { value: '发票待核对原件' } });
    await fireEvent.click(container.querySelector('#add-note')!);
    await waitFor(() => expect(container.querySelector('#notes')).toBeTruthy());
    expect(api.addNote).toHaveBeenCalledWith(CC, '发票待核对原件');
    expect(container.querySelector('#notes')!.textContent).toContain('张审核 · 2026年12月2日');
  });

  it('puts a label on and takes it off; a refusal is said at the labels', async () => {
    signInForTest('张审核');
    vi.mocked(api.setLabel).mockResolvedValueOnce({ notes: [], labels: ['重点关注'] }).mockResolvedValueOnce({ notes: [], labels: [] });
    const { container } = render(DeskSection, { creditCode: CC, clauses: ['C4'] });
    await fireEvent.input(container.querySelector('#label-input')!, { target: { value: '重点关注' } });
    await fireEvent.click(container.querySelector('#add-label')!);
    await waitFor(() => expect(container.querySelector('[data-label="重点关注"]')).toBeTruthy());
    await fireEvent.click(container.querySelector('[data-label="重点关注"] .x')!);
    await waitFor(() => expect(container.querySelector('[data-label="重点关注"]')).toBeNull());
    expect(api.setLabel).toHaveBeenLastCalledWith(CC, '重点关注', true);
    vi.mocked(api.setLabel).mockRejectedValueOnce(new ApiError('text_too_long', '标签最多 32 个字 / too long', '标签最多 32 个字', 'too long'));
    await fireEvent.input(container.querySelector('#label-input')!, { target: { value: 'x' } });
    await fireEvent.click(container.querySelector('#add-label')!);
    await waitFor(() => expect(container.querySelector('.action-error')!.textContent).toBe('标签最多 32 个字'));
  });
});

describe('assignments in the detail', () => {
  it('shows the lead a form that assigns the application to a reviewer on the roster', async () => {
    signInForTest('赵管理', ['admin']);
    vi.mocked(api.rosterPeople).mockResolvedValue([
      { holder: '张审核', fingerprint: 'fp-z', roles: ['reviewer'], test: true, encryptionFingerprint: null },
      { holder: '李审批', fingerprint: 'fp-l', roles: ['approver'], test: true, encryptionFingerprint: null },
    ] as never);
    vi.mocked(api.assignApplications).mockResolvedValue({ round: 2026, independent: false, people: [], assignments: [] });
    const { container } = render(DeskSection, { creditCode: CC, clauses: ['C4'] });
    await waitFor(() => expect(container.querySelectorAll('#assign-to option').length).toBe(2));
    // only reviewers are offered
    expect(container.querySelector('#assign-to')!.textContent).not.toContain('李审批');
    await fireEvent.change(container.querySelector('#assign-to')!, { target: { value: 'fp-z' } });
    await fireEvent.change(container.querySelector('#assign-clause')!, { target: { value: 'C4' } });
    await fireEvent.click(container.querySelector('#assign')!);
    await waitFor(() => expect(container.querySelector('#assign-ok')).toBeTruthy());
    expect(api.assignApplications).toHaveBeenCalledWith(2026, [CC], 'fp-z', 'C4');
    expect(container.querySelector('#assign-ok')!.textContent).toBe('已分配给 张审核。');
  });

  it('shows a reviewer no assigning form, and who the application is assigned to', async () => {
    signInForTest('张审核');
    desk.assignments = {
      round: 2026,
      independent: true,
      people: [],
      assignments: [
        { creditCode: CC, applicant: null, clause: 'C4', holder: '张审核', fingerprint: 'fp-张审核', assignedBy: '赵管理', assignedAt: '', needed: 2, given: 2, done: true },
      ],
    };
    const { container } = render(DeskSection, { creditCode: CC, clauses: ['C4'] });
    expect(container.querySelector('#assign-form')).toBeNull();
    expect(container.querySelector('.assigned')!.textContent).toContain('张审核（C4）：已评完');
    expect(container.querySelector('#independent-note')).toBeTruthy();
  });
});
