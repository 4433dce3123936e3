// The letters components with logic: the password dialog, the verification
// verdict and the page preview (api.ts is not involved: props in, DOM out).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { ApiError } from '../api';
import { i18n } from '../i18n/index.svelte';
import PasswordDialog from './PasswordDialog.svelte';
import VerifyResult from './VerifyResult.svelte';
import LetterPreview, { xList } from './LetterPreview.svelte';
import type { LetterCheck, PreviewLetter } from '../types';

beforeEach(() => i18n.set('zh-CN'));

describe('password dialog', () => {
  const props = (onconfirm: (p: string) => Promise<void>, onclose = vi.fn()) => ({
    title: '签发决定书',
    message: '用证书签名',
    confirmLabel: '签名并签发',
    onconfirm,
    onclose,
  });

  it('asks for a password before calling anything', async () => {
    const onconfirm = vi.fn(async () => {});
    const { container } = render(PasswordDialog, props(onconfirm));
    await fireEvent.click(container.querySelector('#password-confirm')!);
    expect(screen.getByRole('alert').textContent).toBe('请输入证书密码。');
    expect(onconfirm).not.toHaveBeenCalled();
  });

  it('shows a wrong password where it was typed, in the interface language, and stays open', async () => {
    const onclose = vi.fn();
    const onconfirm = vi.fn(async () => {
      throw new ApiError('wrong_password', '证书文件密码错误或文件已损坏 / Wrong PKCS#12 password or damaged file');
    });
    const { container } = render(PasswordDialog, props(onconfirm, onclose));
    const input = container.querySelector<HTMLInputElement>('#certificate-password')!;
    expect(document.activeElement).toBe(input);
    await fireEvent.input(input, { target: { value: 'nope' } });
    await fireEvent.click(container.querySelector('#password-confirm')!);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('证书文件密码错误或文件已损坏'));
    expect(onconfirm).toHaveBeenCalledWith('nope');
    expect(onclose).not.toHaveBeenCalled();
    expect(container.querySelector('#password-dialog')).toBeTruthy();
  });

  it('keeps Tab inside the dialog', async () => {
    const { container } = render(PasswordDialog, props(async () => {}));
    const input = container.querySelector<HTMLInputElement>('#certificate-password')!;
    const confirm = container.querySelector<HTMLButtonElement>('#password-confirm')!;
    confirm.focus();
    await fireEvent.keyDown(confirm, { key: 'Tab' });
    expect(document.activeElement).toBe(input);
    await fireEvent.keyDown(input, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirm);
  });

  it('closes after the action succeeds, and on Escape', async () => {
    const onclose = vi.fn();
    const { container } = render(PasswordDialog, props(async () => {}, onclose));
    await fireEvent.input(container.querySelector('#certificate-password')!, { target: { value: 'ok' } });
    await fireEvent.click(container.querySelector('#password-confirm')!);
    await waitFor(() => expect(onclose).toHaveBeenCalledTimes(1));
    await fireEvent.keyDown(container.querySelector('#password-dialog')!, { key: 'Escape' });
    expect(onclose).toHaveBeenCalledTimes(2);
  });
});

const valid: LetterCheck = {
  fileName: '渝中大数据发〔2026〕1号.pdf',
  valid: true,
  signed: true,
  signatureValid: true,
  unchangedSinceSigning: true,
  trusted: true,
  test: false,
  signer: '李审批',
  signedAt: "D:20261126092241+08'00'",
  inRegister: true,
  voided: false,
  replacedBy: null,
  number: '渝中大数据发〔2026〕1号',
  kind: 'approval',
  creditCode: '91500103MA7HJ2LT5M',
  contentMatches: true,
  sha256: 'a'.repeat(64),
  problems: [],
};

describe('verification result', () => {
  const states = (c: HTMLElement) =>
    Object.fromEntries([...c.querySelectorAll<HTMLElement>('li.check')].map((li) => [li.dataset.check, li.dataset.state]));

  it('says valid and passes every check', () => {
    const { container } = render(VerifyResult, { check: valid });
    expect(container.querySelector('#verify-result')!.getAttribute('data-valid')).toBe('true');
    expect(screen.getByRole('status').textContent).toContain('有效');
    expect(Object.values(states(container)).every((s) => s === 'pass')).toBe(true);
    expect(container.textContent).toContain('在发文登记簿中（渝中大数据发〔2026〕1号）');
    // in this computer's zone, with the zone named (issue 17 item 8)
    expect(container.textContent).toMatch(/签名时间 ?2026年11月2[56]日 \d\d:22:41（UTC[+-]\d\d:\d\d）/);
  });

  it('shows what failed on a changed file, and what no longer applies', () => {
    i18n.set('en');
    const { container } = render(VerifyResult, {
      check: {
        ...valid,
        valid: false,
        signatureValid: false,
        inRegister: false,
        number: null,
        contentMatches: null,
        problems: ['摘要不符：签名后内容被修改 / digest mismatch: the document was changed after signing'],
      },
    });
    expect(container.querySelector('#verify-result')!.getAttribute('data-valid')).toBe('false');
    expect(states(container)).toMatchObject({ signature: 'fail', unchanged: 'pass', register: 'fail', voided: 'na', content: 'na' });
    expect(container.querySelector('.problems')!.textContent).toBe('digest mismatch: the document was changed after signing');
    expect(container.textContent).not.toMatch(/签名有效|发现的问题/);
  });

  it('marks a valid letter under a TEST ONLY certificate as having no legal effect', () => {
    i18n.set('zh-CN');
    const { container } = render(VerifyResult, { check: { ...valid, test: true, signer: '测试签章（TEST ONLY）李审批' } });
    const result = container.querySelector('#verify-result')!;
    expect(result.getAttribute('data-valid')).toBe('true');
    expect(result.getAttribute('data-test')).toBe('true');
    expect(result.classList.contains('test')).toBe(true);
    expect(container.querySelector('#verify-test')!.textContent).toBe('测试证书 · 无法律效力');
  });

  it('says which letter replaced an amended one', () => {
    i18n.set('zh-CN');
    const { container } = render(VerifyResult, { check: { ...valid, valid: false, replacedBy: '渝中大数据发〔2026〕9号' } });
    expect(states(container).replaced).toBe('fail');
    expect(container.textContent).toContain('已由渝中大数据发〔2026〕9号变更或撤销');
  });
});

describe('letter preview', () => {
  const letter: PreviewLetter = {
    number: '渝中大数据发〔2026〕1号',
    kind: 'approval',
    project: 'AI+智慧物流调度',
    amountYuan: '435000.00',
    content: {
      kind: 'approval',
      number: '渝中大数据发〔2026〕1号',
      title: '关于给予重庆渝算智能科技有限公司算力经济发展扶持资金的决定',
      addressee: '重庆渝算智能科技有限公司',
      paragraphs: [{ type: 'text', text: '经审核，决定给予扶持资金。' }],
      issuer: '重庆市渝中区大数据应用发展管理局',
      date: '2026-11-26',
      contact: '联系电话：023-63768099',
      auditHead: null,
    },
    widthMm: 210,
    heightMm: 297,
    pages: [
      {
        runs: [
          { text: '决定', xs: [28, 33.64], baseline: 60.5, sizePt: 16, role: 'body', ink: 'black', kind: 'body' },
          { text: '管理局', xs: [40, 47.8, 55.6], baseline: 40, sizePt: 22, role: 'title', ink: 'red', kind: 'flag' },
        ],
        rules: [{ x1: 28, x2: 184, y: 50, widthPt: 2, ink: 'red' }],
        seal: { cx: 150, cy: 230, diameter: 42 },
      },
      { runs: [], rules: [], seal: null },
    ],
  };

  it('places every character where the layout puts it, in millimetres on A4', () => {
    const { container } = render(LetterPreview, { letter });
    const svgs = container.querySelectorAll('svg');
    expect(svgs.length).toBe(2);
    expect(svgs[0].getAttribute('viewBox')).toBe('0 0 210 297');
    const texts = svgs[0].querySelectorAll('text[data-kind]');
    expect(texts[0].getAttribute('x')).toBe('28.00 33.64');
    expect(texts[0].getAttribute('y')).toBe('60.5');
    expect(Number(texts[0].getAttribute('font-size'))).toBeCloseTo(16 * 25.4 / 72, 5);
    expect(texts[1].getAttribute('fill')).toBe('#d0021b');
    expect(container.textContent).toContain('第 2 页，共 2 页');
    expect(xList(letter.pages[0].runs[1]).split(' ').length).toBe([...'管理局'].length);
  });
});
