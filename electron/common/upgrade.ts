import { z } from 'zod';
import { KeySessionCall } from './cluster-api';
import { CoreMessageSchema, joinValues, type CoreMessage } from './core-messages';
import { ProjectIdSchema } from './project';
import { RunOptionsSchema, type RunOptions } from './run';

/** One bundle's versions as an upgrade moves between them. */
export const UpgradeVersionsSchema = z.object({
  bundleId: z.string(),
  kubesprayVersion: z.string(),
  kubernetesVersion: z.string(),
});
export type UpgradeVersions = z.infer<typeof UpgradeVersionsSchema>;

/** How one version relates to the next: the same, a patch or one minor up (allowed), more than one minor, or down. */
export type VersionStep = 'same' | 'patch' | 'minor' | 'skips' | 'down' | 'unreadable';

/** "v1.27.7" or "1.27" as [major, minor, patch]; undefined for anything else. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

export function versionStep(from: string, to: string): VersionStep {
  const a = parseVersion(from);
  const b = parseVersion(to);
  if (!a || !b) return 'unreadable';
  const order = b[0] - a[0] || b[1] - a[1] || b[2] - a[2];
  if (order < 0) return 'down';
  if (order === 0) return 'same';
  if (a[0] !== b[0]) return 'skips';
  if (a[1] === b[1]) return 'patch';
  return b[1] === a[1] + 1 ? 'minor' : 'skips';
}

const bare = (version: string) => version.replace(/^v/, '');

/** Why `what` cannot go from `from` to `to`, by catalog id; undefined when the step is allowed. */
function stepRefusal(what: string, from: string, to: string): CoreMessage | undefined {
  const params = { what, from: bare(from), to: bare(to) };
  switch (versionStep(from, to)) {
    case 'down':
      return { id: 'upgrade.downgrade', params };
    case 'skips':
      return { id: 'upgrade.skips-minor', params: { ...params, next: nextMinor(from) } };
    case 'unreadable':
      return { id: 'upgrade.version-unreadable', params };
    default:
      return undefined;
  }
}

/** The minor release after `version` ("1.28" after "1.27.7"); only asked of a version that reads. */
const nextMinor = (version: string) => {
  const [major, minor] = parseVersion(version) ?? [0, 0];
  return `${major}.${minor + 1}`;
};

/** A bundle on the stick as an upgrade target: its id, kubespray release and the Kubernetes versions it carries. */
export interface UpgradeCandidate {
  bundleId: string;
  kubesprayVersion: string;
  kubernetesVersions: readonly string[];
}

/** Allowed with its target, or refused with why (by id: the CLI says it in English, the window in its language). */
export type UpgradeDecision = { allowed: true; to: UpgradeVersions } | { allowed: false; reason: CoreMessage };

/**
 * Whether the cluster at `from` may upgrade to `candidate`: kubespray and Kubernetes one minor release at a time
 * (patches allowed, downgrades refused). The Kubernetes version is `wanted`, else the newest allowed one the bundle
 * carries. A refusal names both versions.
 */
export function decideUpgrade(from: UpgradeVersions, candidate: UpgradeCandidate, wanted?: string): UpgradeDecision {
  if (candidate.bundleId === from.bundleId)
    return { allowed: false, reason: { id: 'upgrade.bundle-current', params: { bundle: candidate.bundleId } } };
  const kubespray = stepRefusal('kubespray', from.kubesprayVersion, candidate.kubesprayVersion);
  if (kubespray) return { allowed: false, reason: kubespray };
  const versions = wanted === undefined ? newestFirst(candidate.kubernetesVersions) : [wanted];
  if (wanted !== undefined && !candidate.kubernetesVersions.some((version) => bare(version) === bare(wanted)))
    return {
      allowed: false,
      reason: {
        id: 'upgrade.kubernetes-not-carried',
        params: {
          bundle: candidate.bundleId,
          carried: joinValues(candidate.kubernetesVersions.map(bare)),
          wanted: bare(wanted),
        },
      },
    };
  const chosen = versions.find((version) => !stepRefusal('Kubernetes', from.kubernetesVersion, version));
  if (chosen === undefined)
    return { allowed: false, reason: stepRefusal('Kubernetes', from.kubernetesVersion, versions[0] ?? '')! };
  return {
    allowed: true,
    to: {
      bundleId: candidate.bundleId,
      kubesprayVersion: candidate.kubesprayVersion,
      kubernetesVersion: bare(chosen),
    },
  };
}

function newestFirst(versions: readonly string[]): string[] {
  return [...versions].sort((a, b) => {
    const step = versionStep(a, b);
    return step === 'same' || step === 'unreadable' ? 0 : step === 'down' ? -1 : 1;
  });
}

/**
 * The tags the presets use, each checked against kubespray v2.23.3's playbooks and roles (a unit test greps the
 * release). kubespray's docs also skip `k8s-gen-certs` for the nodes, but no task of 2.23.3 carries that tag.
 */
export const kubesprayTags = [
  'etcd',
  'master',
  'node',
  'network',
  'apps',
  'container-engine',
  'k8s-gen-tokens',
] as const;
export type KubesprayTag = (typeof kubesprayTags)[number];

export const upgradePresetNames = ['etcd', 'control-plane', 'nodes', 'network', 'apps', 'container-runtime'] as const;
export const UpgradePresetNameSchema = z.enum(upgradePresetNames);
export type UpgradePresetName = z.infer<typeof UpgradePresetNameSchema>;

/**
 * kubespray's component-based upgrades (docs/upgrades.md): `cluster.yml` with these tags upgrades one part of the
 * cluster to the versions of the bundle in use.
 */
export const upgradePresets: Readonly<
  Record<UpgradePresetName, { tags: readonly KubesprayTag[]; skipTags?: readonly KubesprayTag[] }>
> = {
  etcd: { tags: ['etcd'] },
  'control-plane': { tags: ['master'] },
  nodes: { tags: ['node'], skipTags: ['k8s-gen-tokens'] },
  network: { tags: ['network'] },
  apps: { tags: ['apps'] },
  'container-runtime': { tags: ['container-engine'] },
};

/** The run a preset starts, with the Kubernetes version it upgrades to. */
export function presetRunOptions(name: UpgradePresetName, kubernetesVersion: string): RunOptions {
  const preset = upgradePresets[name];
  return {
    playbook: 'cluster.yml',
    tags: preset.tags.join(','),
    ...(preset.skipTags ? { skipTags: preset.skipTags.join(',') } : {}),
    extraVars: kubesprayVersionVariables(kubernetesVersion),
  };
}

/** The new version's variables every upgrade run gets, so the command line shows what it upgrades to. */
export const kubesprayVersionVariables = (kubernetesVersion: string) => ({
  kube_version: `v${bare(kubernetesVersion)}`,
});

export const upgradeStepStates = ['pending', 'running', 'succeeded', 'failed', 'cancelled', 'refused', 'lost'] as const;

/** One run of an upgrade (the control plane and etcd, one node, or a preset) or of a node procedure. */
export const UpgradeStepSchema = z.object({
  /** What it is for: what it upgrades, as --limit names it (or the preset's name); a node procedure's step. */
  label: z.string(),
  options: RunOptionsSchema,
  runId: z.string().optional(),
  state: z.enum(upgradeStepStates),
});
export type UpgradeStep = z.infer<typeof UpgradeStepSchema>;

export const upgradeStages = ['snapshot', 'push', 'services', 'bundle'] as const;

/** An upgrade as the project's folder keeps it (upgrade.json): what is done, and where it stopped. */
export const UpgradeRecordSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  from: UpgradeVersionsSchema,
  to: UpgradeVersionsSchema,
  preset: UpgradePresetNameSchema.optional(),
  pauseBetweenNodes: z.boolean(),
  startedAt: z.string(),
  /** Done before any run: the etcd snapshot, the new bundle pushed beside the old, its services, the plan switched. */
  done: z.array(z.enum(upgradeStages)),
  /** The snapshot taken first (its file in the project's etcd-backups folder). */
  snapshot: z.object({ file: z.string(), sha256: z.string() }).optional(),
  steps: z.array(UpgradeStepSchema),
  state: z.enum(['running', 'paused', 'stopped', 'succeeded']),
  /** Where a paused or stopped upgrade stands, and how to go on. */
  message: z.string().optional(),
  /** `message` by id, for the window's language. */
  i18n: CoreMessageSchema.optional(),
});
export type UpgradeRecord = z.infer<typeof UpgradeRecordSchema>;

export const UpgradeChoiceSchema = z.discriminatedUnion('allowed', [
  z.object({ allowed: z.literal(true), to: UpgradeVersionsSchema }),
  z.object({
    allowed: z.literal(false),
    bundleId: z.string(),
    /** Why not, in English (what `airspray upgrades` prints). */
    reason: z.string(),
    /** The same by catalog id, for the window's language. */
    reasonMessage: CoreMessageSchema,
  }),
]);
export type UpgradeChoice = z.infer<typeof UpgradeChoiceSchema>;

export const UpgradeOptionsSchema = z.object({
  /** The project's bundle and Kubernetes version; null when it has no bundle chosen. */
  current: UpgradeVersionsSchema.nullable(),
  /** Every other readable bundle found, allowed or refused with the reason. */
  choices: z.array(UpgradeChoiceSchema),
  /** The last upgrade, when there was one (a stopped one goes on from where it stopped). */
  last: UpgradeRecordSchema.nullable(),
});
export type UpgradeOptions = z.infer<typeof UpgradeOptionsSchema>;

export const UpgradeRequestSchema = z.strictObject({
  ...KeySessionCall,
  /** The bundle to upgrade to; without it a preset runs from the project's bundle. */
  bundleId: z.string().min(1).max(200).optional(),
  kubernetesVersion: z
    .string()
    .regex(/^v?\d+\.\d+\.\d+$/, 'Give a Kubernetes version such as 1.28.6.')
    .optional(),
  preset: UpgradePresetNameSchema.optional(),
  /** Stop after each node's run; the same call again goes on with the next. */
  pauseBetweenNodes: z.boolean().optional(),
});
export type UpgradeRequest = z.infer<typeof UpgradeRequestSchema>;

/** Upgrades from one bundle to the next and the partial-upgrade presets (spread into api.ts). */
export const upgradeApiMethods = {
  'upgrade.options': {
    exposeAs: 'upgradeOptions',
    params: z.strictObject({ projectId: ProjectIdSchema }),
    result: UpgradeOptionsSchema,
  },
  /**
   * Starts (or goes on with) an upgrade: the etcd snapshot, the new bundle's push and the plan's switch, then its
   * runs; answers once it is under way, `upgrade.updated` follows it.
   */
  'upgrade.start': { exposeAs: 'startUpgrade', params: UpgradeRequestSchema, result: UpgradeRecordSchema },
} as const;

export const upgradeApiEvents = {
  'upgrade.updated': { subscribeAs: 'onUpgradeUpdated', payload: UpgradeRecordSchema },
} as const;
