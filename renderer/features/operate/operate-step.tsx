import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { RunTargetFields } from '../deploy/run-target-fields';
import { RunView } from '../deploy/run-view';
import { CertificatesPanel } from './certificates-panel';
import { ClusterAccessPanel } from './cluster-access-panel';
import { EtcdBackupsPanel } from './etcd-backups-panel';
import { OperateActions } from './operate-actions';
import { RunHistory } from './run-history';
import '../plan/plan.css';
import '../deploy/deploy.css';
import './operate.css';
import { ErrorText } from '../../ui/error-text';

/** Day two on the deployed cluster: the run history and the runs that change the cluster, all in one terminal view. */
export function OperateStep() {
  const { projectId, runsError, startError } = useAirspray(
    useShallow((state) => ({
      projectId: state.currentProject?.id,
      runsError: state.runsError,
      startError: state.runStartError,
    })),
  );
  const loadRuns = useAirspray((state) => state.loadRuns);
  useEffect(() => {
    if (projectId) void loadRuns();
  }, [projectId, loadRuns]);
  const fieldless = startError && !startError.field?.startsWith('options.') && startError.field !== 'kubesprayDir';

  return (
    <div className="operate-step">
      <p className="lead">
        Scale out, remove a node, upgrade, reset or run any kubespray playbook, from the same stick.
      </p>
      <section aria-label="History">
        <h2 className="section-title">Run history</h2>
        <ErrorText message={runsError} />
        <RunHistory />
      </section>

      <ClusterAccessPanel />
      <CertificatesPanel />
      <EtcdBackupsPanel />

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
