import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import type { MessageId } from '../i18n/catalogs';
import { VirtualTable } from './virtual-rows';

interface RowsTableProps<Row> {
  /** Classes after `table`. */
  className: string;
  labelId: MessageId;
  columnIds: readonly MessageId[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  rowClassName?: (row: Row) => string | undefined;
  /** The row's cells. */
  children: (row: Row) => ReactNode;
}

/**
 * A table of one row per item (often a host), named and headed from the catalog; with hundreds of rows only those in
 * view are in the page.
 */
export function RowsTable<Row>({
  className,
  labelId,
  columnIds,
  rows,
  rowKey,
  rowClassName,
  children,
}: RowsTableProps<Row>) {
  const intl = useIntl();
  return (
    <VirtualTable
      className={`table ${className}`}
      label={intl.formatMessage({ id: labelId })}
      count={rows.length}
      keyOf={(index) => rowKey(rows[index]!)}
      head={columnIds.map((id) => (
        <th key={id} scope="col">
          {intl.formatMessage({ id })}
        </th>
      ))}
      row={(index, key, attributes) => (
        <tr key={key} {...attributes} className={rowClassName?.(rows[index]!)}>
          {children(rows[index]!)}
        </tr>
      )}
    />
  );
}
