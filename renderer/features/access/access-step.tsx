import { PlannedStep } from '../../ui/planned-step';

export function AccessStep() {
  return (
    <PlannedStep>
      Keep credential profiles (user, SSH key or password, sudo) for reaching the hosts, and decide which SSH host
      keys to trust, each shown with its SHA-256 fingerprint.
    </PlannedStep>
  );
}
