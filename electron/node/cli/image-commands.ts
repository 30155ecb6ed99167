import type { Command } from 'commander';
import { formatBytes } from '../../common/format-bytes';
import { resolveDeployContext } from '../deploy/deploy-context';
import type { ImagePushProgress } from '../../common/deploy-api';
import { pushProjectImages } from '../deploy/harbor/push-images';
import { readSecretFile } from './access-commands';
import { cliServices } from './cli-project';

interface ImageOptions {
  project: string;
  harborPasswordFile?: string;
  dataDir?: string;
  bundlesDir: string[];
  json?: boolean;
}

function printProgress(progress: ImagePushProgress): void {
  const percent = progress.bytesTotal > 0 ? Math.floor((progress.bytesDone * 100) / progress.bytesTotal) : 100;
  const eta = progress.etaSeconds === null ? '' : `, ${progress.etaSeconds} s left`;
  console.error(
    `airspray: ${progress.phase} ${percent}% ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}, images ${progress.imagesDone}/${progress.imagesTotal}, blobs ${progress.blobsDone}/${progress.blobsTotal} (${progress.blobsSkipped} already there), ${formatBytes(progress.rateBytesPerSecond)}/s${eta}`,
  );
}

/** `airspray deploy images`: the bundle's images into the Harbor the plan names, for plans that use one. */
export function registerImageCommand(deploy: Command): void {
  deploy
    .command('images')
    .description(
      "Push the bundle's images into the Harbor project the plan names (Settings: registry kind harbor): blobs Harbor has are skipped; progress on stderr.",
    )
    .requiredOption('--project <name>', 'project (cluster) name')
    .option('--harbor-password-file <file>', "file holding the password of the plan's Harbor user (never stored)")
    .option('--data-dir <dir>', 'data folder (default: beside the app on the stick, else the user data folder)')
    .option(
      '--bundles-dir <dir>',
      'extra folder to search for offline bundles (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: ImageOptions) => {
      const { dataDir, bundleLocations, projects } = await cliServices(options);
      const project = await projects.findByName(options.project);
      const password = options.harborPasswordFile
        ? await readSecretFile(options.harborPasswordFile, '--harbor-password-file')
        : undefined;
      const context = await resolveDeployContext(project, { dataDir, bundleLocations });
      let last = 0;
      const result = await pushProjectImages(context, password, {
        onProgress: (progress) => {
          if (progress.phase !== 'pushing' || Date.now() - last >= 1000) printProgress(progress);
          last = Date.now();
        },
      });
      if (options.json) console.log(JSON.stringify(result, null, 2));
      else {
        for (const image of result.images) console.log(`${image.target}\t${image.digest}`);
        console.log(
          `${result.registry}: ${result.images.length} image(s), ${result.blobsSent} blob(s) sent (${formatBytes(result.bytesSent)}), ${result.blobsSkipped} already there, ${result.blobsMounted} mounted, ${result.seconds.toFixed(1)} s`,
        );
      }
      if (!result.anonymousPull) {
        console.error(
          `airspray: warning: ${result.registry} refuses pulls without a login; cluster nodes pull anonymously, so make Harbor project ${context.registry.kind === 'harbor' ? context.registry.project : ''} public.`,
        );
      }
    });
}
