import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { EtcdTimer } from '../../../electron/common/etcd-api';
import { useAirspray, useAirsprayPick } from '../../store/store-context';
import { ErrorText } from '../../ui/error-text';
import { formatDateTime } from '../../ui/format-date-time';

/** What the timer's member reported: off, or how often, the newest snapshot there and a failed last run. */
function TimerState({ timer }: { timer: EtcdTimer | null }) {
  const intl = useIntl();
  if (!timer) return <FormattedMessage id="operate.etcd.schedule.unknown" />;
  const host = timer.host.name;
  if (timer.every === null) return <FormattedMessage id="operate.etcd.schedule.off" values={{ host }} />;
  const newest = timer.snapshots[0];
  return (
    <>
      <FormattedMessage
        id="operate.etcd.schedule.on"
        values={{
          host,
          every: timer.every,
          keep: timer.keep ?? 0,
          hasLast: Boolean(newest),
          last: newest ? formatDateTime(newest.takenAt, intl.locale) : '',
        }}
      />
      {timer.lastRun !== null && timer.lastRun !== 'success' && (
        <span className="etcd-schedule__failed">
          {' '}
          <FormattedMessage id="operate.etcd.schedule.failed" values={{ host, result: timer.lastRun }} />
        </span>
      )}
    </>
  );
}

/**
 * The Schedule line of the etcd backups panel: a timer on an etcd member (the deploy node when it is one) taking a
 * snapshot every N hours, turned on or off, and Collect, which copies its snapshots to the stick and reads it.
 */
export function EtcdSchedule({ disabled }: { disabled: boolean }) {
  const { timer, collected, busy, error } = useAirspray(
    useShallow((state) => {
      const mine = state.etcdTimerProjectId === state.currentProject?.id;
      return {
        timer: mine ? state.etcdTimer : null,
        collected: mine ? state.lastEtcdCollect : null,
        busy: state.etcdTimerBusy,
        error: state.etcdTimerError,
      };
    }),
  );
  const { scheduleEtcd, collectEtcd } = useAirsprayPick('scheduleEtcd', 'collectEtcd');
  const [hours, setHours] = useState(6);
  const off = disabled || busy;
  return (
    <div className="etcd-schedule" role="group" aria-labelledby="etcd-schedule-title">
      <h3 id="etcd-schedule-title" className="etcd-schedule__title">
        <FormattedMessage id="operate.etcd.schedule.title" />
      </h3>
      <p className="muted" role="status">
        <TimerState timer={timer} />
        {collected && (
          <>
            {' '}
            <FormattedMessage id="operate.etcd.schedule.collected" values={{ count: collected.collected.length }} />
          </>
        )}
      </p>
      <div className="toolbar">
        <label>
          <FormattedMessage id="operate.etcd.schedule.hours" />
          <input
            className="input etcd-schedule__hours"
            type="number"
            min={1}
            max={720}
            value={hours}
            onChange={(event) => setHours(Math.max(1, Math.round(Number(event.target.value) || 1)))}
          />
        </label>
        <button type="button" className="btn" disabled={off} onClick={() => void scheduleEtcd(hours)}>
          <FormattedMessage id="operate.etcd.schedule.turnOn" />
        </button>
        <button
          type="button"
          className="btn"
          disabled={off || timer?.every === null}
          onClick={() => void scheduleEtcd(null)}
        >
          <FormattedMessage id="operate.etcd.schedule.turnOff" />
        </button>
        <button type="button" className="btn" disabled={off} onClick={() => void collectEtcd()}>
          <FormattedMessage id={busy ? 'operate.etcd.schedule.working' : 'operate.etcd.schedule.collect'} />
        </button>
      </div>
      <ErrorText message={error?.message} />
    </div>
  );
}
