import type { Command } from 'commander';
import type { ProjectDocument } from '../../common/project';
import type { KeySession } from '../deploy/deploy-operations';
import { openKeySession } from '../deploy/key-session';
import type { AirsprayServices } from '../services';
import { credentialFrom, type CredentialOptions } from './access-commands';
import { cliServices, dataDirOption } from './cli-project';
import { passphrase } from './deploy-commands';

export interface KeySessionOptions extends CredentialOptions {
  project: string;
  dataDir?: string;
}

/** The options of a command that logs in to the cluster's hosts with the deploy key and runs sudo there. */
export const withKeySessionOptions = (command: Command, sudoNeed: string) =>
  command
    .requiredOption('--project <name>', 'project (cluster) name')
    .requiredOption('--user <user>', 'SSH login on the hosts (the deploy key is installed for this user)')
    .option('--password-file <file>', 'file holding the SSH password, used for sudo when no --sudo-password-file')
    .option('--key <file>', 'private key of the login (the deploy key is used to connect)')
    .option('--passphrase-file <file>', "file holding that private key's passphrase")
    .option('--sudo-password-file <file>', `file holding the sudo password (${sudoNeed})`)
    .option(...dataDirOption);

/** The named project and the operator's login with its deploy key, unlocked by the passphrase variable. */
export async function openProjectKeySession(
  options: KeySessionOptions,
): Promise<{ services: AirsprayServices; project: ProjectDocument; session: KeySession }> {
  const services = await cliServices(options);
  const project = await services.projects.findByName(options.project);
  const credential = await credentialFrom(options);
  const session = await openKeySession(services.keys, services.dataDir, project.id, credential, passphrase());
  return { services, project, session };
}
