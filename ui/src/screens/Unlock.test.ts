// The unlock screen: first start (create with a confirmed passphrase, then the
// recovery key once), unlocking, a wrong passphrase, the recovery key path.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return { ...actual, storeStatus: vi.fn(), unlockStore: vi.fn(), changePassphrase: vi.fn() };
});

import * as api from '../api';
import { ApiError } from '../api';
import Unlock from './Unlock.svelte';
import { lock } from '../state/lock.svelte';
import { i18n } from '../i18n/index.svelte';

const RK = '7K2P-39QX-3D6W-MA5U-1Y2B-8C4D-5E6F-7G8H-9J0K-AM1N-BP2Q-CR3S-TV4W';
const status = (state: 'missing' | 'plain' | 'encrypted') => ({
  state,
  unlocked: false,
  dbPath: '/data/reviewdesk.db',
  minPassphraseChars: 8,
});

async function open(state: 'missing' | 'plain' | 'encrypted') {
  vi.mocked(api.storeStatus).mockResolvedValue(status(state));
  render(Unlock);
  await lock.check();
}

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const submit = () => fireEvent.click(document.getElementById('unlock-submit')!);

beforeEach(() => {
  i18n.set('zh-CN');
  lock.reset();
  vi.clearAllMocks();
});

describe('first start', () => {
  it('refuses a short or mismatched passphrase without calling the store', async () => {
    await open('missing');
    expect(await screen.findByText('创建加密数据库')).toBeTruthy();
    await fireEvent.input(input('unlock-passphrase'), { target: { value: 'short' } });
    await fireEvent.input(input('unlock-confirm'), { target: { value: 'short' } });
    await submit();
    expect((await screen.findByRole('alert')).textContent).toContain('至少 8 个字符');
    await fireEvent.input(input('unlock-passphrase'), { target: { value: 'correct horse' } });
    await fireEvent.input(input('unlock-confirm'), { target: { value: 'correct horsE' } });
    await submit();
    expect((await screen.findByRole('alert')).textContent).toContain('不一致');
    expect(api.changePassphrase).not.toHaveBeenCalled();
  });

  it('creates the store, shows the recovery key once and continues only when it is kept', async () => {
    vi.mocked(api.unlockStore).mockResolvedValue({ recoveryKey: RK, encryptedNow: false, backupsEncrypted: 0, quickCheck: 'ok', locationWarning: null });
    await open('missing');
    await fireEvent.input(input('unlock-passphrase'), { target: { value: 'correct horse' } });
    await fireEvent.input(input('unlock-confirm'), { target: { value: 'correct horse' } });
    await submit();
    expect(api.unlockStore).toHaveBeenCalledWith({ passphrase: 'correct horse' });
    const shown = await waitFor(() => {
      const el = document.getElementById('recovery-key');
      if (!el) throw new Error('no key yet');
      return el;
    });
    expect(shown.textContent).toBe(RK.split('-').join(' '));
    const cont = document.getElementById('recovery-continue') as HTMLButtonElement;
    expect(cont.disabled).toBe(true);
    await fireEvent.click(input('recovery-kept'));
    expect(cont.disabled).toBe(false);
    await fireEvent.click(cont);
    expect(lock.phase).toBe('open');
    expect(lock.recoveryKey).toBeNull();
  });
});

describe('an encrypted store', () => {
  it('says plainly when the passphrase is wrong and clears the field', async () => {
    vi.mocked(api.unlockStore).mockRejectedValue(new ApiError('wrong_passphrase', '口令不正确 / the passphrase is not correct'));
    await open('encrypted');
    expect(await screen.findByText('解锁数据库')).toBeTruthy();
    expect(document.getElementById('unlock-confirm')).toBeNull();
    await fireEvent.input(input('unlock-passphrase'), { target: { value: 'wrong horse' } });
    await submit();
    expect((await screen.findByRole('alert')).textContent).toContain('口令不正确');
    expect(input('unlock-passphrase').value).toBe('');
    expect(lock.phase).toBe('locked');
  });

  it('opens with the recovery key only together with a new passphrase', async () => {
    vi.mocked(api.unlockStore).mockResolvedValue({ recoveryKey: null, encryptedNow: false, backupsEncrypted: 0, quickCheck: 'ok', locationWarning: null });
    vi.mocked(api.changePassphrase).mockResolvedValue(null);
    await open('encrypted');
    await fireEvent.click(await screen.findByText('忘记口令？使用恢复密钥'));
    // the screen asks for the recovery key and a new passphrase, not 请输入口令
    expect(document.getElementById('unlock-intro')!.textContent).not.toContain('请输入口令');
    expect(document.getElementById('unlock-intro')!.textContent).toContain('新口令');
    await fireEvent.input(input('unlock-recovery'), { target: { value: RK.toLowerCase() } });
    // without a new passphrase nothing is sent
    await submit();
    expect((await screen.findByRole('alert')).textContent).toContain('至少 8 个字符');
    expect(api.changePassphrase).not.toHaveBeenCalled();
    await fireEvent.input(input('unlock-new-passphrase'), { target: { value: '新的口令一二三四' } });
    await fireEvent.input(input('unlock-confirm'), { target: { value: '新的口令一二三四' } });
    await submit();
    expect(api.changePassphrase).toHaveBeenCalledWith({ current: null, recoveryKey: RK.toLowerCase(), newPassphrase: '新的口令一二三四' });
    await waitFor(() => expect(api.unlockStore).toHaveBeenCalledWith({ passphrase: '新的口令一二三四' }));
    await waitFor(() => expect(lock.phase).toBe('open'));
  });
});
