import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useIntl } from 'react-intl';
import type { FilterableHost } from '../../../electron/common/host-filter';
import { failedIds, type HostAccess } from '../../store/access-hosts';
import { useAirspray } from '../../store/store-context';
import { everyHost, HostFilterBar, type AppliedFilter } from '../../ui/host-filter-bar';
import { useVirtualRows } from '../../ui/virtual-rows';
import { HostCard } from './host-card';

/** A card's narrowest width and the gap between cards, as access.css lays them out. */
const cardWidth = 420;
const cardGap = 12;
/** A card with its facts and a dozen checks, before it is measured. */
const estimatedRowHeight = 560;

/** What the host filter reads of a host: the name it reported (else its address) and what failed on it. */
const asFilterable = (host: HostAccess): FilterableHost => ({
  name: host.outcome?.state === 'ok' ? host.outcome.facts.hostname : host.address,
  address: host.address,
  failed: failedIds(host.outcome),
});

/** How many cards fit side by side in `ref`'s width, followed as it changes. */
function useColumnCount(ref: RefObject<HTMLElement | null>): number {
  const [columns, setColumns] = useState(1);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      const width = entry?.contentRect.width ?? 0;
      setColumns(Math.max(1, Math.floor((width + cardGap) / (cardWidth + cardGap))));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return columns;
}

/**
 * The hosts' cards, filtered (name, address, range, network, failed check), in rows of as many as fit; only the rows
 * in view are in the page, so hundreds of hosts with their checks cost what a screenful does.
 */
export function HostCardList({ hosts }: { hosts: readonly HostAccess[] }) {
  const intl = useIntl();
  const chooseOnlyForPlan = useAirspray((state) => state.chooseOnlyForPlan);
  const [filter, setFilter] = useState<AppliedFilter>(everyHost);
  const shown = useMemo(() => hosts.filter((host) => filter.matches(asFilterable(host))), [hosts, filter]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = useColumnCount(scrollRef);
  const rowCount = Math.ceil(shown.length / columns);
  const keyOf = (index: number) => shown[index * columns]!.address;
  const { items, padTop, padBottom, measure } = useVirtualRows(rowCount, scrollRef, keyOf, estimatedRowHeight);
  return (
    <>
      <HostFilterBar
        filterText={filter.text}
        onFilter={setFilter}
        shown={shown.length}
        total={hosts.length}
        onSelectShown={() => chooseOnlyForPlan(shown.map((host) => host.address))}
        selectLabelId="access.hosts.useShown"
      />
      <div className="virtual-scroll host-cards-scroll" ref={scrollRef}>
        <div
          role="list"
          className="host-cards"
          aria-label={intl.formatMessage({ id: 'access.hosts.facts' })}
          data-filter={filter.text}
          style={{ paddingTop: padTop, paddingBottom: padBottom }}
        >
          {items.map((item) => (
            <div
              key={item.key}
              ref={measure}
              data-index={item.index}
              role="none"
              className="host-cards__row"
              style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
            >
              {shown.slice(item.index * columns, (item.index + 1) * columns).map((host) => (
                <HostCard key={host.address} host={host} />
              ))}
            </div>
          ))}
        </div>
      </div>
    </>
  );
}
