import type { ReactNode } from 'react';

export interface ColumnHead {
  label: ReactNode;
  className?: string;
}

/** A table's header row: one column head per entry, a plain string or a label with its class. */
export function TableHead({ columns }: { columns: readonly (string | ColumnHead)[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, index) => {
          const { label, className } = typeof column === 'string' ? { label: column, className: undefined } : column;
          return (
            <th key={index} scope="col" className={className}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
