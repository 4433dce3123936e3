// The sign-in screen: who acts is a certificate unlocked here, never a typed name.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return { ...actual, signInChoices: vi.fn(), signIn: vi.fn(), createTestPeople: vi.fn(), chooseIdentityFile: vi.fn() };
});

import * as api from '../api';
import SignIn from './SignIn.svelte';
import { i18n } from '../i18n/index.svelte';
import { reviewer } from '../state/reviewer.svelte';

const FILE = '/data/training/测试-TEST-approver.p12';

beforeEach(() => {
  i18n.set('zh-CN');
  vi.clearAllMocks();
  reviewer.person = null;
});

describe('sign-in screen', () => {
  it('shows a wrong password where it was typed and signs in with the right one', async () => {
    vi.mocked(api.signInChoices).mockResolvedValue({
      roster: true,
      files: [{ file: FILE, holder: '李审批', roles: ['approver'] }],
    });
    vi.mocked(api.signIn)
      .mockRejectedValueOnce(new api.ApiError('wrong_password', '证书文件密码错误或文件已损坏 / Wrong PKCS#12 password'))
      .mockResolvedValueOnce({ holder: '李审批', fingerprint: 'fp', roles: ['approver'], test: true, source: FILE });
    const onsignedin = vi.fn();
    const { container } = render(SignIn, { onsignedin });
    await fireEvent.click(await screen.findByText('李审批'));
    expect(container.querySelector<HTMLInputElement>('#identity-spec')!.value).toBe(FILE);
    await fireEvent.input(container.querySelector('#identity-password')!, { target: { value: 'nope' } });
    await fireEvent.click(container.querySelector('#sign-in')!);
    await waitFor(() => expect(container.querySelector('#sign-in-error')!.textContent).toContain('密码错误'));
    expect(onsignedin).not.toHaveBeenCalled();
    expect(reviewer.person).toBeNull();
    await fireEvent.input(container.querySelector('#identity-password')!, { target: { value: 'ceshi' } });
    await fireEvent.click(container.querySelector('#sign-in')!);
    await waitFor(() => expect(onsignedin).toHaveBeenCalled());
    expect(api.signIn).toHaveBeenLastCalledWith(FILE, 'ceshi');
    expect(reviewer.person?.holder).toBe('李审批');
    expect(container.querySelector('#training-form')).toBeNull();
  });

  it('offers the training set-up on a store without a roster and checks the password twice', async () => {
    vi.mocked(api.signInChoices).mockResolvedValue({ roster: false, files: [] });
    const { container } = render(SignIn, { onsignedin: () => {} });
    await waitFor(() => expect(container.querySelector('#training-form')).not.toBeNull());
    await fireEvent.input(container.querySelector('#training-password')!, { target: { value: 'abcd' } });
    await fireEvent.input(container.querySelector('#training-password-again')!, { target: { value: 'abce' } });
    await fireEvent.click(container.querySelector('#create-test-people')!);
    expect(container.querySelector('#training-error')!.textContent).toContain('不一致');
    expect(api.createTestPeople).not.toHaveBeenCalled();
    // nothing signs in without a certificate
    await fireEvent.click(container.querySelector('#sign-in')!);
    expect(container.querySelector('#sign-in-error')!.textContent).toContain('证书');
    expect(api.signIn).not.toHaveBeenCalled();
  });
});
