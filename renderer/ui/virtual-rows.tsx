import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode, type RefObject } from 'react';

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

/** What a row of a VirtualTable carries: its ref for measuring, its place for the virtualizer and screen readers. */
export interface VirtualRowAttributes {
  ref: (row: HTMLTableRowElement | null) => void;
  'data-index': number;
  'aria-rowindex': number;
}

interface VirtualTableProps {
  /** The table's classes. */
  className: string;
  /** Classes after `virtual-scroll` on the box that scrolls. */
  scrollClassName?: string;
  label: string;
  count: number;
  keyOf: (index: number) => string;
  /** The filter the rows were made with, on the table for tests and the bench to know what it shows. */
  filterText?: string;
  /** The header row's cells. */
  head: ReactNode;
  /** Row `index` as a <tr> spreading `attributes`, with `key` as its key. */
  row: (index: number, key: string, attributes: VirtualRowAttributes) => ReactNode;
}

/** A table of `count` rows in a box that scrolls under a header that stays; only the rows in view are in the page. */
export function VirtualTable({
  className,
  scrollClassName,
  label,
  count,
  keyOf,
  filterText,
  head,
  row,
}: VirtualTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { items, padTop, padBottom, measure } = useVirtualRows(count, scrollRef, keyOf);
  return (
    <div className={`virtual-scroll ${scrollClassName ?? ''}`} ref={scrollRef}>
      <table className={className} aria-label={label} aria-rowcount={count + 1} data-filter={filterText}>
        <thead>
          <tr aria-rowindex={1}>{head}</tr>
        </thead>
        <tbody>
          <PadRow height={padTop} />
          {items.map((item) =>
            row(item.index, String(item.key), {
              ref: measure,
              'data-index': item.index,
              'aria-rowindex': item.index + 2,
            }),
          )}
          <PadRow height={padBottom} />
        </tbody>
      </table>
    </div>
  );
}

/** A spacer table row standing for the rows left out of the page above or below the window. */
export function PadRow({ height }: { height: number }) {
  return height > 0 ? <tr aria-hidden="true" className="virtual-pad" style={{ height }} /> : null;
}
