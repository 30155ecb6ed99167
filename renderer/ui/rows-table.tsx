import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import type { MessageId } from '../i18n/catalogs';
import { TableHead } from './table-head';

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

/** A table of one row per item, named and headed from the catalog. */
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
    <table className={`table ${className}`} aria-label={intl.formatMessage({ id: labelId })}>
      <TableHead columns={columnIds.map((id) => intl.formatMessage({ id }))} />
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={rowClassName?.(row)}>
            {children(row)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
