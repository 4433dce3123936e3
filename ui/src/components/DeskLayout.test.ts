// Issue 17, 1024×768: the panel comparison and the import summary both open
// left the list a few rows. Each now folds to its title bar.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render } from '@testing-library/svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return {
    ...actual,
    panelComparison: vi.fn(async () => ({
      round: 2026,
      threshold: '10',
      projects: [
        {
          creditCode: '91500103MA5U000001',
          applicant: '重庆某某科技有限公司',
          clause: 'C4',
          project: '工业互联网平台',
          reviewers: [
            { reviewer: '甲', total: '80', points: [] },
            { reviewer: '乙', total: '62', points: [] },
          ],
          spread: '18',
          over: true,
        },
      ],
    })),
  };
});

import ImportResult from './ImportResult.svelte';
import PanelComparison from './PanelComparison.svelte';
import { workbench } from '../state/workbench.svelte';
import { i18n } from '../i18n/index.svelte';

beforeEach(() => {
  i18n.set('zh-CN');
  workbench.reset();
});

describe('the stacked desk panels fold', () => {
  it('the import summary folds to one line of counts and opens again', async () => {
    workbench.report = {
      cancelled: false,
      files: [
        { path: '/tmp/a.xlsx', status: 'ok', applicant: '甲公司', issues: [] },
        { path: '/tmp/b.xlsx', status: 'rejected', applicant: null, issues: [] },
      ],
    } as unknown as typeof workbench.report;
    render(ImportResult, { dismissible: true });
    expect(document.querySelectorAll('.import-file')).toHaveLength(2);
    const toggle = document.getElementById('import-summary-toggle') as HTMLButtonElement;
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.click(toggle);
    expect(document.querySelectorAll('.import-file')).toHaveLength(0);
    expect(document.getElementById('import-summary-folded')?.textContent).toContain('正常 1 · 需补正 0 · 未导入 1');
    expect(toggle.textContent).toContain('展开');
    await fireEvent.click(toggle);
    expect(document.querySelectorAll('.import-file')).toHaveLength(2);
  });

  it('the panel comparison folds to its title', async () => {
    render(PanelComparison, { onclose: () => {} });
    await vi.waitFor(() => expect(document.querySelectorAll('.spread-row')).toHaveLength(1));
    await fireEvent.click(document.getElementById('comparison-toggle')!);
    expect(document.querySelectorAll('.spread-row')).toHaveLength(0);
    expect(document.getElementById('comparison-h')?.textContent).toContain('各专家评分对比');
    await fireEvent.click(document.getElementById('comparison-toggle')!);
    expect(document.querySelectorAll('.spread-row')).toHaveLength(1);
  });
});
