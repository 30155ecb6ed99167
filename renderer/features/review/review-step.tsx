import { PlannedStep } from '../../ui/planned-step';

export function ReviewStep() {
  return (
    <PlannedStep>
      Review the kubespray inventory generated from your choices, export it as files you can keep or edit, and
      import an existing inventory to start from.
    </PlannedStep>
  );
}
