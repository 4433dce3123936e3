// The shortcut help says what the keys do: j and ↓ go to the next
// application, k and ↑ to the previous one (keyAction decides that).
import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';

import HelpOverlay from './HelpOverlay.svelte';
import { i18n } from '../i18n/index.svelte';
import { keyAction } from '../lib/keys';

function rows(container: HTMLElement): [string, string][] {
  const dts = [...container.querySelectorAll('dt')];
  return dts.map((dt) => [[...dt.querySelectorAll('kbd')].map((k) => k.textContent).join(' '), dt.nextElementSibling?.textContent ?? '']);
}

describe('shortcut help', () => {
  it('names the next application first for j and ↓, as the keys move', () => {
    const ctx = { helpOpen: false, typing: false, inSearch: false, onControl: false, inDetail: false, listActive: true, detailOpen: false, pageSize: 15 };
    expect(keyAction({ key: 'j' }, ctx)).toEqual({ type: 'move', delta: 1 });
    for (const lang of ['zh-CN', 'en'] as const) {
      i18n.set(lang);
      const { container, unmount } = render(HelpOverlay);
      const jk = rows(container).find(([k]) => k === 'j k');
      const arrows = rows(container).find(([k]) => k === '↓ ↑');
      expect(jk?.[1]).toMatch(lang === 'en' ? /^Next \/ previous/ : /^下一份 \/ 上一份/);
      expect(arrows?.[1]).toMatch(lang === 'en' ? /^Next \/ previous/ : /^下一份 \/ 上一份/);
      unmount();
    }
    i18n.set('zh-CN');
  });
});
