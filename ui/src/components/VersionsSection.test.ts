// Versions compared and the provisional link, with api.ts mocked.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import * as api from '../api';
import VersionsSection from './VersionsSection.svelte';
import { i18n } from '../i18n/index.svelte';
import { signInForTest } from '../test-people';
import type { ApplicationDetail, VersionDiff } from '../types';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return {
    ...actual,
    workbookVersions: vi.fn(),
    compareVersions: vi.fn(),
    linkSuggestions: vi.fn(),
    linkProvisional: vi.fn(),
    listApplications: vi.fn(),
  };
});

const CC = '91500103MA5U7K2P39';
const base: ApplicationDetail = {
  submissionId: 1,
  creditCode: CC,
  applicant: '重庆渝中算力科技有限公司',
  round: 2026,
  status: 'ok',
  version: 2,
  versions: [1, 2],
  fileName: '07-supply-legacy.xls',
  fileHash: 'a'.repeat(64),
  importedAt: '2026-11-26T09:00:00Z',
  importedBy: '张审核',
  fields: {},
  projects: [],
  otherSupport: [],
  issues: [],
  history: [],
};
const DIFF: VersionDiff = {
  creditCode: CC,
  applicant: base.applicant,
  round: 2026,
  from: { version: 1, submissionId: 1, fileName: '01-supply-clean.xlsx', fileHash: 'b', importedAt: '2026-11-26T09:00:00Z', status: 'ok' },
  to: { version: 2, submissionId: 7, fileName: '07-supply-legacy.xls', fileHash: 'c', importedAt: '2026-11-26T09:00:00Z', status: 'ok' },
  differences: [
    {
      scope: 'applicant',
      clause: null,
      project: null,
      label: '上年度营业收入',
      labelEn: 'Revenue',
      change: 'changed',
      old: { value: null, raw: '约三千万', cell: '申报单位!B13' },
      new: { value: '32005000.00', raw: '3200.5', cell: '申报单位!B13' },
    },
  ],
};

describe('VersionsSection', () => {
  beforeEach(() => {
    i18n.lang = 'zh-CN';
    signInForTest('张审核');
    vi.mocked(api.linkSuggestions).mockResolvedValue([]);
    vi.mocked(api.listApplications).mockResolvedValue([]);
  });

  it('compares the two latest versions side by side, raw text where a value was unreadable', async () => {
    vi.mocked(api.workbookVersions).mockResolvedValue({ round: 2026, versions: [1, 2] });
    vi.mocked(api.compareVersions).mockResolvedValue(DIFF);
    const { container } = render(VersionsSection, { detail: base });
    await waitFor(() => expect(container.querySelector('#version-diff')).toBeTruthy());
    expect(api.compareVersions).toHaveBeenCalledWith(CC, 1, 2);
    const row = container.querySelector('#version-diff tbody tr.changed')!;
    expect(row.querySelector('td.old')!.textContent).toContain('约三千万');
    expect(row.querySelector('td.old')!.textContent).toContain('无法读取');
    expect(row.querySelector('td.new')!.textContent).toContain('32,005,000.00 元');
    expect(screen.getByText('1 处不同')).toBeTruthy();
  });

  it('offers a provisional workbook its corrected version and links it', async () => {
    const key = `provisional:重庆渝中算力科技有限公司#${'d'.repeat(12)}`;
    const prov: ApplicationDetail = { ...base, creditCode: null, status: 'needs_correction', fileHash: 'd'.repeat(64) };
    vi.mocked(api.linkSuggestions).mockResolvedValue([{ provisionalKey: key, name: base.applicant, creditCode: CC, linked: false }]);
    vi.mocked(api.linkProvisional).mockResolvedValue({
      provisionalKey: key,
      creditCode: CC,
      provisionalName: base.applicant,
      applicant: base.applicant,
      nameMatches: true,
      previous: null,
      submissions: [6],
    });
    render(VersionsSection, { detail: prov });
    const button = await screen.findByText(`关联到 ${CC}`);
    vi.mocked(api.linkSuggestions).mockResolvedValue([{ provisionalKey: key, name: base.applicant, creditCode: CC, linked: true }]);
    await fireEvent.click(button);
    await waitFor(() => expect(api.linkProvisional).toHaveBeenCalledWith(key, CC));
    await screen.findByText('已关联');
    expect(api.workbookVersions).not.toHaveBeenCalled();
  });
});
