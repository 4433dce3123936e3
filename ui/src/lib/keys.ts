// Keyboard routing for the workstation, as a pure decision: which action a
// key press means in the current context. App.svelte performs the action.

export type KeyAction =
  | { type: 'toggleHelp' }
  | { type: 'closeHelp' }
  | { type: 'go'; index: number }
  | { type: 'focusSearch' }
  | { type: 'leaveSearch' }
  | { type: 'move'; delta: number }
  | { type: 'edge'; which: 'first' | 'last' }
  | { type: 'open' }
  | { type: 'closeDetail' }
  | null;

export interface KeyContext {
  helpOpen: boolean;
  /** The focus is in a text field (search box or any other input). */
  typing: boolean;
  /** The focus is in the list's search box. */
  inSearch: boolean;
  /** The focus is on a button, link or select, whose Enter/Space must keep working. */
  onControl: boolean;
  /** The focus is inside the detail panel (arrow keys scroll it). */
  inDetail: boolean;
  /** The application list is the active screen. */
  listActive: boolean;
  detailOpen: boolean;
  /** Rows per page, for PageUp/PageDown. */
  pageSize: number;
}

export interface KeyPress {
  key: string;
  code?: string;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
}

export function keyAction(e: KeyPress, c: KeyContext): KeyAction {
  if (c.helpOpen) {
    if (e.key === 'Escape' || (e.key === '?' && !c.typing)) return { type: 'closeHelp' };
    return null;
  }
  if (e.key === 'Escape') {
    if (c.inSearch) return { type: 'leaveSearch' };
    if (c.detailOpen && c.listActive) return { type: 'closeDetail' };
    return null;
  }
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    const m = /^Digit([1-9])$/.exec(e.code ?? '') ?? /^([1-9])$/.exec(e.key);
    if (m) return { type: 'go', index: Number(m[1]) - 1 };
    return null;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return null;

  if (c.typing) {
    if (!c.inSearch || !c.listActive) return null;
    // From the search box the list stays reachable without leaving it.
    if (e.key === 'ArrowDown') return { type: 'move', delta: 1 };
    if (e.key === 'ArrowUp') return { type: 'move', delta: -1 };
    if (e.key === 'Enter') return { type: 'open' };
    return null;
  }

  if (e.key === '?') return { type: 'toggleHelp' };
  if (!c.listActive) return null;

  switch (e.key) {
    case '/':
      return { type: 'focusSearch' };
    case 'j':
      return { type: 'move', delta: 1 };
    case 'k':
      return { type: 'move', delta: -1 };
    case 'ArrowDown':
      return c.inDetail ? null : { type: 'move', delta: 1 };
    case 'ArrowUp':
      return c.inDetail ? null : { type: 'move', delta: -1 };
    case 'PageDown':
      return c.inDetail ? null : { type: 'move', delta: c.pageSize };
    case 'PageUp':
      return c.inDetail ? null : { type: 'move', delta: -c.pageSize };
    case 'Home':
      return c.inDetail ? null : { type: 'edge', which: 'first' };
    case 'End':
      return c.inDetail ? null : { type: 'edge', which: 'last' };
    case 'Enter':
      return c.onControl || c.inDetail ? null : { type: 'open' };
    default:
      return null;
  }
}
