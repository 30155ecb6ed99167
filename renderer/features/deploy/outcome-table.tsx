import type { ReactNode } from 'react';
import type { KeyBootstrapResult } from '../../store/deploy-prep-slice';
import { TableHead } from '../../ui/table-head';

/** A checklist item's outcome per place (a host, or this computer): a row each, marked when that place failed. */
export function OutcomeTable<Row extends { ok: boolean }>({
  label,
  columns,
  rows,
  rowKey,
  children,
}: {
  label: string;
  columns: readonly string[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** The row's cells. */
  children: (row: Row) => ReactNode;
}) {
  return (
    <table className="table deploy-table" aria-label={label}>
      <TableHead columns={columns} />
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={row.ok ? undefined : 'deploy-table__row--bad'}>
            {children(row)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The class that colours a check's word: green when it passed, red when not. */
export const okClass = (ok: boolean): string => (ok ? 'deploy-ok' : 'deploy-bad');

const sudoText: Record<KeyBootstrapResult['hosts'][number]['sudo'], string> = {
  works: 'works',
  refused: 'refused',
  'no-password-given': 'no password given',
  'not-checked': 'not checked',
};

/** The key bootstrap's outcome per host (Deploy's checklist, Operate's Add nodes). */
export function DeployKeyOutcomeTable({ hosts }: { hosts: KeyBootstrapResult['hosts'] }) {
  return (
    <OutcomeTable
      label="Deploy key per host"
      columns={['Host', 'Authorized key', 'Key login', 'sudo', 'Note']}
      rows={hosts}
      rowKey={(host) => host.name}
    >
      {(host) => (
        <>
          <td>
            <span className="mono">{host.name}</span> <span className="muted small">{host.address}</span>
          </td>
          <td>{host.authorizedKey ?? '—'}</td>
          <td className={okClass(host.keyLogin)}>{host.keyLogin ? 'works' : 'failed'}</td>
          <td className={okClass(host.sudo === 'works')}>{sudoText[host.sudo]}</td>
          <td className="small">{host.message ?? ''}</td>
        </>
      )}
    </OutcomeTable>
  );
}
