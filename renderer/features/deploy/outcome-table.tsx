import type { ComponentProps } from 'react';
import { FormattedMessage } from 'react-intl';
import type { MessageId } from '../../i18n/catalogs';
import type { KeyBootstrapResult } from '../../store/deploy-prep-slice';
import { RowsTable } from '../../ui/rows-table';

/** A checklist item's outcome per place (a host, or this computer): a row each, marked when that place failed. */
export function OutcomeTable<Row extends { ok: boolean }>(
  props: Omit<ComponentProps<typeof RowsTable<Row>>, 'className' | 'rowClassName'>,
) {
  return (
    <RowsTable
      {...props}
      className="deploy-table"
      rowClassName={(row) => (row.ok ? undefined : 'deploy-table__row--bad')}
    />
  );
}

/** The class that colours a check's word: green when it passed, red when not. */
export const okClass = (ok: boolean): string => (ok ? 'deploy-ok' : 'deploy-bad');

const sudoText: Record<KeyBootstrapResult['hosts'][number]['sudo'], MessageId> = {
  works: 'deploy.check.works',
  refused: 'deploy.key.sudo.refused',
  'no-password-given': 'deploy.key.sudo.noPassword',
  'not-checked': 'deploy.key.sudo.notChecked',
};

const keyColumns: MessageId[] = [
  'deploy.col.host',
  'deploy.key.col.authorizedKey',
  'deploy.key.col.keyLogin',
  'deploy.key.col.sudo',
  'deploy.key.col.note',
];

/** The key bootstrap's outcome per host (Deploy's checklist, Operate's Add nodes). */
export function DeployKeyOutcomeTable({ hosts }: { hosts: KeyBootstrapResult['hosts'] }) {
  return (
    <OutcomeTable labelId="deploy.key.table" columnIds={keyColumns} rows={hosts} rowKey={(host) => host.name}>
      {(host) => (
        <>
          <td>
            <span className="mono">{host.name}</span> <span className="muted small">{host.address}</span>
          </td>
          <td>
            {host.authorizedKey ? (
              <FormattedMessage id="deploy.key.authorizedKey" values={{ state: host.authorizedKey }} />
            ) : (
              '—'
            )}
          </td>
          <td className={okClass(host.keyLogin)}>
            <FormattedMessage id={host.keyLogin ? 'deploy.check.works' : 'deploy.check.failed'} />
          </td>
          <td className={okClass(host.sudo === 'works')}>
            <FormattedMessage id={sudoText[host.sudo]} />
          </td>
          <td className="small">{host.message ?? ''}</td>
        </>
      )}
    </OutcomeTable>
  );
}
