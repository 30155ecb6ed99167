import { PlannedStep } from '../../ui/planned-step';

export function OperateStep() {
  return (
    <PlannedStep>
      Day-two work on the deployed cluster: scale out, remove a node, upgrade, reset, download the kubeconfig and
      look back through the history of past runs.
    </PlannedStep>
  );
}
