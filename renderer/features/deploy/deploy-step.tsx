import { useEffect, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { BundlePushItem } from './bundle-push-item';
import { ClusterRunItem } from './cluster-run-item';
import { ExtraVarsField } from './extra-vars-field';
import { DeployKeyItem } from './deploy-key-item';
import { HarborCaItem } from './harbor-ca-item';
import { HarborPushItem } from './harbor-push-item';
import { OfflineServicesItem } from './offline-services-item';
import { RunTargetFields } from './run-target-fields';
import { RunView } from './run-view';
import '../plan/plan.css';
import './deploy.css';
import { ErrorText } from '../../ui/error-text';
import { Callout } from '../../ui/callout';

/** The deploy checklist, worked down in order: key, bundle, services, then cluster.yml shown live. */
export function DeployStep() {
  const intl = useIntl();
  const { projectId, credentialId, runsError, hasDeployNode } = useAirspray(
    useShallow((state) => ({
      projectId: state.currentProject?.id,
      credentialId: state.selectedCredentialId,
      runsError: state.runsError,
      hasDeployNode: Boolean(state.currentProject?.cluster.deployNode),
    })),
  );
  const loadRuns = useAirspray((state) => state.loadRuns);
  const enterDeployStep = useAirspray((state) => state.enterDeployStep);
  const [extraVars, setExtraVars] = useState<{ text: string; error: string | null }>({ text: '', error: null });

  useEffect(() => {
    if (projectId) void loadRuns();
  }, [projectId, loadRuns]);
  useEffect(() => {
    if (projectId) void enterDeployStep();
  }, [projectId, credentialId, enterDeployStep]);

  return (
    <div className="deploy-step">
      <p className="lead">
        <FormattedMessage id="deploy.lead" />
      </p>

      {!hasDeployNode && (
        <Callout tone="danger" role="alert">
          <FormattedMessage id="deploy.noDeployNode" />
        </Callout>
      )}

      <RunTargetFields
        extra={
          <ExtraVarsField
            value={extraVars.text}
            error={extraVars.error}
            onChange={(text) => setExtraVars({ text, error: null })}
          />
        }
      />

      <section className="panel" aria-label={intl.formatMessage({ id: 'deploy.checklist.label' })}>
        <ol className="deploy-checklist">
          <DeployKeyItem />
          <BundlePushItem />
          <OfflineServicesItem />
          <HarborPushItem number={4} />
          <HarborCaItem number={5} />
          <ClusterRunItem
            extraVarsText={extraVars.text}
            onExtraVarsError={(error) => setExtraVars((current) => ({ ...current, error }))}
          />
        </ol>
      </section>
      <ErrorText message={runsError} />
      <RunView />
    </div>
  );
}
