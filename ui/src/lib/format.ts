// Display formatters. Money arrives as decimal strings in yuan ("32005000.00")
// and is only ever rearranged as text here: no parseFloat, no arithmetic, so
// no amount can drift by a binary rounding error between the engine and the
// screen.
import { catalogues, type Lang } from '../i18n/catalogues';
import type { FieldScalar, ImportStatus } from '../types';

interface DecimalParts {
  negative: boolean;
  /** Integer digits without leading zeros ("0" for zero). */
  int: string;
  /** Fraction digits as given (may be ""). */
  frac: string;
}

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d*))?$/;

/** Splits a plain decimal string ("-1234.5") into sign, integer and fraction digits; null if it is not one. */
export function parseDecimal(input: string): DecimalParts | null {
  const m = DECIMAL_RE.exec(input.trim());
  if (!m) return null;
  const int = m[2].replace(/^0+(?=\d)/, '');
  const frac = m[3] ?? '';
  const isZero = /^0*$/.test(int) && /^0*$/.test(frac);
  return { negative: m[1] === '-' && !isZero, int, frac };
}

/** "32005000" → "32,005,000". Digits only. */
export function groupThousands(digits: string, sep = ','): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += sep;
    out += digits[i];
  }
  return out;
}

/**
 * "32005000.00" → "32,005,000.00". At least two decimals; more are kept as
 * given (never rounded here: rounding is the engine's decision). A string that
 * is not a plain decimal is returned unchanged.
 */
export function formatAmount(yuan: string): string {
  const p = parseDecimal(yuan);
  if (!p) return yuan;
  const frac = p.frac.length >= 2 ? p.frac : p.frac.padEnd(2, '0');
  return `${p.negative ? '-' : ''}${groupThousands(p.int)}.${frac}`;
}

/** "32005000.00" → "32,005,000.00 元" (zh) / "32,005,000.00 yuan" (en). */
export function formatMoney(yuan: string, lang: Lang): string {
  if (!parseDecimal(yuan)) return yuan;
  return `${formatAmount(yuan)} ${catalogues[lang].values.yuanUnit}`;
}

/**
 * Yuan → 万元 by moving the decimal point four places left in the string:
 * "32005000.00" → "3,200.5", "6500000.00" → "650", "0.01" → "0.000001".
 * Trailing fraction zeros are dropped.
 */
export function yuanToWan(yuan: string): string {
  const p = parseDecimal(yuan);
  if (!p) return yuan;
  const padded = p.int.padStart(5, '0'); // at least one integer digit left after the move
  let int = padded.slice(0, -4).replace(/^0+(?=\d)/, '');
  let frac = (padded.slice(-4) + p.frac).replace(/0+$/, '');
  if (int === '') int = '0';
  const zero = /^0*$/.test(int) && frac === '';
  return `${p.negative && !zero ? '-' : ''}${groupThousands(int)}${frac ? '.' + frac : ''}`;
}

/** "32005000.00" → "3,200.5 万元". */
export function formatWan(yuan: string, lang: Lang): string {
  if (!parseDecimal(yuan)) return yuan;
  return `${yuanToWan(yuan)} ${catalogues[lang].values.wanUnit}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function zhDate(y: string | number, m: string | number, d: string | number): string {
  return `${Number(y)}年${Number(m)}月${Number(d)}日`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "2025-04-18" → "2025年4月18日" (zh) / "2025-04-18" (en). A date-time keeps its date part. */
export function formatDate(iso: string, lang: Lang): string {
  const m = DATE_RE.exec(iso) ?? DATE_RE.exec(iso.slice(0, 10));
  if (!m) return iso;
  return lang === 'zh-CN' ? zhDate(m[1], m[2], m[3]) : `${m[1]}-${m[2]}-${m[3]}`;
}

/**
 * An ISO date-time → "2025年4月18日 09:30" (zh) / "2025-04-18 09:30" (en).
 * With an offset ("Z", "+08:00") it is shown in this computer's time zone;
 * without one, as written.
 */
export function formatDateTime(iso: string, lang: Lang): string {
  const m = DATETIME_RE.exec(iso.trim());
  if (!m) return DATE_RE.test(iso) ? formatDate(iso, lang) : iso;
  let y: number, mo: number, d: number, h: number, mi: number;
  if (m[7]) {
    const t = new Date(iso.trim());
    if (Number.isNaN(t.getTime())) return iso;
    [y, mo, d, h, mi] = [t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes()];
  } else {
    [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  }
  const time = `${pad2(h)}:${pad2(mi)}`;
  return lang === 'zh-CN' ? `${zhDate(y, mo, d)} ${time}` : `${y}-${pad2(mo)}-${pad2(d)} ${time}`;
}

/** 正常 / 待补正 / 已拒收 / 重复 — or the English labels. Unknown statuses are shown as they came. */
export function statusLabel(status: ImportStatus | string, lang: Lang): string {
  const labels = catalogues[lang].status as Record<string, string>;
  return labels[status] ?? status;
}

/** Workbook labels whose values are money (yuan strings), after the unit is stripped from the key. */
export const MONEY_FIELDS: ReadonlySet<string> = new Set([
  '上年度营业收入',
  '上年度纳税总额',
  '项目总投资',
  '项目营业收入',
  '资助到账金额',
  '算力费用',
  '场景投资',
  '支持金额',
]);

export interface DisplayValue {
  text: string;
  /** For money: the same amount in 万元 (number only, "3,200.5"), as the workbook states it. */
  wan?: string;
  kind: 'money' | 'date' | 'bool' | 'number' | 'text' | 'empty';
}

/** A stored field value for display, by its label and the value's shape. */
export function formatFieldValue(label: string, value: FieldScalar | null, lang: Lang): DisplayValue {
  const c = catalogues[lang];
  if (value === null || value === '') return { text: c.values.empty, kind: 'empty' };
  if (typeof value === 'boolean') return { text: value ? c.values.yes : c.values.no, kind: 'bool' };
  if (typeof value === 'number') {
    const s = String(value);
    const p = parseDecimal(s);
    // Years and small counts read better ungrouped ("2026", "85"); large ones grouped ("96,000").
    if (!p || p.int.length <= 4) return { text: s, kind: 'number' };
    return {
      text: `${p.negative ? '-' : ''}${groupThousands(p.int)}${p.frac ? '.' + p.frac : ''}`,
      kind: 'number',
    };
  }
  if (MONEY_FIELDS.has(label) && parseDecimal(value)) {
    return { text: formatMoney(value, lang), wan: yuanToWan(value), kind: 'money' };
  }
  if (DATE_RE.test(value)) return { text: formatDate(value, lang), kind: 'date' };
  return { text: value, kind: 'text' };
}

/** The file name of a path, for either separator. */
export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** `sheet!cell`, the sheet alone, the cell alone, or null for a file-level issue. */
export function cellRef(sheet: string | null, cell: string | null): string | null {
  if (sheet && cell) return `${sheet}!${cell}`;
  return sheet || cell || null;
}

const CELL_RE = /^(?:(.*)!)?\$?([A-Za-z]{1,3})\$?(\d+)$/;

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/**
 * Orders source cells as they sit in the workbook: by sheet (first seen
 * first is the caller's job; here by name), then row, then column. "B9" comes
 * before "B10". Unparseable references go last, in text order.
 */
export function compareCells(a: string, b: string): number {
  const ma = CELL_RE.exec(a);
  const mb = CELL_RE.exec(b);
  if (!ma || !mb) return ma ? -1 : mb ? 1 : a.localeCompare(b);
  const sheet = (ma[1] ?? '').localeCompare(mb[1] ?? '');
  if (sheet !== 0) return sheet;
  return Number(ma[3]) - Number(mb[3]) || columnNumber(ma[2]) - columnNumber(mb[2]);
}

/** A field map's entries in workbook order (the Rust side sends them keyed, in label order). */
export function fieldsInSheetOrder<T extends { cell: string }>(fields: Record<string, T>): [string, T][] {
  return Object.entries(fields).sort(([, x], [, y]) => compareCells(x.cell, y.cell));
}

const CJK = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;

/**
 * The engine writes its messages in both languages, Chinese first:
 * "证书文件密码错误 / Wrong PKCS#12 password". Show only the interface
 * language's half, so no screen mixes languages. The split is the first
 * " / " with Chinese before it and Latin text after it; a message without
 * one is shown whole.
 */
export function localText(message: string, lang: Lang): string {
  let from = 0;
  for (;;) {
    const i = message.indexOf(' / ', from);
    if (i < 0) return message;
    const zh = message.slice(0, i).trim();
    const en = message.slice(i + 3).trim();
    if (CJK.test(zh) && /^[A-Za-z0-9"'(]/.test(en) && !CJK.test(en.slice(0, 12))) {
      return lang === 'zh-CN' ? zh : en;
    }
    from = i + 3;
  }
}

/**
 * An error's message in the interface language: the Rust side sends the two
 * languages apart (`message_zh`, `message_en`); older messages are split.
 */
export function errorText(err: { message: string; zh?: string; en?: string }, lang: Lang): string {
  const own = lang === 'zh-CN' ? err.zh : err.en;
  return own && own.trim() !== '' ? own : localText(err.message, lang);
}

/** The engine's English beside its Chinese: the English in the English interface when it is there. */
export function inLang(zh: string, en: string | null | undefined, lang: Lang): string {
  return lang === 'en' && en ? en : zh;
}
