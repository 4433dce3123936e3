import { describe, expect, it } from 'vitest';
import {
  basename,
  inLang,
  localText,
  cellRef,
  compareCells,
  fieldsInSheetOrder,
  formatAmount,
  formatDate,
  formatDateTime,
  formatFieldValue,
  formatMoney,
  formatWan,
  groupThousands,
  parseDecimal,
  statusLabel,
  yuanToWan,
  errorText,
} from './format';

describe('parseDecimal', () => {
  it('splits sign, integer and fraction digits', () => {
    expect(parseDecimal('-1234.50')).toEqual({ negative: true, int: '1234', frac: '50' });
    expect(parseDecimal('007')).toEqual({ negative: false, int: '7', frac: '' });
  });
  it('treats negative zero as zero', () => {
    expect(parseDecimal('-0.00')?.negative).toBe(false);
  });
  it('rejects anything that is not a plain decimal', () => {
    for (const s of ['', 'abc', '1e5', '1,000', '--1', '1.2.3', 'NaN', '１２']) expect(parseDecimal(s)).toBeNull();
  });
});

describe('money grouping', () => {
  it('groups thousands', () => {
    expect(groupThousands('1')).toBe('1');
    expect(groupThousands('123')).toBe('123');
    expect(groupThousands('1234')).toBe('1,234');
    expect(groupThousands('32005000')).toBe('32,005,000');
    expect(groupThousands('123456789012')).toBe('123,456,789,012');
  });

  it('formats yuan with grouping and the unit', () => {
    expect(formatMoney('32005000.00', 'zh-CN')).toBe('32,005,000.00 元');
    expect(formatMoney('650000.00', 'en')).toBe('650,000.00 yuan');
    expect(formatMoney('0.00', 'zh-CN')).toBe('0.00 元');
  });

  it('always shows two decimals, never rounding extra ones away', () => {
    expect(formatAmount('650000')).toBe('650,000.00');
    expect(formatAmount('1.5')).toBe('1.50');
    expect(formatAmount('12.')).toBe('12.00');
    expect(formatAmount('0.125')).toBe('0.125');
  });

  it('keeps negative amounts exact', () => {
    expect(formatAmount('-1234.5')).toBe('-1,234.50');
    expect(formatMoney('-500000.00', 'zh-CN')).toBe('-500,000.00 元');
    expect(formatAmount('-0.00')).toBe('0.00');
  });

  it('does not lose digits beyond float precision', () => {
    // 2^53 + 1 yuan and a cent: a JS number could not hold this.
    expect(formatAmount('9007199254740993.01')).toBe('9,007,199,254,740,993.01');
  });

  it('leaves text that is not an amount unchanged', () => {
    expect(formatMoney('约三百万', 'zh-CN')).toBe('约三百万');
    expect(formatAmount('')).toBe('');
  });
});

describe('万元', () => {
  it('moves the decimal point four places in the string', () => {
    expect(yuanToWan('32005000.00')).toBe('3,200.5');
    expect(yuanToWan('6500000.00')).toBe('650');
    expect(yuanToWan('123456780.00')).toBe('12,345.678');
    expect(yuanToWan('1203500.00')).toBe('120.35');
    expect(yuanToWan('12345.67')).toBe('1.234567');
  });
  it('handles amounts below one 万元 and zero', () => {
    expect(yuanToWan('0.01')).toBe('0.000001');
    expect(yuanToWan('5000')).toBe('0.5');
    expect(yuanToWan('0.00')).toBe('0');
  });
  it('keeps the sign', () => {
    expect(yuanToWan('-500000.00')).toBe('-50');
    expect(yuanToWan('-0.00')).toBe('0');
  });
  it('adds the unit per language', () => {
    expect(formatWan('32005000.00', 'zh-CN')).toBe('3,200.5 万元');
    expect(formatWan('6500000.00', 'en')).toBe('650 ×10,000 yuan');
    expect(formatWan('n/a', 'zh-CN')).toBe('n/a');
  });
});

describe('dates', () => {
  it('formats ISO dates in Chinese', () => {
    expect(formatDate('2025-04-18', 'zh-CN')).toBe('2025年4月18日');
    expect(formatDate('2025-12-01', 'zh-CN')).toBe('2025年12月1日');
  });
  it('keeps ISO dates in English', () => {
    expect(formatDate('2025-04-18', 'en')).toBe('2025-04-18');
  });
  it('takes the date part of a date-time', () => {
    expect(formatDate('2025-04-18T09:30:00', 'zh-CN')).toBe('2025年4月18日');
  });
  it('returns anything else unchanged', () => {
    expect(formatDate('2025年3月', 'zh-CN')).toBe('2025年3月');
  });
  it('formats a date-time without an offset as written', () => {
    expect(formatDateTime('2026-03-02T09:14:05', 'zh-CN')).toBe('2026年3月2日 09:14');
    expect(formatDateTime('2026-03-02T09:14:05', 'en')).toBe('2026-03-02 09:14');
    expect(formatDateTime('2026-03-02 09:14', 'en')).toBe('2026-03-02 09:14');
  });
  it('formats a date-time with an offset in local time', () => {
    const iso = '2026-03-02T09:14:05+08:00';
    const d = new Date(iso);
    const p = (n: number) => String(n).padStart(2, '0');
    expect(formatDateTime(iso, 'en')).toBe(
      `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`,
    );
    expect(formatDateTime(iso, 'zh-CN')).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
  });
  it('falls back to the date alone or the input', () => {
    expect(formatDateTime('2026-03-02', 'zh-CN')).toBe('2026年3月2日');
    expect(formatDateTime('yesterday', 'en')).toBe('yesterday');
  });
});

describe('status labels', () => {
  it('names every status in Chinese', () => {
    expect(statusLabel('ok', 'zh-CN')).toBe('正常');
    expect(statusLabel('needs_correction', 'zh-CN')).toBe('待补正');
    expect(statusLabel('rejected', 'zh-CN')).toBe('已拒收');
    expect(statusLabel('duplicate', 'zh-CN')).toBe('重复');
  });
  it('names every status in English', () => {
    expect(statusLabel('ok', 'en')).toBe('OK');
    expect(statusLabel('needs_correction', 'en')).toBe('Needs correction');
    expect(statusLabel('rejected', 'en')).toBe('Rejected');
    expect(statusLabel('duplicate', 'en')).toBe('Duplicate');
  });
  it('shows an unknown status as it came', () => {
    expect(statusLabel('frozen', 'zh-CN')).toBe('frozen');
  });
});

describe('field values', () => {
  it('formats money fields with their 万元 equivalent', () => {
    expect(formatFieldValue('上年度营业收入', '32005000.00', 'zh-CN')).toEqual({
      text: '32,005,000.00 元',
      wan: '3,200.5',
      kind: 'money',
    });
  });
  it('does not treat other decimal strings as money', () => {
    expect(formatFieldValue('立项文号', '2025.06', 'zh-CN').kind).toBe('text');
  });
  it('formats dates, booleans, numbers and empties', () => {
    expect(formatFieldValue('成立日期', '2019-03-08', 'zh-CN').text).toBe('2019年3月8日');
    expect(formatFieldValue('信用承诺', true, 'zh-CN').text).toBe('是');
    expect(formatFieldValue('信用承诺', false, 'en').text).toBe('No');
    expect(formatFieldValue('上年末从业人员', 85, 'zh-CN').text).toBe('85');
    expect(formatFieldValue('申报年度', 2026, 'zh-CN').text).toBe('2026');
    expect(formatFieldValue('使用量', 96000, 'zh-CN').text).toBe('96,000');
    expect(formatFieldValue('算力规模', 120.5, 'zh-CN').text).toBe('120.5');
    expect(formatFieldValue('电子邮箱', null, 'zh-CN')).toEqual({ text: '—', kind: 'empty' });
  });
});

describe('helpers', () => {
  it('takes the file name of either kind of path', () => {
    expect(basename('/a/b/06-errors.xlsx')).toBe('06-errors.xlsx');
    expect(basename('C:\\申报\\01.xlsx')).toBe('01.xlsx');
  });
  it('builds sheet!cell references', () => {
    expect(cellRef('申报单位', 'B3')).toBe('申报单位!B3');
    expect(cellRef('申报单位', null)).toBe('申报单位');
    expect(cellRef(null, null)).toBeNull();
  });
});

describe('workbook order', () => {
  it('orders cells by row, then column, numerically', () => {
    const cells = ['申报单位!B10', '申报单位!B9', '申报单位!B2', 'C1-算力供给!AA3', 'C1-算力供给!C3', 'C1-算力供给!B4'];
    expect([...cells].sort(compareCells)).toEqual([
      'C1-算力供给!C3',
      'C1-算力供给!AA3',
      'C1-算力供给!B4',
      '申报单位!B2',
      '申报单位!B9',
      '申报单位!B10',
    ]);
  });
  it('puts unparseable references last', () => {
    expect(['?', 'B2', 'A1'].sort(compareCells)).toEqual(['A1', 'B2', '?']);
  });
  it('lists fields in sheet order rather than label order', () => {
    const fields = {
      上年度营业收入: { cell: '申报单位!B13' },
      单位名称: { cell: '申报单位!B2' },
      统一社会信用代码: { cell: '申报单位!B3' },
    };
    expect(fieldsInSheetOrder(fields).map(([k]) => k)).toEqual(['单位名称', '统一社会信用代码', '上年度营业收入']);
  });
});

describe('localText', () => {
  it('keeps the interface language half of an engine message', () => {
    const m = '证书文件密码错误或文件已损坏 / Wrong PKCS#12 password or damaged file';
    expect(localText(m, 'zh-CN')).toBe('证书文件密码错误或文件已损坏');
    expect(localText(m, 'en')).toBe('Wrong PKCS#12 password or damaged file');
  });

  it('skips a slash inside the Chinese half (a path) and keeps one-language messages whole', () => {
    const m = '无法写入 /tmp/a / b：权限不足 / cannot write /tmp/a / b';
    expect(localText(m, 'zh-CN')).toBe('无法写入 /tmp/a / b：权限不足');
    expect(localText(m, 'en')).toBe('cannot write /tmp/a / b');
    expect(localText('提出人 李四 不能审批自己的提议', 'en')).toBe('提出人 李四 不能审批自己的提议');
    expect(localText('no split here', 'zh-CN')).toBe('no split here');
  });
});

describe('inLang', () => {
  it('uses the English the engine sent, else the Chinese', () => {
    expect(inLang('注册地在渝中区', 'registered in Yuzhong', 'en')).toBe('registered in Yuzhong');
    expect(inLang('注册地在渝中区', 'registered in Yuzhong', 'zh-CN')).toBe('注册地在渝中区');
    expect(inLang('注册地在渝中区', undefined, 'en')).toBe('注册地在渝中区');
  });
});

describe('errorText', () => {
  it('shows the language the Rust side sent apart, and splits only older messages', () => {
    const sent = { message: '提出人不能审批 / the proposer cannot approve', zh: '提出人不能审批', en: 'the proposer cannot approve' };
    expect(errorText(sent, 'zh-CN')).toBe('提出人不能审批');
    expect(errorText(sent, 'en')).toBe('the proposer cannot approve');
    // fields win even where a split would cut elsewhere
    expect(errorText({ message: 'a / b', zh: '甲', en: 'A' }, 'en')).toBe('A');
    expect(errorText({ message: '证书文件密码错误 / Wrong PKCS#12 password' }, 'en')).toBe('Wrong PKCS#12 password');
  });
});
