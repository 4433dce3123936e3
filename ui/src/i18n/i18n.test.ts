import { describe, expect, it } from 'vitest';
import zhCN from './zh-CN';
import en from './en';
import { i18n, loadLang, STORAGE_KEY } from './index.svelte';

/** Every key path of a catalogue, with the kind of value at it. */
function shape(o: unknown, prefix = ''): string[] {
  if (typeof o === 'function') return [`${prefix}:fn${o.length}`];
  if (o && typeof o === 'object') {
    return Object.keys(o)
      .sort()
      .flatMap((k) => shape((o as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
  }
  return [`${prefix}:${typeof o}`];
}

describe('catalogues', () => {
  it('have the same keys and argument counts (field labels aside)', () => {
    const strip = (m: typeof zhCN) => ({ ...m, fieldLabels: {} });
    expect(shape(strip(en))).toEqual(shape(strip(zhCN)));
  });

  it('have no empty Chinese strings', () => {
    const empties = shape(zhCN).filter((p) => p.endsWith(':string')).filter((p) => {
      const v = p
        .split(':')[0]
        .split('.')
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], zhCN);
      return v === '';
    });
    expect(empties).toEqual([]);
  });

  it('keep the English interface free of Chinese, except workbook terms and the language name', () => {
    const allowed = new Set(['meta.selfName']);
    const offenders: string[] = [];
    const walk = (o: unknown, path: string) => {
      if (path.startsWith('fieldLabels')) return;
      if (typeof o === 'string') {
        if (/[\u4e00-\u9fff]/.test(o) && !allowed.has(path)) offenders.push(path);
      } else if (typeof o === 'function') {
        const s = String((o as (...a: unknown[]) => unknown)(1, 2));
        if (/[\u4e00-\u9fff]/.test(s)) offenders.push(path);
      } else if (o && typeof o === 'object') {
        for (const [k, v] of Object.entries(o)) walk(v, path ? `${path}.${k}` : k);
      }
    };
    walk(en, '');
    expect(offenders).toEqual([]);
  });

  it('word the audit status as specified', () => {
    expect(zhCN.audit.ok(12)).toBe('审计链完好（12 条）');
    expect(en.audit.ok(1)).toBe('Audit chain intact (1 entry)');
  });
});

describe('language choice', () => {
  it('defaults to Chinese', () => {
    expect(loadLang({ getItem: () => null })).toBe('zh-CN');
    expect(loadLang({ getItem: () => 'fr' })).toBe('zh-CN');
    expect(loadLang(undefined)).toBe('zh-CN');
  });

  it('persists the choice in localStorage', () => {
    i18n.set('en');
    expect(localStorage.getItem(STORAGE_KEY)).toBe('en');
    expect(loadLang()).toBe('en');
    expect(i18n.t.nav.applications).toBe('Applications');
    expect(document.documentElement.lang).toBe('en');
    i18n.toggle();
    expect(i18n.lang).toBe('zh-CN');
    expect(localStorage.getItem(STORAGE_KEY)).toBe('zh-CN');
    expect(i18n.t.nav.applications).toBe('申报');
  });

  it('translates workbook labels and clauses, leaving unknown ones as they are', () => {
    i18n.set('en');
    expect(i18n.field('统一社会信用代码')).toBe('Credit code (USCC)');
    expect(i18n.field('自定义字段')).toBe('自定义字段');
    expect(i18n.clause('C2a')).toBe('Key technology R&D');
    i18n.set('zh-CN');
    expect(i18n.field('统一社会信用代码')).toBe('统一社会信用代码');
    expect(i18n.clause('C4')).toBe('AI+应用');
  });
});
