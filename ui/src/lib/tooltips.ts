// The window's tooltips. WebKitGTK draws a native tooltip for a `title`
// attribute and leaves it standing when the row list re-renders under it, the
// list scrolls or a key moves the selection: it stuck over rows and the
// navigation (issue 17 item 9). One delegate for the whole document shows the
// title in our own element instead and removes it on mouse-out, scroll, wheel,
// key press, pointer press, window blur and when its anchor leaves the page.
// While an element is hovered its `title` is held aside (so no native tooltip
// appears) and put back when the tooltip goes.

export const TOOLTIP_ID = 'app-tooltip';

export interface Tooltips {
  /** The element whose title is shown, or null. */
  readonly anchor: Element | null;
  hide(): void;
  destroy(): void;
}

export function installTooltips(doc: Document = document, delayMs = 450): Tooltips {
  const win = doc.defaultView ?? window;
  let anchor: Element | null = null;
  let held = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tip: HTMLDivElement | null = null;

  function element(): HTMLDivElement {
    if (tip && tip.isConnected) return tip;
    tip = doc.createElement('div');
    tip.id = TOOLTIP_ID;
    tip.setAttribute('role', 'tooltip');
    tip.className = 'app-tooltip';
    tip.hidden = true;
    doc.body.appendChild(tip);
    return tip;
  }

  function hide() {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (tip) {
      tip.hidden = true;
      tip.textContent = '';
    }
    if (anchor) {
      // Svelte may have set a new title meanwhile: that one wins.
      if (!anchor.hasAttribute('title') && held) anchor.setAttribute('title', held);
      if (anchor.getAttribute('aria-describedby') === TOOLTIP_ID) anchor.removeAttribute('aria-describedby');
    }
    anchor = null;
    held = '';
  }

  function place(el: HTMLDivElement, a: Element) {
    const r = a.getBoundingClientRect();
    const vw = win.innerWidth || 1024;
    const vh = win.innerHeight || 768;
    const w = el.offsetWidth || 0;
    const h = el.offsetHeight || 0;
    let top = r.bottom + 6;
    if (top + h > vh - 4) top = Math.max(4, r.top - h - 6);
    const left = Math.min(Math.max(4, r.left), Math.max(4, vw - w - 4));
    el.style.top = `${Math.round(top)}px`;
    el.style.left = `${Math.round(left)}px`;
  }

  function onOver(e: Event) {
    const target = e.target instanceof Element ? e.target : null;
    const a = target?.closest('[title]') ?? null;
    if (!a || a === anchor) return;
    const text = a.getAttribute('title') ?? '';
    hide();
    if (!text.trim()) return;
    anchor = a;
    held = text;
    a.removeAttribute('title');
    timer = setTimeout(() => {
      timer = undefined;
      if (!anchor || !anchor.isConnected) return hide();
      const el = element();
      el.textContent = held;
      el.hidden = false;
      anchor.setAttribute('aria-describedby', TOOLTIP_ID);
      place(el, anchor);
    }, delayMs);
  }

  function onOut(e: Event) {
    if (!anchor) return;
    const to = (e as MouseEvent).relatedTarget;
    if (to instanceof Node && anchor.contains(to)) return;
    hide();
  }

  const observer =
    typeof MutationObserver === 'undefined'
      ? null
      : new MutationObserver(() => {
          if (anchor && !anchor.isConnected) hide();
        });
  observer?.observe(doc.body, { childList: true, subtree: true });

  const passive = { capture: true, passive: true } as const;
  const listeners: Array<[EventTarget, string, EventListener, AddEventListenerOptions | boolean]> = [
    [doc, 'mouseover', onOver, passive],
    [doc, 'mouseout', onOut, passive],
    [doc, 'scroll', hide, passive],
    [doc, 'wheel', hide, passive],
    [doc, 'keydown', hide, true],
    [doc, 'pointerdown', hide, passive],
    [win, 'blur', hide, false],
  ];
  for (const [t, type, fn, opts] of listeners) t.addEventListener(type, fn, opts);

  return {
    get anchor() {
      return anchor;
    },
    hide,
    destroy() {
      hide();
      observer?.disconnect();
      for (const [t, type, fn, opts] of listeners) t.removeEventListener(type, fn, typeof opts === 'boolean' ? opts : opts.capture);
      tip?.remove();
      tip = null;
    },
  };
}
