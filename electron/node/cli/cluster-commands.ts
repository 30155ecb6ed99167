import { resolve } from 'node:path';
import type { Command } from 'commander';
import { coreError } from '../i18n/format-core-message';
import { openKeySession } from '../deploy/key-session';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { credentialFrom, type CredentialOptions } from './access-commands';
import { deployKeyPassphraseVariable, passphrase } from './deploy-commands';
import { cliServices } from './cli-project';

interface KubeconfigOptions extends Partial<CredentialOptions> {
  project: string;
  dataDir?: string;
  out?: string;
  fetch?: boolean;
}

/** `airspray kubeconfig`: the cluster-admin kubeconfig fetched after a deploy, written 0600 (or fetched now). */
export function registerClusterCommands(program: Command): void {
  program
    .command('kubeconfig')
    .description(
      `Write the project's cluster-admin kubeconfig (fetched from a control plane after a successful cluster.yml) to a file, mode 0600. Needs ${deployKeyPassphraseVariable} when it is stored encrypted, and for --fetch.`,
    )
    .requiredOption('--project <name>', 'project (cluster) name')
    .option('--out <file>', 'where to write it, "-" for standard output (default: ./<project>-admin.kubeconfig)')
    .option('--fetch', 'fetch admin.conf from a control plane now (with the deploy key) and list the nodes first')
    .option('--user <user>', 'SSH login on the control planes (with --fetch)')
    .option('--password-file <file>', 'file holding the login password, used for sudo when no --sudo-password-file')
    .option('--key <file>', 'private key of the login (the deploy key is used to connect)')
    .option('--passphrase-file <file>', "file holding that private key's passphrase")
    .option('--sudo-password-file <file>', 'file holding the sudo password')
    .option('--data-dir <dir>', 'data folder (default: beside the app on the stick, else the user data folder)')
    .action(async (options: KubeconfigOptions) => {
      const services = await cliServices(options);
      const project = await services.projects.findByName(options.project);
      const cluster = services.cluster();
      if (options.fetch) {
        if (!options.user) throw coreError('invalid_params', 'cli.fetch-needs-user', {}, 'user');
        const credential = await credentialFrom({ ...options, user: options.user });
        const access = await cluster.fetchKubeconfig(
          project.id,
          await openKeySession(services.keys, services.dataDir, project.id, credential, passphrase()),
        );
        console.error(
          `airspray: fetched admin.conf from ${access.kubeconfig?.fromHost.name}, server ${access.kubeconfig?.server}`,
        );
        for (const node of access.nodes?.nodes ?? [])
          console.error(
            `airspray: node ${node.name}\t${node.ready === 'True' ? 'Ready' : 'NotReady'}\t${node.roles.join(',') || '<none>'}\t${node.kubeletVersion}`,
          );
        if (access.lastError) console.error(`airspray: ${access.lastError.message}`);
      }
      const stored = await cluster.access(project.id);
      const exported = await cluster.exportKubeconfig(
        project.id,
        stored.kubeconfig?.protection === 'passphrase' ? passphrase() : undefined,
      );
      console.error(`airspray: ${exported.warning}`);
      if (options.out === '-') {
        process.stdout.write(exported.content);
        return;
      }
      const path = resolve(options.out ?? exported.fileName);
      await writeFileAtomic(path, exported.content, 0o600);
      console.error(`airspray: wrote ${path} (mode 0600)`);
    });
}
