import type { ClusterPlan } from '../../common/cluster-plan';
import { hostsWithRole } from '../projects/hosts-with-role';
import { planToVariables } from '../inventory/inventory-variables';

export interface ApiEndpoint {
  address: string;
  port: number;
  source: 'external-load-balancer' | 'kube-vip' | 'first-control-plane';
}

/** kubeadm's API server port, which kubespray keeps (kube_apiserver_port). */
export const apiServerPort = 6443;

/**
 * Where a kubeconfig used from outside the cluster should point, as kubespray's own kubeconfig_localhost does: the
 * rendered inventory's loadbalancer_apiserver (external balancer or kube-vip), else the first control plane. Read from
 * the same variables the inventory export writes, so the two never disagree.
 */
export function apiEndpointOf(plan: ClusterPlan): ApiEndpoint {
  const balancer = planToVariables(plan, {}).all.loadbalancer_apiserver as
    { address: string; port: number } | undefined;
  if (balancer)
    return {
      address: balancer.address,
      port: balancer.port,
      source: plan.settings.apiLoadBalancing.mode === 'kube-vip' ? 'kube-vip' : 'external-load-balancer',
    };
  const first = hostsWithRole(plan.hosts, 'controlPlane', 'roles.no-control-plane')[0]!;
  return { address: first.address, port: apiServerPort, source: 'first-control-plane' };
}

export const serverUrlOf = (endpoint: Pick<ApiEndpoint, 'address' | 'port'>) =>
  `https://${endpoint.address}:${endpoint.port}`;
