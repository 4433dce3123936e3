// Settings › 人员: who is signed in (from their certificate) and the roster.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return {
    ...actual,
    rosterPeople: vi.fn(async () => []),
    signOut: vi.fn(async () => null),
    currentPerson: vi.fn(async () => null),
    addPersonWithDialog: vi.fn(async () => null),
  };
});

import * as api from '../api';
import ProfileSection from './ProfileSection.svelte';
import { i18n } from '../i18n/index.svelte';
import { reviewer } from '../state/reviewer.svelte';
import { signInForTest } from '../test-people';

beforeEach(() => {
  i18n.set('zh-CN');
  vi.clearAllMocks();
});

describe('people section', () => {
  it('shows the person signed in, the roster, and signs out', async () => {
    signInForTest('李审批', ['approver']);
    vi.mocked(api.rosterPeople).mockResolvedValue([
      { holder: '李审批', fingerprint: 'fp-李审批', roles: ['approver'], test: true, encryptionFingerprint: null },
      { holder: '张审核', fingerprint: 'fp-张审核', roles: ['reviewer'], test: true, encryptionFingerprint: null },
    ]);
    render(ProfileSection);
    expect(document.getElementById('profile-holder')!.textContent).toBe('李审批');
    await waitFor(() => expect(document.querySelectorAll('#roster tbody tr').length).toBe(2));
    expect(screen.getByText('张审核').closest('tr')!.textContent).toContain('评审');
    await fireEvent.click(document.getElementById('profile-sign-out')!);
    await waitFor(() => expect(reviewer.person).toBeNull());
  });

  it('says there is no roster yet and offers to start one', async () => {
    signInForTest('赵管理', []);
    render(ProfileSection);
    await waitFor(() => expect(document.getElementById('roster-none')).not.toBeNull());
    expect(document.getElementById('start-roster')).not.toBeNull();
    expect(document.getElementById('profile-holder')!.parentElement!.textContent).toContain('不核对角色');
  });

  it('adds a person with the roles ticked', async () => {
    signInForTest('赵管理', ['admin']);
    vi.mocked(api.rosterPeople).mockResolvedValue([
      { holder: '赵管理', fingerprint: 'fp-赵管理', roles: ['admin'], test: true, encryptionFingerprint: null },
    ]);
    vi.mocked(api.addPersonWithDialog).mockResolvedValue({
      holder: '钱审核',
      fingerprint: 'fp-钱',
      roles: ['reviewer'],
      test: true,
      encryptionFingerprint: null,
    });
    render(ProfileSection);
    await waitFor(() => expect(document.getElementById('add-person')).not.toBeNull());
    await fireEvent.click(document.getElementById('add-person')!);
    await waitFor(() => expect(api.addPersonWithDialog).toHaveBeenCalledWith(['reviewer']));
    await screen.findByText('已将 钱审核 加入名册。');
  });
});
