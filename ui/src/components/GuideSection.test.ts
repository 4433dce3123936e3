// Settings › 申报指南: view the round's guide, load a new version, see what
// it changes, use it only while the round has no decision.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return { ...actual, roundGuides: vi.fn(), chooseGuideFile: vi.fn(), useChosenGuide: vi.fn() };
});

import * as api from '../api';
import { ApiError } from '../api';
import type { GuidePreview, RoundGuide } from '../api';
import GuideSection from './GuideSection.svelte';
import { i18n } from '../i18n/index.svelte';
import { signInForTest } from '../test-people';

const OLD = 'a'.repeat(64);
const NEW = 'b'.repeat(64);
const round = (over: Partial<RoundGuide> = {}): RoundGuide => ({
  year: 2026,
  guide: OLD,
  title: '2026年度渝中区促进算力经济高质量发展政策申报指南',
  loadedAt: '2026-11-26T08:00:00Z',
  decisions: 0,
  canChange: true,
  text: 'format = 1\ntitle = "2026年度…"\n',
  ...over,
});
const preview: GuidePreview = {
  year: 2026,
  from: OLD,
  to: NEW,
  title: '2026年度渝中区促进算力经济高质量发展政策申报指南',
  changes: [
    { path: 'clauses.C2a.award.cap', old: '1000000', new: '1200000' },
    { path: 'round.budget', old: null, new: '50000000' },
  ],
  canChange: true,
};

beforeEach(() => {
  i18n.set('zh-CN');
  vi.clearAllMocks();
});

describe('guide section', () => {
  it('shows the text, the changes of a chosen version, and uses it under the reviewer', async () => {
    vi.mocked(api.roundGuides).mockResolvedValue([round()]);
    vi.mocked(api.chooseGuideFile).mockResolvedValue(preview);
    vi.mocked(api.useChosenGuide).mockResolvedValue([round({ guide: NEW })]);
    signInForTest('张审核', ['admin']);
    render(GuideSection);
    await fireEvent.click(await screen.findByText('查看指南全文'));
    expect(document.getElementById('guide-text-2026')!.textContent).toContain('format = 1');

    await fireEvent.click(screen.getByText('载入新版本…'));
    expect(api.chooseGuideFile).toHaveBeenCalledWith(2026);
    const rows = await screen.findAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      '键当前新版本',
      'clauses.C2a.award.cap10000001200000',
      'round.budget（无）50000000',
    ]);
    await fireEvent.click(screen.getByText('使用此版本'));
    expect(api.useChosenGuide).toHaveBeenCalledWith(2026, NEW);
    expect((await screen.findByRole('status')).textContent).toContain(`改用指南 ${NEW.slice(0, 12)}`);
    expect(document.getElementById('guide-preview')).toBeNull();
  });

  it('offers no new version once the round has decisions', async () => {
    vi.mocked(api.roundGuides).mockResolvedValue([round({ decisions: 3, canChange: false })]);
    render(GuideSection);
    expect(await screen.findByText(/已有 3 个决定，指南已锁定/)).toBeTruthy();
    expect(screen.queryByText('载入新版本…')).toBeNull();
  });

  it('shows a refused file in plain words and keeps nothing', async () => {
    vi.mocked(api.roundGuides).mockResolvedValue([round()]);
    vi.mocked(api.chooseGuideFile).mockRejectedValue(new ApiError('invalid', '申报指南有误：round.year: 应为整数'));
    render(GuideSection);
    await fireEvent.click(await screen.findByText('载入新版本…'));
    expect((await screen.findByRole('alert')).textContent).toContain('round.year');
    expect(document.getElementById('guide-preview')).toBeNull();
  });
});
