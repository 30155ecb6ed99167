import { useVirtualizer } from '@tanstack/react-virtual';
import type { RefObject } from 'react';

/** A table row's height before it is measured (one line of text with a checkbox). */
const estimatedRowHeight = 35;

/**
 * The rows of a long table to put in the page: those in view of `scrollRef` and a few either side, and the
 * heights of the rows left out above and below, for spacer rows that keep the scroll bar true. `measure` goes on
 * each row's ref (the row also carries `data-index`), so rows taller than the estimate (a table row's, unless
 * `estimate` says otherwise) are placed right.
 */
export function useVirtualRows(
  count: number,
  scrollRef: RefObject<HTMLElement | null>,
  keyOf: (index: number) => string,
  estimate = estimatedRowHeight,
) {
  // No React Compiler here: the virtualizer's functions are read afresh on every render, as TanStack intends.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimate,
    getItemKey: keyOf,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  return { items, padTop, padBottom, measure: virtualizer.measureElement };
}

/** A spacer table row standing for the rows left out of the page above or below the window. */
export function PadRow({ height }: { height: number }) {
  return height > 0 ? <tr aria-hidden="true" className="virtual-pad" style={{ height }} /> : null;
}
