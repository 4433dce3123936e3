import { describe, expect, it } from 'vitest';
import { computeWindow, moveIndex, scrollTopFor, visibleCount } from './virtual';

const base = { rowHeight: 34, viewportHeight: 680, overscan: 5 };

describe('computeWindow', () => {
  it('renders nothing for no rows', () => {
    expect(computeWindow({ ...base, scrollTop: 0, count: 0 })).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });

  it('renders every row of a short list', () => {
    expect(computeWindow({ ...base, scrollTop: 0, count: 8 })).toEqual({ start: 0, end: 8, padTop: 0, padBottom: 0 });
  });

  it('renders the visible rows plus overscan at the top of a long list', () => {
    const w = computeWindow({ ...base, scrollTop: 0, count: 10_000 });
    // 680 / 34 = 20 rows, +1 partly visible, +5 overscan below.
    expect(w).toEqual({ start: 0, end: 26, padTop: 0, padBottom: (10_000 - 26) * 34 });
  });

  it('windows the middle of a 10,000-row list', () => {
    const w = computeWindow({ ...base, scrollTop: 34 * 5000 + 10, count: 10_000 });
    expect(w.start).toBe(4995);
    expect(w.end).toBe(5026);
    expect(w.padTop).toBe(4995 * 34);
    expect(w.padTop + (w.end - w.start) * 34 + w.padBottom).toBe(10_000 * 34);
  });

  it('keeps the total height constant at every scroll position', () => {
    for (const scrollTop of [0, 1, 33, 34, 35, 1000, 123_456, 339_320, 340_000]) {
      const w = computeWindow({ ...base, scrollTop, count: 10_000 });
      expect(w.padTop + (w.end - w.start) * 34 + w.padBottom).toBe(340_000);
      expect(w.end - w.start).toBeLessThanOrEqual(visibleCount(680, 34) + 2 * 5);
    }
  });

  it('shows the last rows at the bottom', () => {
    const w = computeWindow({ ...base, scrollTop: 10_000 * 34 - 680, count: 10_000 });
    expect(w.end).toBe(10_000);
    expect(w.padBottom).toBe(0);
  });

  it('survives a stale scroll position after the list got shorter', () => {
    const w = computeWindow({ ...base, scrollTop: 300_000, count: 12 });
    expect(w).toEqual({ start: 0, end: 12, padTop: 0, padBottom: 0 });
  });

  it('treats a negative scroll position (elastic scrolling) as the top', () => {
    expect(computeWindow({ ...base, scrollTop: -40, count: 100 }).start).toBe(0);
  });
});

describe('scrollTopFor', () => {
  it('leaves a visible row alone', () => {
    expect(scrollTopFor(5, 0, 680, 34)).toBe(0);
  });
  it('scrolls up to a row above the viewport', () => {
    expect(scrollTopFor(3, 340, 680, 34)).toBe(102);
  });
  it('scrolls down just enough for a row below the viewport', () => {
    // Row 20 spans 680..714; the viewport must end at 714.
    expect(scrollTopFor(20, 0, 680, 34)).toBe(34);
  });
  it('brings a far row into view', () => {
    expect(scrollTopFor(9_999, 0, 680, 34)).toBe(10_000 * 34 - 680);
  });
});

describe('moveIndex', () => {
  it('moves within bounds', () => {
    expect(moveIndex(3, 1, 10)).toBe(4);
    expect(moveIndex(0, -1, 10)).toBe(0);
    expect(moveIndex(9, 1, 10)).toBe(9);
    expect(moveIndex(5, 100, 10)).toBe(9);
  });
  it('starts from an edge when nothing is selected', () => {
    expect(moveIndex(-1, 1, 10)).toBe(0);
    expect(moveIndex(-1, -1, 10)).toBe(9);
  });
  it('has nowhere to go in an empty list', () => {
    expect(moveIndex(0, 1, 0)).toBe(-1);
  });
});
