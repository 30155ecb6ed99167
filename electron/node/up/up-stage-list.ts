import { clusterRunStage, kubeconfigStage } from './cluster-stages';
import { deployKeyStage, pushStage, servicesStage } from './deploy-stages';
import { applyStage, factsStage, hostKeysStage } from './prepare-stages';
import type { UpSession } from './up-session';
import type { UpStage } from './up-stages';

/**
 * The whole deploy in order. Host keys come before the facts: collecting facts logs in, which needs the keys
 * (pinned by the plan file, or recorded with --accept-new).
 */
export function upStages(session: UpSession): UpStage[] {
  return [
    applyStage,
    hostKeysStage,
    factsStage,
    deployKeyStage,
    pushStage,
    servicesStage,
    clusterRunStage,
    kubeconfigStage,
  ].map((stage) => stage(session));
}
