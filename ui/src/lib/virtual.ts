// Windowing math for the virtualised application table: which rows to put in
// the DOM for a scroll position, and where to scroll to bring a row into view.
// All rows have one fixed height; heights are in CSS pixels.

export interface WindowInput {
  /** scrollTop of the scrolling container. */
  scrollTop: number;
  /** Height of the area rows are visible in (the container minus a sticky header). */
  viewportHeight: number;
  rowHeight: number;
  count: number;
  /** Extra rows rendered above and below the visible ones, so fast scrolling shows no gap. */
  overscan?: number;
}

export interface RowWindow {
  /** First rendered row (inclusive). */
  start: number;
  /** One past the last rendered row (exclusive). */
  end: number;
  /** Height of the spacer above the rendered rows. */
  padTop: number;
  /** Height of the spacer below the rendered rows. */
  padBottom: number;
}

/** Rows visible in a viewport of this height, counting a partly visible row at each edge. */
export function visibleCount(viewportHeight: number, rowHeight: number): number {
  if (rowHeight <= 0) return 0;
  return Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
}

export function computeWindow({
  scrollTop,
  viewportHeight,
  rowHeight,
  count,
  overscan = 8,
}: WindowInput): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const visible = visibleCount(viewportHeight, rowHeight);
  // A stale scrollTop (the list just got shorter) must still show the last rows.
  const maxFirst = Math.max(0, count - visible);
  const first = Math.min(Math.floor(Math.max(0, scrollTop) / rowHeight), maxFirst);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight };
}

/**
 * The scrollTop that brings row `index` fully into view with the least
 * movement; the current scrollTop when it already is.
 */
export function scrollTopFor(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** Moves a selection by `delta` rows within [0, count); -1 when there are no rows. */
export function moveIndex(current: number, delta: number, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return delta >= 0 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + delta));
}
