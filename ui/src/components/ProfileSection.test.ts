// Settings › 评审人: the name (shared with the header) and the role, kept on this computer.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return { ...actual, setReviewer: vi.fn(async () => null) };
});

import * as api from '../api';
import ProfileSection from './ProfileSection.svelte';
import { i18n } from '../i18n/index.svelte';
import { reviewer, REVIEWER_KEY, ROLE_KEY } from '../state/reviewer.svelte';

beforeEach(() => {
  i18n.set('zh-CN');
  localStorage.clear();
  reviewer.set('');
  reviewer.setRole(null);
  vi.clearAllMocks();
});

describe('profile section', () => {
  it('keeps the name and the role on this computer and tells the Rust side the name', async () => {
    render(ProfileSection);
    const name = document.getElementById('profile-name') as HTMLInputElement;
    await fireEvent.change(name, { target: { value: '  李审批 ' } });
    expect(reviewer.name).toBe('李审批');
    expect(localStorage.getItem(REVIEWER_KEY)).toBe('李审批');
    expect(api.setReviewer).toHaveBeenLastCalledWith('李审批');

    await fireEvent.click(screen.getByLabelText(/审批（审批、签发决定书）/));
    expect(reviewer.role).toBe('approver');
    expect(localStorage.getItem(ROLE_KEY)).toBe('approver');
  });
});
