import { FormattedMessage } from 'react-intl';
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
import { ErrorText } from '../../ui/error-text';
import { TitledSection } from '../../ui/titled-section';
import '../plan/plan.css';
import '../deploy/deploy.css';
import './operate.css';

/** Day two on the deployed cluster: the run history and the runs that change the cluster, all in one terminal view. */
export function OperateStep() {
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
      <TitledSection titleId="operate.history.title" labelId="operate.history.label">
        <ErrorText message={runsError} />
        <RunHistory />
      </TitledSection>

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
