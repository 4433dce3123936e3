// Settings › seal: the demo seal until the bureau's image is chosen.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return { ...actual, sealInfo: vi.fn(), chooseSealImage: vi.fn() };
});

import * as api from '../api';
import { ApiError } from '../api';
import SealSection from './SealSection.svelte';
import { i18n } from '../i18n/index.svelte';

beforeEach(() => {
  i18n.set('zh-CN');
  vi.clearAllMocks();
});

describe('seal section', () => {
  it('says letters carry the demo seal until one is chosen, then shows the chosen image', async () => {
    vi.mocked(api.sealInfo).mockResolvedValue(null);
    vi.mocked(api.chooseSealImage).mockResolvedValue({ sha256: 'ab12cd34ef56'.repeat(5) + 'abcd', width: 600, height: 600, bytes: 48213 });
    render(SealSection);
    expect(await screen.findByText(/测试样章/)).toBeTruthy();
    await fireEvent.click(document.getElementById('choose-seal')!);
    expect(await screen.findByText(/600×600 像素，指纹 ab12cd34ef56/)).toBeTruthy();
  });

  it('shows a refused image in plain words and keeps the current state', async () => {
    vi.mocked(api.sealInfo).mockResolvedValue(null);
    vi.mocked(api.chooseSealImage).mockRejectedValue(new ApiError('invalid', '印章图像无效：不是 PNG 图像'));
    render(SealSection);
    await fireEvent.click(document.getElementById('choose-seal')!);
    expect((await screen.findByRole('alert')).textContent).toContain('不是 PNG');
    expect(document.getElementById('seal-state')!.textContent).toContain('测试样章');
  });
});
