// The current interface language, persisted in localStorage. Components read
// `i18n.t` (the active catalogue) and re-render when `i18n.lang` changes.
import { catalogues, isLang, type Lang, type Messages } from './catalogues';

export { catalogues, isLang, LANGS, type Lang, type Messages } from './catalogues';
export const STORAGE_KEY = 'reviewdesk.lang';

/** Chinese first: English only when the reviewer chose it on this computer. */
export function loadLang(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): Lang {
  try {
    const v = storage?.getItem(STORAGE_KEY);
    return isLang(v) ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function safeStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

class I18n {
  lang = $state<Lang>(loadLang());

  get t(): Messages {
    return catalogues[this.lang];
  }

  set(lang: Lang) {
    this.lang = lang;
    try {
      safeStorage()?.setItem(STORAGE_KEY, lang);
    } catch {
      // Storage may be unavailable; the choice then lasts for this session.
    }
    if (typeof document !== 'undefined') document.documentElement.lang = catalogues[lang].meta.htmlLang;
  }

  toggle() {
    this.set(this.lang === 'zh-CN' ? 'en' : 'zh-CN');
  }

  /** A workbook label in the interface language (labels are Chinese in the workbook). */
  field(label: string): string {
    return this.t.fieldLabels[label] ?? label;
  }

  clause(id: string): string {
    return this.t.clauses[id] ?? id;
  }
}

export const i18n = new I18n();
