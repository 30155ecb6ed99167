import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { useLoadForProject } from '../../store/use-load-for-project';
import { RunTargetFields } from '../deploy/run-target-fields';
import { RunView } from '../deploy/run-view';
import { CertificatesPanel } from './certificates-panel';
import { ClusterAccessPanel } from './cluster-access-panel';
import { EtcdBackupsPanel } from './etcd-backups-panel';
import { HealthReportPanel } from './health-report-panel';
import { OperateActions } from './operate-actions';
import { RunHistory } from './run-history';
import '../plan/plan.css';
import '../deploy/deploy.css';
import './operate.css';
import { ErrorText } from '../../ui/error-text';

/** Day two on the deployed cluster: the run history and the runs that change the cluster, all in one terminal view. */
export function OperateStep() {
  const intl = useIntl();
  const { runsError, startError } = useAirspray(
    useShallow((state) => ({
      runsError: state.runsError,
      startError: state.runStartError,
    })),
  );
  const loadRuns = useAirspray((state) => state.loadRuns);
  useLoadForProject(loadRuns);
  const fieldless = startError && !startError.field?.startsWith('options.') && startError.field !== 'kubesprayDir';

  return (
    <div className="operate-step">
      <p className="lead">
        <FormattedMessage id="operate.lead" />
      </p>
      <section aria-label={intl.formatMessage({ id: 'operate.history.label' })}>
        <h2 className="section-title">
          <FormattedMessage id="operate.history.title" />
        </h2>
        <ErrorText message={runsError} />
        <RunHistory />
      </section>

      <ClusterAccessPanel />
      <CertificatesPanel />
      <EtcdBackupsPanel />
      <HealthReportPanel />

      <RunTargetFields />
      <OperateActions />
      {fieldless && (
        <p className="field-error" role="alert">
          {startError.message}
        </p>
      )}

      <RunView />
    </div>
  );
}
