import { PlannedStep } from '../../ui/planned-step';

export function DeployStep() {
  return (
    <PlannedStep>
      Push the bundle to the hosts, start the offline container registry and file server, and run kubespray&apos;s
      cluster.yml with its output live in a terminal.
    </PlannedStep>
  );
}
