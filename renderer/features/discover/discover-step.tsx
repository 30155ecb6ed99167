import { PlannedStep } from '../../ui/planned-step';

export function DiscoverStep() {
  return (
    <PlannedStep>
      Sweep a subnet of your LAN over SSH to find the machines for the cluster, read their facts (operating
      system, CPUs, memory, disks, network) and run pre-flight checks before anything is installed.
    </PlannedStep>
  );
}
