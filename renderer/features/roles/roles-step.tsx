import { PlannedStep } from '../../ui/planned-step';

export function RolesStep() {
  return (
    <PlannedStep>
      Assign each host to the control plane, etcd and worker roles, with validation that the layout is one
      kubespray can install and keep running (for example an odd number of etcd members).
    </PlannedStep>
  );
}
