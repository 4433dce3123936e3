// The workstation as a reviewer meets it, with the IPC layer (api.ts) mocked.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { ApplicationDetail, ApplicationRow, AuditResult, ImportReport } from './types';

vi.mock('./api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./api')>();
  return {
    ...actual,
    // An unlocked store (the lock screen has its own tests).
    storeStatus: vi.fn(async () => ({ state: 'encrypted', unlocked: true, dbPath: '/data/reviewdesk.db', minPassphraseChars: 8 })),
    storeHealth: vi.fn(async () => ({ ran: false, report: null })),
    currentPerson: vi.fn(async () => ({ holder: '张审核', fingerprint: 'fp', roles: ['reviewer'], test: true, source: '/tmp/z.p12' })),
    appInfo: vi.fn(),
    listApplications: vi.fn(),
    showApplication: vi.fn(),
    loadSampleRound: vi.fn(),
    importWithDialog: vi.fn(),
    auditVerify: vi.fn(),
    explainApplication: vi.fn(async () => ({ evaluation: null, decision: null, unavailable: '2026 年度尚未评分' })),
    onImportProgress: vi.fn(async () => () => {}),
    onImportFinished: vi.fn(async () => () => {}),
    onImportFailed: vi.fn(async () => () => {}),
    onFileDrag: vi.fn(async () => () => {}),
    onLetterVerified: vi.fn(async () => () => {}),
    onLetterVerifyFailed: vi.fn(async () => () => {}),
    onBatchProgress: vi.fn(async () => () => {}),
    onBatchFinished: vi.fn(async () => () => {}),
  };
});

const row = (id: number, over: Partial<ApplicationRow> = {}): ApplicationRow => ({
  submissionId: id,
  creditCode: `91500103MA5U7K2P${String(id).padStart(2, '0')}`,
  applicant: `重庆测试${id}科技有限公司`,
  round: 2026,
  status: 'ok',
  version: 1,
  fileName: `0${id}-file.xlsx`,
  importedAt: `2026-03-02T09:1${id % 10}:00`,
  errorCount: 0,
  warningCount: 0,
  clauses: ['C1'],
  district: '渝中区',
  stage: 'scored',
  awardYuan: null,
  ...over,
});

const ROWS: ApplicationRow[] = [
  row(1, { applicant: '重庆渝算智能科技有限公司', creditCode: '91500103MA5U7K2P39', fileName: '01-supply-clean.xlsx' }),
  row(2, {
    applicant: '重庆渝数未来科技有限公司',
    creditCode: null,
    status: 'needs_correction',
    errorCount: 2,
    warningCount: 0,
    fileName: '06-errors.xlsx',
  }),
  row(3, { applicant: '重庆芯图算力技术有限公司', creditCode: '91500103MA61QX3D6W', clauses: ['C2a', 'C2b'] }),
];

const DETAIL: ApplicationDetail = {
  submissionId: 2,
  creditCode: null,
  applicant: '重庆渝数未来科技有限公司',
  round: 2026,
  status: 'needs_correction',
  version: 1,
  versions: [1],
  fileName: '06-errors.xlsx',
  fileHash: 'ab'.repeat(32),
  importedAt: '2026-03-02T09:12:00',
  importedBy: '张审核',
  fields: {
    统一社会信用代码: { value: '9.15001E+17', raw: '9.15001E+17', cell: '申报单位!B3' },
    上年度营业收入: { value: '32005000.00', raw: '３，２００．５', cell: '申报单位!B13' },
    成立日期: { value: '2025-04-18', raw: '2025/4/18', cell: '申报单位!B7' },
  },
  projects: [
    {
      clause: 'C2b',
      name: '国产化项目',
      fields: { 项目名称: { value: '国产化项目', raw: '国产化项目', cell: 'C2-国产化算力!A3' } },
    },
    {
      clause: 'C1',
      name: '渝中智算中心',
      fields: { 项目总投资: { value: '56000000.00', raw: '5,600', cell: 'C1-算力供给!E3' } },
    },
  ],
  otherSupport: [],
  issues: [
    {
      severity: 'warning',
      sheet: null,
      cell: null,
      field: null,
      found: null,
      expected: null,
      message: '文件含有隐藏工作表。',
      messageEn: 'The file has hidden sheets.',
    },
    {
      severity: 'error',
      sheet: '申报单位',
      cell: 'B3',
      field: '统一社会信用代码',
      found: '9.15001E+17',
      expected: '18 位统一社会信用代码（文本）',
      message: '统一社会信用代码被转成了科学计数法。',
      messageEn: 'The credit code was turned into scientific notation.',
    },
    {
      severity: 'error',
      sheet: '申报单位',
      cell: 'B13',
      field: '上年度营业收入',
      found: '约三百万',
      expected: '金额',
      message: '上年度营业收入不是数字。',
      messageEn: 'Revenue last year is not a number.',
    },
  ],
  history: [],
};

const REPORT: ImportReport = {
  files: [
    { path: '/s/01-supply-clean.xlsx', status: 'ok', creditCode: '91500103MA5U7K2P39', applicant: '重庆渝算智能科技有限公司', issues: [], submissionId: 1, version: 1 },
    { path: '/s/06-errors.xlsx', status: 'needs_correction', creditCode: null, applicant: '重庆渝数未来科技有限公司', issues: DETAIL.issues, submissionId: 2, version: 1 },
    { path: '/s/07-supply-legacy.xls', status: 'duplicate', creditCode: '91500103MA5U7K2P39', applicant: '重庆渝算智能科技有限公司', issues: [], submissionId: 1, version: 1 },
    { path: '/s/notes.docx', status: 'rejected', creditCode: null, applicant: null, issues: [], submissionId: null, version: null },
  ],
  cancelled: false,
};

interface Setup {
  rows?: ApplicationRow[][];
  audit?: AuditResult;
}

import * as api from './api';
import App from './App.svelte';
import { workbench } from './state/workbench.svelte';
import { i18n } from './i18n/index.svelte';

async function start({ rows = [ROWS], audit = { ok: true, entries: 12, firstBad: null, head: '0f'.repeat(32), message: '' } }: Setup = {}) {
  const list = vi.mocked(api.listApplications);
  for (const r of rows) list.mockResolvedValueOnce(r);
  list.mockResolvedValue(rows[rows.length - 1]);
  vi.mocked(api.auditVerify).mockResolvedValue(audit);
  vi.mocked(api.showApplication).mockResolvedValue(DETAIL);
  vi.mocked(api.appInfo).mockResolvedValue({ version: '0.1.0', dbPath: '/data/reviewdesk.db', dataDir: '/data' });
  const result = render(App);
  // The workstation appears once the store reports itself open.
  await waitFor(() => expect(document.querySelector('.shell')).not.toBeNull());
  return { api, ...result };
}

const appRows = () => [...document.querySelectorAll<HTMLTableRowElement>('table#applications tr.app-row')];
const key = (k: string, init: KeyboardEventInit = {}) =>
  fireEvent.keyDown(document.activeElement ?? document.body, { key: k, ...init });

beforeEach(() => {
  localStorage.clear();
  i18n.set('zh-CN');
  workbench.reset();
  vi.clearAllMocks();
  vi.mocked(api.listApplications).mockReset();
  vi.mocked(api.onImportProgress).mockImplementation(async () => () => {});
  vi.mocked(api.onImportFinished).mockImplementation(async () => () => {});
  vi.mocked(api.onImportFailed).mockImplementation(async () => () => {});
  vi.mocked(api.onFileDrag).mockImplementation(async () => () => {});
});

describe('empty workstation', () => {
  it('explains itself and offers the two import buttons, once each', async () => {
    await start({ rows: [[]] });
    expect(await screen.findByText('还没有导入任何申报')).toBeTruthy();
    expect(document.querySelectorAll('#load-samples')).toHaveLength(1);
    expect(document.querySelectorAll('#import-files')).toHaveLength(1);
    // The table is there (the end-to-end test looks for it) and holds the explanation, no rows.
    expect(document.querySelector('table#applications')).not.toBeNull();
    expect(appRows()).toHaveLength(0);
    expect(document.querySelector('table#applications')!.textContent).toContain('还没有导入任何申报');
    expect(document.querySelector('#load-samples')!.textContent).toContain('载入示例申报轮次');
    expect(document.querySelector('#import-files')!.textContent).toContain('导入申报表…');
  });

  it('loads the sample round and shows the summary and the rows', async () => {
    const { api } = await start({ rows: [[], ROWS] });
    vi.mocked(api.loadSampleRound).mockResolvedValue(REPORT);
    await fireEvent.click(await screen.findByRole('button', { name: /载入示例申报轮次/ }));
    const summary = await waitFor(() => {
      const el = document.querySelector('#import-summary');
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    expect(api.loadSampleRound).toHaveBeenCalledOnce();
    expect(summary.querySelector('[data-count="ok"]')!.textContent).toBe('1');
    expect(summary.querySelector('[data-count="needs_correction"]')!.textContent).toBe('1');
    expect(summary.querySelector('[data-count="duplicate"]')!.textContent).toBe('1');
    expect(summary.querySelector('[data-count="rejected"]')!.textContent).toBe('1');
    expect(summary.querySelectorAll('tr.import-file')).toHaveLength(4);
    expect(within(summary).getByText('06-errors.xlsx')).toBeTruthy();

    await waitFor(() => expect(appRows()).toHaveLength(3));
    // The buttons moved to the toolbar: still exactly one of each.
    expect(document.querySelectorAll('#load-samples')).toHaveLength(1);
    expect(document.querySelectorAll('#import-files')).toHaveLength(1);

    // A line of the summary opens its application (matched by file name).
    const line = [...summary.querySelectorAll('tr.import-file')].find((tr) => tr.textContent!.includes('06-errors.xlsx'))!;
    await fireEvent.click(within(line as HTMLElement).getByRole('button'));
    await waitFor(() => expect(document.querySelector('#detail')).not.toBeNull());
    expect(api.showApplication).toHaveBeenCalledWith(2);
  });

  it('says so when the reviewer cancels the file dialog', async () => {
    const { api } = await start({ rows: [[]] });
    vi.mocked(api.importWithDialog).mockResolvedValue(null);
    await fireEvent.click(await screen.findByRole('button', { name: /导入申报表…/ }));
    expect(await screen.findByText('已取消，没有导入任何文件。')).toBeTruthy();
  });

  it('waits for the file dialog without pretending to import', async () => {
    await start({ rows: [[]] });
    let resolve!: (r: ImportReport | null) => void;
    vi.mocked(api.importWithDialog).mockReturnValue(new Promise((r) => (resolve = r)));
    await fireEvent.click(await screen.findByRole('button', { name: /导入申报表…/ }));
    expect(await screen.findByText('请在打开的窗口中选择申报表文件…')).toBeTruthy();
    expect((document.getElementById('import-files') as HTMLButtonElement).disabled).toBe(true);
    resolve(null);
    expect(await screen.findByText('已取消，没有导入任何文件。')).toBeTruthy();
    expect((document.getElementById('import-files') as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows an import failure in plain words', async () => {
    await start({ rows: [[]] });
    const { ApiError } = api;
    vi.mocked(api.importWithDialog).mockRejectedValue(new ApiError('io', '无法读取文件：权限不足。'));
    await fireEvent.click(await screen.findByRole('button', { name: /导入申报表…/ }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('无法读取文件：权限不足。');
    expect(alert.getAttribute('data-error-code')).toBe('io');
  });

  it('takes a report from the import-finished event (files dropped on the window)', async () => {
    const { api } = await start({ rows: [[], ROWS] });
    await screen.findByText('还没有导入任何申报');
    const handler = vi.mocked(api.onImportFinished).mock.calls[0][0];
    handler(REPORT);
    await waitFor(() => expect(document.querySelector('#import-summary')).not.toBeNull());
    await waitFor(() => expect(appRows()).toHaveLength(3));
  });
});

describe('dropped files', () => {
  it('shows where a drop goes, then the progress of its import', async () => {
    await start({ rows: [[]] });
    await screen.findByText('还没有导入任何申报');
    const drag = vi.mocked(api.onFileDrag).mock.calls[0][0];
    drag('enter', false);
    expect(await screen.findByText('松开鼠标，导入这些申报表')).toBeTruthy();
    drag('leave', false);
    await waitFor(() => expect(screen.queryByText('松开鼠标，导入这些申报表')).toBeNull());
    drag('enter', false);
    drag('drop', false);
    await waitFor(() => expect(screen.queryByText('松开鼠标，导入这些申报表')).toBeNull());
    expect(await screen.findByText('正在导入…')).toBeTruthy();
  });

  it('verifies dropped letters (PDF) instead of importing them, on the Letters screen', async () => {
    await start({ rows: [[]] });
    await screen.findByText('还没有导入任何申报');
    const drag = vi.mocked(api.onFileDrag).mock.calls[0][0];
    drag('enter', true);
    expect(await screen.findByText('松开鼠标，核验这份决定书')).toBeTruthy();
    drag('drop', true);
    await waitFor(() => expect(document.querySelector('main[data-screen="letters"]')).not.toBeNull());
    expect(workbench.importing).toBe(false);
    expect(await screen.findByText('正在核验…')).toBeTruthy();
    const verified = vi.mocked(api.onLetterVerified).mock.calls[0][0];
    verified({
      fileName: 'x.pdf',
      valid: false,
      signed: false,
      signatureValid: false,
      unchangedSinceSigning: false,
      trusted: null,
      test: false,
      signer: null,
      signedAt: null,
      inRegister: false,
      voided: false,
      replacedBy: null,
      number: null,
      kind: null,
      creditCode: null,
      contentMatches: null,
      sha256: '0'.repeat(64),
      problems: ['没有找到签名 / no signature found'],
    });
    await waitFor(() => expect(document.querySelector('#verify-result')?.getAttribute('data-valid')).toBe('false'));
    expect(document.querySelector('#verify-result .problems')!.textContent).toBe('没有找到签名');
  });

  it('shows a failed drop import where the import result goes', async () => {
    await start({ rows: [[]] });
    await screen.findByText('还没有导入任何申报');
    const handler = vi.mocked(api.onImportFailed).mock.calls[0][0];
    handler(new api.ApiError('io', '无法读取拖入的文件夹。'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('无法读取拖入的文件夹。');
  });

  it('links a summary line to its stored submission when the report names it', async () => {
    await start({ rows: [[], ROWS] });
    await screen.findByText('还没有导入任何申报');
    const handler = vi.mocked(api.onImportFinished).mock.calls[0][0];
    handler({ files: [{ path: '/x/renamed.xlsx', status: 'ok', creditCode: null, applicant: null, issues: [], submissionId: 3, version: 1 }], cancelled: false });
    const summary = await waitFor(() => {
      const el = document.querySelector<HTMLElement>('#import-summary');
      expect(el?.querySelector('button')).toBeTruthy();
      return el!;
    });
    await fireEvent.click(within(summary).getByRole('button', { name: '查看' }));
    await waitFor(() => expect(api.showApplication).toHaveBeenCalledWith(3));
  });
});

describe('application list', () => {
  it('renders one row per application with the test hooks', async () => {
    await start();
    await waitFor(() => expect(appRows()).toHaveLength(3));
    const byStatus = appRows().map((r) => [r.dataset.creditCode, r.dataset.status]);
    expect(byStatus).toContainEqual(['', 'needs_correction']);
    expect(byStatus).toContainEqual(['91500103MA5U7K2P39', 'ok']);
    const errRow = appRows().find((r) => r.dataset.status === 'needs_correction')!;
    expect(errRow.textContent).toContain('待补正');
    expect(errRow.textContent).toContain('2 错误');
  });

  it('shows each application\'s review stage and award, not 正常 for all', async () => {
    await start({
      rows: [
        [
          row(1, { stage: 'ineligible' }),
          row(3, { stage: 'approved', awardYuan: '650000.00' }),
          row(4, { stage: 'awaiting_panel' }),
        ],
      ],
    });
    await waitFor(() => expect(appRows()).toHaveLength(3));
    const cell = (id: string) =>
      appRows().find((r) => r.dataset.creditCode === `91500103MA5U7K2P${id}`)!.querySelector('.col-status')!;
    expect(cell('01').textContent).toContain('不符合条件');
    expect(cell('01').textContent).not.toContain('正常');
    expect(cell('03').textContent).toContain('已批准');
    expect(cell('03').textContent).toContain('650,000.00');
    expect(cell('04').textContent).toContain('待专家评分');
  });

  it('opens the detail on click and closes it with Esc', async () => {
    const { api } = await start();
    await waitFor(() => expect(appRows()).toHaveLength(3));
    await fireEvent.click(appRows().find((r) => r.dataset.status === 'needs_correction')!);
    const detail = await waitFor(() => {
      const d = document.querySelector('#detail');
      expect(d?.querySelector('.issue-cell')).toBeTruthy();
      return d as HTMLElement;
    });
    expect(api.showApplication).toHaveBeenCalledWith(2);
    const cells = [...detail.querySelectorAll('.issue-cell')].map((e) => e.textContent);
    expect(cells).toEqual(['申报单位!B3', '申报单位!B13']);
    // Errors first; the file-level warning says so instead of a cell.
    expect(detail.textContent).toContain('整个文件');
    expect(detail.textContent).toContain('9.15001E+17');
    // Fields: label, formatted money with 万元, source cell.
    expect(detail.textContent).toContain('32,005,000.00 元');
    expect(detail.textContent).toContain('合 3,200.5 万元');
    expect(detail.textContent).toContain('申报单位!B13');
    expect(detail.textContent).toContain('2025年4月18日');
    // Projects grouped by clause in the guide's order.
    expect([...detail.querySelectorAll('[data-clause]')].map((e) => e.getAttribute('data-clause'))).toEqual(['C1', 'C2b']);
    expect(detail.textContent).toContain('算力供给');
    // The raw text of an unreadable value is shown; others open on click.
    expect(detail.textContent).toContain('约三百万');
    const src = detail.querySelector<HTMLButtonElement>('[data-cell="申报单位!B13"] button.src')!;
    expect(src.textContent).toBe('申报单位!B13');
    expect(src.getAttribute('title')).toContain('３，２００．５');
    await fireEvent.click(src);
    expect(detail.textContent).toContain('３，２００．５');

    await key('Escape');
    await waitFor(() => expect(document.querySelector('#detail')).toBeNull());
  });

  it('is driven by the keyboard: j/k, Enter, / and search', async () => {
    const { api } = await start();
    await waitFor(() => expect(appRows()).toHaveLength(3));
    const table = document.querySelector<HTMLElement>('table#applications')!;
    table.focus();
    const selected = () => document.querySelector('tr.app-row.selected')?.getAttribute('data-submission-id');
    const first = selected();
    await key('j');
    const second = selected();
    expect(second).not.toBe(first);
    await key('k');
    expect(selected()).toBe(first);
    await key('ArrowDown');
    await key('Enter');
    await waitFor(() => expect(document.querySelector('#detail')).not.toBeNull());
    expect(api.showApplication).toHaveBeenLastCalledWith(Number(second));

    await key('/');
    const search = document.getElementById('app-search') as HTMLInputElement;
    expect(document.activeElement).toBe(search);
    await fireEvent.input(search, { target: { value: 'MA61QX' } });
    await waitFor(() => expect(appRows()).toHaveLength(1));
    expect(appRows()[0].dataset.creditCode).toBe('91500103MA61QX3D6W');
    await key('Escape'); // clears the search
    await waitFor(() => expect(appRows()).toHaveLength(3));
  });

  it('filters by status and sorts by a column', async () => {
    await start();
    await waitFor(() => expect(appRows()).toHaveLength(3));
    const select = document.getElementById('status-filter') as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: 'needs_correction' } });
    await waitFor(() => expect(appRows()).toHaveLength(1));
    await fireEvent.change(select, { target: { value: 'all' } });
    await fireEvent.click(screen.getByRole('button', { name: /统一社会信用代码/ }));
    await waitFor(() => expect(appRows().map((r) => r.dataset.creditCode)).toEqual(['91500103MA5U7K2P39', '91500103MA61QX3D6W', '']));
  });

  it('keeps only the visible window of 10,000 rows in the DOM', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => row(i + 1));
    await start({ rows: [many] });
    await waitFor(() => expect(appRows().length).toBeGreaterThan(10));
    expect(appRows().length).toBeLessThan(80);
    expect(screen.getByText('共 10000 份申报')).toBeTruthy();
  });

  it('shows a failed list load with its message and a retry', async () => {
    vi.mocked(api.auditVerify).mockResolvedValue({ ok: true, entries: 1, firstBad: null, head: '0f'.repeat(32), message: '' });
    vi.mocked(api.listApplications)
      .mockRejectedValueOnce(new api.ApiError('db_locked', '数据库正被另一个程序使用。'))
      .mockResolvedValue(ROWS);
    render(App);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('数据库正被另一个程序使用。');
    expect(alert.textContent).not.toMatch(/at \w+ \(|Error:/);
    await fireEvent.click(within(alert).getByRole('button', { name: '重试' }));
    await waitFor(() => expect(appRows()).toHaveLength(3));
  });
});

describe('header', () => {
  it('reports an intact audit chain', async () => {
    await start();
    expect(await screen.findByText('审计链完好（12 条）')).toBeTruthy();
  });

  it('warns loudly when the audit chain is broken', async () => {
    await start({ audit: { ok: false, entries: 9, firstBad: 3, head: '0f'.repeat(32), message: '第 3 条记录的哈希不符。' } });
    const banner = await waitFor(() => {
      const b = document.querySelector('.audit-banner');
      expect(b).not.toBeNull();
      return b as HTMLElement;
    });
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('审计链异常');
    expect(banner.textContent).toContain('第 3 条记录的哈希不符。');
    expect(banner.textContent).toContain('（第 3 条记录起链接断开）');
    // Verifying again does not hide the warning while it runs.
    vi.mocked(api.auditVerify).mockReturnValue(new Promise(() => {}));
    await fireEvent.click(document.getElementById('audit-status')!);
    expect(api.auditVerify).toHaveBeenCalledTimes(2);
    expect(document.querySelector('.audit-banner')).not.toBeNull();
  });

  it('warns as loudly when the audit check itself fails', async () => {
    vi.mocked(api.listApplications).mockResolvedValue(ROWS);
    vi.mocked(api.auditVerify).mockRejectedValue(new api.ApiError('db_locked', '数据库正被另一个程序使用。'));
    render(App);
    const banner = await waitFor(() => {
      const b = document.querySelector('.audit-banner');
      expect(b).not.toBeNull();
      return b as HTMLElement;
    });
    expect(banner.textContent).toContain('无法校验审计链');
    expect(banner.textContent).toContain('数据库正被另一个程序使用。');
  });

  it('switches the whole interface to English and remembers it', async () => {
    await start();
    await waitFor(() => expect(appRows()).toHaveLength(3));
    await fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(localStorage.getItem('reviewdesk.lang')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(screen.getByRole('button', { name: /^Applications$/ })).toBeTruthy();
    const errRow = appRows().find((r) => r.dataset.status === 'needs_correction')!;
    expect(errRow.textContent).toContain('Needs correction');
    expect(errRow.textContent).toContain('2 errors');
    await fireEvent.click(errRow);
    const detail = await waitFor(() => {
      const d = document.querySelector('#detail');
      expect(d?.querySelector('.issue-cell')).toBeTruthy();
      return d as HTMLElement;
    });
    expect(detail.textContent).toContain('The credit code was turned into scientific notation.');
    expect(detail.textContent).not.toContain('统一社会信用代码被转成了科学计数法。');
    expect(detail.querySelector('.issue-cell')!.textContent).toBe('申报单位!B3');
    expect(detail.textContent).toContain('32,005,000.00 yuan');
    expect(detail.textContent).toContain('2025-04-18');
  });

  it('opens the shortcut help with ? and closes it with Esc', async () => {
    await start();
    await waitFor(() => expect(appRows()).toHaveLength(3));
    await key('?');
    expect(await screen.findByRole('dialog')).toBeTruthy();
    expect(screen.getByText('键盘快捷键')).toBeTruthy();
    await key('Escape');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});

describe('navigation', () => {
  it('shows app information in Settings', async () => {
    await start();
    await fireEvent.click(screen.getByRole('button', { name: /设置/ }));
    expect(await screen.findByText('/data/reviewdesk.db')).toBeTruthy();
    expect(screen.getByText('0.1.0')).toBeTruthy();
  });

  it('switches screens with Alt+digit', async () => {
    await start();
    await waitFor(() => expect(appRows()).toHaveLength(3));
    await key('1', { altKey: true, code: 'Digit1' });
    expect(await screen.findByRole('heading', { name: '总览' })).toBeTruthy();
    await key('3', { altKey: true, code: 'Digit3' });
    expect(await screen.findByRole('heading', { name: '导入申报表' })).toBeTruthy();
    expect(document.querySelectorAll('#load-samples')).toHaveLength(1);
  });
});
