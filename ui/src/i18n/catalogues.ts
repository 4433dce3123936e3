// The catalogues by language, without any state (plain module: usable anywhere).
import zhCN, { type Messages } from './zh-CN';
import en from './en';

export type Lang = 'zh-CN' | 'en';
export type { Messages };

export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const catalogues: Record<Lang, Messages> = { 'zh-CN': zhCN, en };

export function isLang(v: unknown): v is Lang {
  return v === 'zh-CN' || v === 'en';
}
