// Settings → data and security: back up now, change the passphrase.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return { ...actual, backupNow: vi.fn(), changePassphrase: vi.fn() };
});

import * as api from '../api';
import { ApiError } from '../api';
import StoreSection from './StoreSection.svelte';
import { i18n } from '../i18n/index.svelte';

const input = (id: string) => document.getElementById(id) as HTMLInputElement;

beforeEach(() => {
  i18n.set('zh-CN');
  vi.clearAllMocks();
});

describe('store section', () => {
  it('backs up now and shows where the checked copy went', async () => {
    vi.mocked(api.backupNow).mockResolvedValue({ path: '/data/backups/reviewdesk-20261126.db' });
    render(StoreSection);
    await fireEvent.click(document.getElementById('backup-now')!);
    expect((await screen.findByRole('status')).textContent).toContain('/data/backups/reviewdesk-20261126.db');
  });

  it('refuses mismatched new passphrases, then changes it and clears every field', async () => {
    vi.mocked(api.changePassphrase).mockResolvedValue(null);
    render(StoreSection);
    await fireEvent.input(input('pass-current'), { target: { value: 'old passphrase' } });
    await fireEvent.input(input('pass-new'), { target: { value: 'new passphrase!' } });
    await fireEvent.input(input('pass-again'), { target: { value: 'new passphrase?' } });
    await fireEvent.click(document.getElementById('pass-change')!);
    expect((await screen.findByRole('alert')).textContent).toContain('不一致');
    expect(api.changePassphrase).not.toHaveBeenCalled();
    await fireEvent.input(input('pass-again'), { target: { value: 'new passphrase!' } });
    await fireEvent.click(document.getElementById('pass-change')!);
    expect(api.changePassphrase).toHaveBeenCalledWith({ current: 'old passphrase', newPassphrase: 'new passphrase!' });
    expect(await screen.findByText('口令已更换。')).toBeTruthy();
    expect(input('pass-current').value).toBe('');
    expect(input('pass-new').value).toBe('');
  });

  it('shows a wrong current passphrase in plain words', async () => {
    vi.mocked(api.changePassphrase).mockRejectedValue(new ApiError('wrong_passphrase', '口令不正确 / the passphrase is not correct'));
    render(StoreSection);
    await fireEvent.input(input('pass-current'), { target: { value: 'not it at all' } });
    await fireEvent.input(input('pass-new'), { target: { value: 'new passphrase!' } });
    await fireEvent.input(input('pass-again'), { target: { value: 'new passphrase!' } });
    await fireEvent.click(document.getElementById('pass-change')!);
    expect((await screen.findByRole('alert')).textContent).toContain('口令不正确');
  });
});
