import { PlannedStep } from '../../ui/planned-step';

export function SettingsStep() {
  return (
    <PlannedStep>
      Choose the cluster settings kubespray needs, such as the Kubernetes version from the bundle, the network
      plugin and the pod and service subnets.
    </PlannedStep>
  );
}
