import type { StateCreator } from 'zustand/vanilla';
import type { AccessSlice } from './access-slice';
import type { AddNodesSlice } from './add-nodes-slice';
import type { BundleVerificationSlice } from './bundle-verification-slice';
import type { CertsSlice } from './certs-slice';
import type { ClusterAccessSlice } from './cluster-access-slice';
import type { BundlesSlice } from './bundles-slice';
import type { ConnectionSlice } from './connection-slice';
import type { DeployPrepSlice } from './deploy-prep-slice';
import type { DiscoverySlice } from './discovery-slice';
import type { EtcdSlice } from './etcd-slice';
import type { HealthSlice } from './health-slice';
import type { HarborDeploySlice } from './harbor-deploy-slice';
import type { LocaleSlice } from './locale-slice';
import type { NodeLifecycleSlice } from './node-lifecycle-slice';
import type { PlanSlice } from './plan-slice';
import type { ProjectsSlice } from './projects-slice';
import type { RunsSlice } from './runs-slice';
import type { SessionSlice } from './session-slice';
import type { ThemeSlice } from './theme-slice';
import type { UpgradeSlice } from './upgrade-slice';
import type { WizardSlice } from './wizard-slice';

/** The whole store: every slice side by side, flat, as in zustand's slices pattern. */
export type AirsprayState = SessionSlice &
  ConnectionSlice &
  WizardSlice &
  BundlesSlice &
  BundleVerificationSlice &
  ProjectsSlice &
  ThemeSlice &
  LocaleSlice &
  PlanSlice &
  DiscoverySlice &
  AccessSlice &
  RunsSlice &
  DeployPrepSlice &
  ClusterAccessSlice &
  CertsSlice &
  EtcdSlice &
  HealthSlice &
  HarborDeploySlice &
  AddNodesSlice &
  NodeLifecycleSlice &
  UpgradeSlice;

/** One slice's creator; it sees the whole state and the devtools-aware `set` (third argument names the action). */
export type SliceCreator<Slice> = StateCreator<AirsprayState, [['zustand/devtools', never]], [], Slice>;

export type AsyncStatus = 'idle' | 'loading' | 'loaded' | 'error';
