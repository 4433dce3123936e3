import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installTooltips, TOOLTIP_ID, type Tooltips } from './tooltips';

// Issue 17 item 9: tooltips stuck over rows and the navigation. Each case
// hovers an element with a title, sees our tooltip, then does what a reviewer
// does next and expects the tooltip gone.
describe('tooltips', () => {
  let tips: Tooltips;
  let row: HTMLElement;
  let nav: HTMLElement;

  beforeEach(() => {
    vi.useFakeTimers();
    document.body.innerHTML =
      '<nav><button id="nav" title="申报 (Alt+2)">申报</button></nav>' +
      '<div id="list"><div id="row" title="重庆某某科技有限公司"><span id="cell">重庆某某</span></div></div>' +
      '<p id="away">away</p>';
    row = document.getElementById('row')!;
    nav = document.getElementById('nav')!;
    tips = installTooltips(document, 100);
  });
  afterEach(() => {
    tips.destroy();
    vi.useRealTimers();
  });

  const shown = () => {
    const el = document.getElementById(TOOLTIP_ID);
    return el && !el.hidden ? el.textContent : null;
  };
  function hover(el: Element) {
    el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    vi.advanceTimersByTime(150);
  }

  it('shows the title in its own element and holds the native title aside', () => {
    hover(document.getElementById('cell')!);
    expect(shown()).toBe('重庆某某科技有限公司');
    expect(row.hasAttribute('title')).toBe(false);
    expect(row.getAttribute('aria-describedby')).toBe(TOOLTIP_ID);
  });

  it('goes on mouse-out and the title comes back', () => {
    hover(row);
    row.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: document.getElementById('away') }));
    expect(shown()).toBeNull();
    expect(row.getAttribute('title')).toBe('重庆某某科技有限公司');
  });

  it('stays while the pointer moves inside its element', () => {
    hover(row);
    row.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: document.getElementById('cell') }));
    expect(shown()).toBe('重庆某某科技有限公司');
  });

  it('goes on scroll, wheel, key press and pointer press', () => {
    for (const ev of [new Event('scroll'), new WheelEvent('wheel'), new KeyboardEvent('keydown', { key: 'j' }), new MouseEvent('pointerdown')]) {
      hover(nav);
      expect(shown()).toBe('申报 (Alt+2)');
      (ev.type === 'scroll' ? document.getElementById('list')! : document.body).dispatchEvent(ev);
      expect(shown()).toBeNull();
      nav.dispatchEvent(new MouseEvent('mouseout', { bubbles: true }));
    }
  });

  it('goes when the row list re-renders under it', async () => {
    hover(row);
    expect(shown()).not.toBeNull();
    document.getElementById('list')!.innerHTML = '<div title="另一家">另一家</div>';
    await vi.waitFor(() => expect(shown()).toBeNull());
  });

  it('never appears when the pointer left before the delay', () => {
    row.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    row.dispatchEvent(new MouseEvent('mouseout', { bubbles: true }));
    vi.advanceTimersByTime(500);
    expect(shown()).toBeNull();
  });
});
