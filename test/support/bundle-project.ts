import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChosenBundle, ClusterPlan } from '../../electron/common/cluster-plan';
import type { generateSigningKey } from '../../electron/node/bundles/bundle-signing';
import { addOperatorKey } from '../../electron/node/bundles/trusted-publishers';
import { VerificationCache } from '../../electron/node/bundles/verification-cache';
import { verifyBundle } from '../../electron/node/bundles/verify-bundle';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { writeDeployBundle, type DeployBundleShape } from './deploy-bundle';

/**
 * Trusts `publisher` in `dataDir` under `name`, as the Bundle step does once its fingerprint is confirmed, and
 * verifies the bundle in `dir` in full as it lies; fails unless it verifies.
 */
export async function trustAndVerifyBundle(
  dataDir: string,
  dir: string,
  publisher: ReturnType<typeof generateSigningKey>,
  name = 'Lab publisher',
): Promise<void> {
  const trusted = await addOperatorKey(dataDir, {
    name,
    publicKey: publisher.publicKey,
    confirmedFingerprint: publisher.fingerprint,
  });
  const verified = await verifyBundle(dir, {
    mode: 'full',
    trustedKeys: [trusted],
    cache: new VerificationCache(dataDir),
  });
  if (verified.outcome !== 'verified') throw new Error(`the test bundle in ${dir} did not verify: ${verified.outcome}`);
}

/** The plan's choice of the kubespray 2.23.3 / Kubernetes 1.27.10 bundle `bundleId` in `dir`. */
export async function chosenBundle(dir: string, bundleId: string): Promise<ChosenBundle> {
  const manifestSha256 = createHash('sha256')
    .update(await readFile(join(dir, 'manifest.json')))
    .digest('hex');
  return { bundleId, kubesprayVersion: '2.23.3', kubernetesVersions: ['1.27.10'], manifestSha256 };
}

/** A project `name` written straight into `dataDir`'s store, its plan `plan(the new project's)`; returns its id. */
export async function writeProject(
  dataDir: string,
  name: string,
  plan: (cluster: ClusterPlan) => ClusterPlan,
): Promise<string> {
  const projects = new ProjectStore(dataDir);
  const project = await projects.create(name);
  await projects.update(project.id, project.revision, (current) => ({ ...current, cluster: plan(current.cluster) }));
  return project.id;
}

/**
 * A work folder `prefix…` with bundles/b, a signed deploy bundle of `shape`, and data/ that trusts its publisher and
 * has verified it in full; `chosen` is the plan's choice of it.
 */
export async function verifiedDeployBundle(prefix: string, shape: DeployBundleShape) {
  const workDir = await mkdtemp(join(tmpdir(), prefix));
  const dataDir = join(workDir, 'data');
  const bundlesDir = join(workDir, 'bundles');
  await mkdir(dataDir, { recursive: true });
  const bundle = await writeDeployBundle(join(bundlesDir, 'b'), shape);
  await trustAndVerifyBundle(dataDir, bundle.dir, bundle.publisher);
  return { workDir, dataDir, bundlesDir, bundle, chosen: await chosenBundle(bundle.dir, bundle.manifest.bundleId) };
}
