// Import screen extras: cancel a running import, save the blank workbook.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return { ...actual, cancelImport: vi.fn(async () => null), saveTemplateWithDialog: vi.fn() };
});

import * as api from '../api';
import ImportResult from './ImportResult.svelte';
import ImportScreen from '../screens/ImportScreen.svelte';
import { workbench } from '../state/workbench.svelte';
import { i18n } from '../i18n/index.svelte';

beforeEach(() => {
  i18n.set('zh-CN');
  workbench.reset();
  vi.clearAllMocks();
});

describe('a running import', () => {
  it('can be cancelled, and says it is stopping', async () => {
    workbench.importing = true;
    workbench.progress = { done: 3, total: 50, file: '03.xlsx' };
    render(ImportResult);
    const button = document.getElementById('import-cancel') as HTMLButtonElement;
    expect(button.textContent).toContain('取消导入');
    await fireEvent.click(button);
    expect(api.cancelImport).toHaveBeenCalledOnce();
    expect(button.textContent).toContain('正在停止');
    expect(button.disabled).toBe(true);
  });

  it('offers no cancel button when nothing runs', () => {
    render(ImportResult);
    expect(document.getElementById('import-cancel')).toBeNull();
  });
});

describe('the blank workbook', () => {
  it('is saved where the reviewer chose and the path is shown', async () => {
    vi.mocked(api.saveTemplateWithDialog).mockResolvedValue('/home/r/2026年度算力经济扶持资金申报表.xlsx');
    render(ImportScreen);
    await fireEvent.click(document.getElementById('save-template')!);
    expect(api.saveTemplateWithDialog).toHaveBeenCalledWith(2026);
    expect((await screen.findByRole('status')).textContent).toContain('申报表.xlsx');
  });

  it('says nothing when the dialog is closed', async () => {
    vi.mocked(api.saveTemplateWithDialog).mockResolvedValue(null);
    render(ImportScreen);
    await fireEvent.click(document.getElementById('save-template')!);
    await Promise.resolve();
    expect(document.getElementById('template-saved')).toBeNull();
  });
});
