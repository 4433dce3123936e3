import { describe, expect, it } from 'vitest';
import { keyAction, type KeyContext } from './keys';

const ctx = (over: Partial<KeyContext> = {}): KeyContext => ({
  helpOpen: false,
  typing: false,
  inSearch: false,
  onControl: false,
  inDetail: false,
  listActive: true,
  detailOpen: false,
  pageSize: 15,
  ...over,
});

describe('keyAction', () => {
  it('moves with j/k and the arrow keys', () => {
    expect(keyAction({ key: 'j' }, ctx())).toEqual({ type: 'move', delta: 1 });
    expect(keyAction({ key: 'k' }, ctx())).toEqual({ type: 'move', delta: -1 });
    expect(keyAction({ key: 'ArrowDown' }, ctx())).toEqual({ type: 'move', delta: 1 });
    expect(keyAction({ key: 'ArrowUp' }, ctx())).toEqual({ type: 'move', delta: -1 });
    expect(keyAction({ key: 'PageDown' }, ctx())).toEqual({ type: 'move', delta: 15 });
    expect(keyAction({ key: 'End' }, ctx())).toEqual({ type: 'edge', which: 'last' });
  });

  it('opens with Enter, except on a button', () => {
    expect(keyAction({ key: 'Enter' }, ctx())).toEqual({ type: 'open' });
    expect(keyAction({ key: 'Enter' }, ctx({ onControl: true }))).toBeNull();
  });

  it('focuses the search with /', () => {
    expect(keyAction({ key: '/' }, ctx())).toEqual({ type: 'focusSearch' });
  });

  it('lets the reviewer type in a text field', () => {
    const typing = ctx({ typing: true, inSearch: true });
    expect(keyAction({ key: 'j' }, typing)).toBeNull();
    expect(keyAction({ key: '/' }, typing)).toBeNull();
    expect(keyAction({ key: '?' }, typing)).toBeNull();
    // …while the arrows and Enter still drive the list from the search box.
    expect(keyAction({ key: 'ArrowDown' }, typing)).toEqual({ type: 'move', delta: 1 });
    expect(keyAction({ key: 'Enter' }, typing)).toEqual({ type: 'open' });
    expect(keyAction({ key: 'Escape' }, typing)).toEqual({ type: 'leaveSearch' });
  });

  it('closes the detail with Esc', () => {
    expect(keyAction({ key: 'Escape' }, ctx({ detailOpen: true }))).toEqual({ type: 'closeDetail' });
    expect(keyAction({ key: 'Escape' }, ctx())).toBeNull();
  });

  it('toggles help with ?, which then captures Esc and ? only', () => {
    expect(keyAction({ key: '?', shiftKey: true }, ctx())).toEqual({ type: 'toggleHelp' });
    const help = ctx({ helpOpen: true, detailOpen: true });
    expect(keyAction({ key: 'Escape' }, help)).toEqual({ type: 'closeHelp' });
    expect(keyAction({ key: '?' }, help)).toEqual({ type: 'closeHelp' });
    expect(keyAction({ key: 'j' }, help)).toBeNull();
  });

  it('switches screens with Alt+digit', () => {
    expect(keyAction({ key: '2', code: 'Digit2', altKey: true }, ctx())).toEqual({ type: 'go', index: 1 });
    expect(keyAction({ key: '¡', code: 'Digit1', altKey: true }, ctx())).toEqual({ type: 'go', index: 0 });
  });

  it('ignores list keys on other screens and with modifiers', () => {
    expect(keyAction({ key: 'j' }, ctx({ listActive: false }))).toBeNull();
    expect(keyAction({ key: 'j', ctrlKey: true }, ctx())).toBeNull();
    expect(keyAction({ key: '?' }, ctx({ listActive: false }))).toEqual({ type: 'toggleHelp' });
  });

  it('leaves the arrow keys to a focused detail panel (scrolling), but not j/k', () => {
    const d = ctx({ inDetail: true, detailOpen: true });
    expect(keyAction({ key: 'ArrowDown' }, d)).toBeNull();
    expect(keyAction({ key: 'j' }, d)).toEqual({ type: 'move', delta: 1 });
  });
});
