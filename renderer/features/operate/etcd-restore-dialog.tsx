import { useEffect, useId, useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { EtcdBackup } from '../../../electron/common/etcd-api';
import { formatDateTime } from '../../ui/format-date-time';
import { Callout } from '../../ui/callout';

interface EtcdRestoreDialogProps {
  backup: EtcdBackup;
  /** The plan's etcd hosts, where etcd is stopped and restored. */
  members: string[];
  onClose: () => void;
  onConfirm: (ignoreMemberMismatch: boolean) => void;
}

/** Asks before a restore, naming what it loses: every write after the snapshot, and etcd's downtime. */
export function EtcdRestoreDialog({ backup, members, onClose, onConfirm }: EtcdRestoreDialogProps) {
  const intl = useIntl();
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [ignoreMismatch, setIgnoreMismatch] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  return (
    <dialog ref={dialog} className="modal etcd-restore-dialog" aria-labelledby={`${ids}-title`} onCancel={onClose}>
      <h2 id={`${ids}-title`}>
        <FormattedMessage id="operate.etcd.restore.title" />
      </h2>
      <Callout tone="danger" role="alert">
        <FormattedMessage
          id="operate.etcd.restore.loss"
          values={{ taken: formatDateTime(backup.takenAt, intl.locale), revision: backup.revision }}
        />
      </Callout>
      <p className="muted small">
        <FormattedMessage id="operate.etcd.restore.what" values={{ file: backup.file, members: members.join(', ') }} />
      </p>
      <label className="etcd-restore-dialog__check">
        <input type="checkbox" checked={ignoreMismatch} onChange={(event) => setIgnoreMismatch(event.target.checked)} />
        <FormattedMessage id="operate.etcd.restore.ignoreMismatch" />
      </label>
      <div className="etcd-restore-dialog__buttons">
        <button type="button" className="btn" onClick={onClose}>
          <FormattedMessage id="operate.etcd.restore.cancel" />
        </button>
        <button type="button" className="btn btn--danger" onClick={() => onConfirm(ignoreMismatch)}>
          <FormattedMessage id="operate.etcd.restore.confirm" values={{ revision: backup.revision }} />
        </button>
      </div>
    </dialog>
  );
}
