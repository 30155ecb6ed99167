/**
 * Where Airspray keeps its files on the hosts it works on: everything under one root, so an operator can find (or
 * remove) all of it, and every path spelled here only.
 */
export const remoteRoot = '/var/lib/airspray';

/** A pushed bundle on the deploy node, as the manifest lays it out. */
export const remoteBundleDir = (bundleId: string) => `${remoteRoot}/bundles/${bundleId}`;
export const remoteKubesprayDir = (bundleId: string) => `${remoteBundleDir(bundleId)}/kubespray`;
export const remoteWheelsDir = (bundleId: string) => `${remoteBundleDir(bundleId)}/python`;
/** What the file server serves for a bundle: links into the bundle under kubespray's download paths. */
export const remoteWebRoot = (bundleId: string) => `${remoteRoot}/web/${bundleId}`;

/** One folder per run (log, status.json), and one lock file per cluster so two runs never overlap. */
export const remoteRunsRoot = `${remoteRoot}/runs`;
export const remoteLocksRoot = `${remoteRoot}/locks`;
/**
 * Ansible's fact cache (jsonfile, a file per host) of each cluster, kept between runs: a run limited to new hosts
 * reads the others' facts from here. Not kubespray's /tmp, which a reboot empties and every user shares.
 */
export const remoteFactsRoot = `${remoteRoot}/facts`;
export const remoteFactsDir = (cluster: string) => `${remoteFactsRoot}/${cluster}`;
/** Ansible venvs made from a bundle's wheels, one per bundle id. */
export const remoteRuntimesRoot = `${remoteRoot}/ansible`;
/** The apt sources a host had before they were pointed at the deploy node, to restore them. */
export const savedSourcesDir = `${remoteRoot}/apt-sources`;
/** The etcd snapshot timer on an etcd member: its scripts, settings and the snapshots it keeps (snapshots/). */
export const remoteEtcdTimerDir = `${remoteRoot}/etcd-timer`;
/** A stored etcd backup pushed for a recovery (kubespray's etcd_snapshot, read by the run user): one per cluster. */
export const remoteEtcdSnapshotsDir = (cluster: string) => `${remoteRoot}/etcd-snapshots/${cluster}`;
