// 公示与拨付: publishing waits for approved decisions and the register role
// (the reason said beside the button), the ledger's states as chips, and a
// finance import's refused rows listed with their row and reason.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return {
    ...actual,
    roundNotices: vi.fn(),
    roundObjections: vi.fn(),
    ledgerRows: vi.fn(),
    managedLists: vi.fn(),
    calendarYears: vi.fn(),
    clawbackCases: vi.fn(),
    noticePlan: vi.fn(),
    importLedgerWithDialog: vi.fn(),
  };
});

import * as api from '../api';
import Operations from './Operations.svelte';
import { i18n } from '../i18n/index.svelte';
import { reviewer } from '../state/reviewer.svelte';
import { codeMatches, ledgerChip, nextStep, publishBlock } from '../components/ops/ops';
import type { ActingPerson, ClawbackCase, LedgerRow, NoticePlan, PersonRole } from '../types';

const plan = (pending: number, until: string | null = '2026-10-12'): NoticePlan => ({
  from: until ? '2026-09-30' : null,
  until,
  workingDays: 5,
  pending,
  problem: until ? null : '没有2027年的工作日历',
});

const person = (roles: PersonRole[]) => ({ holder: '测试登记员', fingerprint: 'ab', roles }) as unknown as ActingPerson;

const row = (state: string, n: number): LedgerRow => ({
  letterNumber: `渝中数据〔2026〕${n}号`,
  applicant: `单位${n}`,
  creditCode: '91500103MA5U8XK21L',
  clause: 'C1',
  project: `项目${n}`,
  bank: '重庆银行',
  account: '6217000000000000',
  amountYuan: '650000.00',
  state,
  paidOn: null,
  voucher: null,
  paidYuan: null,
  letterSha256: 'aa',
  recoveredYuan: null,
  paidBeforeYuan: null,
  dueYuan: '0.00',
});

function empty() {
  vi.mocked(api.roundNotices).mockResolvedValue([]);
  vi.mocked(api.roundObjections).mockResolvedValue([]);
  vi.mocked(api.ledgerRows).mockResolvedValue([]);
  vi.mocked(api.managedLists).mockResolvedValue([]);
  vi.mocked(api.calendarYears).mockResolvedValue([]);
  vi.mocked(api.clawbackCases).mockResolvedValue([]);
}

beforeEach(() => {
  i18n.set('zh-CN');
  vi.clearAllMocks();
  empty();
});

describe('publishing a notice', () => {
  it('is disabled without approved decisions, saying why', async () => {
    reviewer.person = person(['register']);
    vi.mocked(api.noticePlan).mockResolvedValue(plan(0));
    render(Operations);
    expect(await screen.findByText('没有尚未公示的已审批决定。')).toBeTruthy();
    const btn = screen.getByRole('button', { name: '发布公示…' }) as HTMLButtonElement;
    expect(btn.disabled).toBe(true);
  });

  it('is disabled without the register role, and enabled with it and approved decisions, the period shown first', async () => {
    reviewer.person = person(['reviewer']);
    vi.mocked(api.noticePlan).mockResolvedValue(plan(3));
    const first = render(Operations);
    expect(await screen.findByText('发布公示需要“登记”角色。')).toBeTruthy();
    first.unmount();
    reviewer.person = person(['register']);
    render(Operations);
    const line = await screen.findByText(/公示期：/);
    expect(line.textContent).toContain('2026年9月30日 至 2026年10月12日（5 个工作日）');
    expect(line.textContent).toContain('3 个已审批的决定待公示');
    expect((screen.getByRole('button', { name: '发布公示…' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('says the calendar is missing when no period can be computed', () => {
    expect(publishBlock(plan(2, null), ['register'])).toBe('calendar');
    expect(publishBlock(plan(2), null)).toBe('signIn');
  });
});

describe('the payment ledger', () => {
  it('shows each state as a chip and lists the rows finance’s import refused', async () => {
    reviewer.person = person(['register']);
    vi.mocked(api.noticePlan).mockResolvedValue(plan(0));
    vi.mocked(api.ledgerRows).mockResolvedValue([row('待拨付', 1), row('已拨付', 2), row('部分追回', 3), row('已追回', 4)]);
    vi.mocked(api.importLedgerWithDialog).mockResolvedValue({
      paid: 1,
      refused: [{ row: 3, reason: '银行账号与台账不一致' }],
    });
    render(Operations);
    await fireEvent.click(await screen.findByRole('tab', { name: '拨付台账' }));
    const chips = [...document.querySelectorAll('.ledger .chip')].map((c) => c.textContent);
    expect(chips).toEqual(['待拨付', '已拨付', '部分追回', '已追回']);
    expect(screen.getAllByText('650,000.00 元').length).toBe(4);
    await fireEvent.click(screen.getByRole('button', { name: '导入财务回填…' }));
    const refused = await screen.findByText('第 3 行');
    expect(refused.parentElement?.textContent).toContain('银行账号与台账不一致');
    expect(screen.getByText('已登记拨付 1 行；拒收 1 行。')).toBeTruthy();
  });
});

describe('helpers', () => {
  it('maps states, masked codes and clawback steps', () => {
    expect(ledgerChip('部分追回')).toBe('partly');
    expect(ledgerChip('应追回差额')).toBe('excess');
    expect(ledgerChip('待补拨')).toBe('topUp');
    expect(ledgerChip('?')).toBe('other');
    expect(codeMatches('915001********K21L', '91500103MA5U8XK21L')).toBe(true);
    expect(codeMatches('915001********K21X', '91500103MA5U8XK21L')).toBe(false);
    expect(nextStep({ state: 'responded' } as ClawbackCase)).toBe('revoke');
    expect(nextStep({ state: 'recovered' } as ClawbackCase)).toBe('done');
  });
});
