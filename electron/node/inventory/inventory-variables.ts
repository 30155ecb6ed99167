import type { ApiLoadBalancing, ClusterPlan, ClusterSettings, RegistrySettings } from '../../common/cluster-plan';

export type Variables = Record<string, unknown>;

/** The group_vars files Airspray writes, each as kubespray's sample inventory places its variables. */
export interface InventoryVariables {
  all: Variables;
  offline: Variables;
  k8sCluster: Variables;
  addons: Variables;
  extra: Variables;
}

/**
 * Download URLs exactly as kubespray 2.23's sample offline.yml spells them, all under the deploy node's files_repo:
 * those every containerd plan downloads (etcd runs on the hosts, kubespray's default).
 */
const commonDownloadUrls: Readonly<Record<string, string>> = {
  kubeadm_download_url: '{{ files_repo }}/dl.k8s.io/release/{{ kubeadm_version }}/bin/linux/{{ image_arch }}/kubeadm',
  kubectl_download_url: '{{ files_repo }}/dl.k8s.io/release/{{ kube_version }}/bin/linux/{{ image_arch }}/kubectl',
  kubelet_download_url: '{{ files_repo }}/dl.k8s.io/release/{{ kube_version }}/bin/linux/{{ image_arch }}/kubelet',
  cni_download_url:
    '{{ files_repo }}/github.com/containernetworking/plugins/releases/download/{{ cni_version }}/cni-plugins-linux-{{ image_arch }}-{{ cni_version }}.tgz',
  crictl_download_url:
    '{{ files_repo }}/github.com/kubernetes-sigs/cri-tools/releases/download/{{ crictl_version }}/crictl-{{ crictl_version }}-{{ ansible_system | lower }}-{{ image_arch }}.tar.gz',
  etcd_download_url:
    '{{ files_repo }}/github.com/etcd-io/etcd/releases/download/{{ etcd_version }}/etcd-{{ etcd_version }}-linux-{{ image_arch }}.tar.gz',
  runc_download_url:
    '{{ files_repo }}/github.com/opencontainers/runc/releases/download/{{ runc_version }}/runc.{{ image_arch }}',
  containerd_download_url:
    '{{ files_repo }}/github.com/containerd/containerd/releases/download/v{{ containerd_version }}/containerd-{{ containerd_version }}-linux-{{ image_arch }}.tar.gz',
  nerdctl_download_url:
    '{{ files_repo }}/github.com/containerd/nerdctl/releases/download/v{{ nerdctl_version }}/nerdctl-{{ nerdctl_version }}-{{ ansible_system | lower }}-{{ image_arch }}.tar.gz',
};

/** The files only one network plugin downloads (kubespray's download role enables them for that plugin only). */
const pluginDownloadUrls: Readonly<Partial<Record<ClusterSettings['networkPlugin'], Record<string, string>>>> = {
  calico: {
    calicoctl_download_url:
      '{{ files_repo }}/github.com/projectcalico/calico/releases/download/{{ calico_ctl_version }}/calicoctl-linux-{{ image_arch }}',
    calico_crds_download_url: '{{ files_repo }}/github.com/projectcalico/calico/archive/{{ calico_version }}.tar.gz',
  },
  cilium: {
    ciliumcli_download_url:
      '{{ files_repo }}/github.com/cilium/cilium-cli/releases/download/{{ cilium_cli_version }}/cilium-linux-{{ image_arch }}.tar.gz',
  },
};

/** Every download URL Airspray writes for some plan; an expert variable may not point one elsewhere. */
export const offlineDownloadUrls: Readonly<Record<string, string>> = Object.assign(
  {},
  commonDownloadUrls,
  ...Object.values(pluginDownloadUrls),
);

/** The download URLs a plan needs: the common ones and its network plugin's. */
export const downloadUrlsFor = (networkPlugin: ClusterSettings['networkPlugin']) => ({
  ...commonDownloadUrls,
  ...pluginDownloadUrls[networkPlugin],
});

const imageRepositoryVariables = [
  'kube_image_repo',
  'gcr_image_repo',
  'github_image_repo',
  'docker_image_repo',
  'quay_image_repo',
] as const;

/**
 * Values Airspray always writes the same way; on import, equal values are expected and anything else is kept as an
 * extra.
 */
export const fixedVariables: Readonly<Record<string, unknown>> = {
  container_manager: 'containerd',
  ...Object.fromEntries(imageRepositoryVariables.map((name) => [name, '{{ registry_host }}'])),
  ...offlineDownloadUrls,
  helm_enabled: false,
  metrics_server_enabled: false,
  dashboard_enabled: false,
  registry_enabled: false,
  ingress_nginx_enabled: false,
};

/** Kubespray writes versions with a leading "v"; the plan keeps them bare, as bundles list them. */
export const kubeVersionVariable = (version: string) => `v${version.replace(/^v/, '')}`;

function loadBalancingVariables(balancing: ApiLoadBalancing): { all: Variables; k8sCluster: Variables } {
  switch (balancing.mode) {
    case 'none':
      return { all: { loadbalancer_apiserver_localhost: false }, k8sCluster: {} };
    case 'local':
      return {
        all: { loadbalancer_apiserver_localhost: true, loadbalancer_apiserver_type: balancing.type },
        k8sCluster: {},
      };
    case 'external':
      return {
        all: {
          ...(balancing.domainName ? { apiserver_loadbalancer_domain_name: balancing.domainName } : {}),
          loadbalancer_apiserver: { address: balancing.address, port: balancing.port },
          loadbalancer_apiserver_localhost: false,
        },
        k8sCluster: {},
      };
    case 'kube-vip':
      return {
        all: {
          loadbalancer_apiserver: { address: balancing.address, port: 6443 },
          loadbalancer_apiserver_localhost: false,
        },
        k8sCluster: {
          kube_proxy_strict_arp: true,
          kube_vip_address: balancing.address,
          kube_vip_arp_enabled: true,
          kube_vip_controlplane_enabled: true,
          kube_vip_enabled: true,
          ...(balancing.interface ? { kube_vip_interface: balancing.interface } : {}),
        },
      };
  }
}

function registryVariables(
  registry: RegistrySettings,
  deployAddress: string,
  downloadUrls: Variables,
): { offline: Variables; all: Variables } {
  const filesRepo = `http://${deployAddress}:${registry.filesPort}`;
  const repositories = Object.fromEntries(imageRepositoryVariables.map((name) => [name, '{{ registry_host }}']));
  if (registry.kind === 'bundle') {
    const host = `${deployAddress}:${registry.registryPort}`;
    return {
      all: {},
      offline: {
        registry_host: host,
        files_repo: filesRepo,
        ...repositories,
        // The deploy node's registry speaks plain HTTP on the isolated LAN: containerd's hosts.toml for it names the
        // http:// mirror (no TLS, so nothing to verify or skip).
        containerd_registries_mirrors: [
          { prefix: host, mirrors: [{ host: `http://${host}`, capabilities: ['pull', 'resolve'] }] },
        ],
        ...downloadUrls,
      },
    };
  }
  return {
    all: {
      ...(registry.caCertificate ? { airspray_registry_ca_certificate: registry.caCertificate } : {}),
      ...(registry.username ? { airspray_registry_username: registry.username } : {}),
    },
    offline: {
      registry_host: `${registry.address}/${registry.project}`,
      files_repo: filesRepo,
      ...repositories,
      containerd_registries_mirrors: [
        {
          prefix: registry.address,
          mirrors: [{ host: `https://${registry.address}`, capabilities: ['pull', 'resolve'], skip_verify: false }],
        },
      ],
      ...downloadUrls,
    },
  };
}

/** The plan as kubespray variables, one map per group_vars file. `extra` holds the expert YAML, already parsed. */
export function planToVariables(plan: ClusterPlan, extra: Variables): InventoryVariables {
  const { settings } = plan;
  const deployAddress = plan.hosts.find((host) => host.name === plan.deployNode)?.address ?? '';
  const balancing = loadBalancingVariables(settings.apiLoadBalancing);
  const registry = registryVariables(settings.registry, deployAddress, downloadUrlsFor(settings.networkPlugin));
  const ntp: Variables =
    settings.ntpServers.length > 0
      ? {
          ntp_enabled: true,
          ntp_manage_config: true,
          ntp_servers: settings.ntpServers.map((server) => `${server} iburst`),
        }
      : { ntp_enabled: false };
  return {
    all: {
      ...(plan.deployNode ? { airspray_deploy_node: plan.deployNode } : {}),
      ...balancing.all,
      ...ntp,
      ...registry.all,
    },
    offline: registry.offline,
    k8sCluster: {
      cluster_name: settings.clusterName,
      ...(settings.kubernetesVersion ? { kube_version: kubeVersionVariable(settings.kubernetesVersion) } : {}),
      container_manager: settings.containerRuntime,
      kube_network_plugin: settings.networkPlugin,
      kube_pods_subnet: settings.podCidr,
      kube_service_addresses: settings.serviceCidr,
      kube_network_node_prefix: settings.nodePrefix,
      kube_proxy_mode: settings.kubeProxyMode,
      dns_mode: settings.dns.mode,
      dns_domain: settings.dns.domain,
      enable_nodelocaldns: settings.dns.nodeLocalDns,
      ...balancing.k8sCluster,
    },
    addons: {
      helm_enabled: false,
      metrics_server_enabled: false,
      dashboard_enabled: false,
      registry_enabled: false,
      ingress_nginx_enabled: false,
    },
    extra,
  };
}

/** Every variable name the Settings step owns (an expert variable may not set one of these). */
export const managedVariableNames: ReadonlySet<string> = new Set([
  'airspray_deploy_node',
  'airspray_registry_ca_certificate',
  'airspray_registry_username',
  'loadbalancer_apiserver',
  'loadbalancer_apiserver_localhost',
  'loadbalancer_apiserver_type',
  'apiserver_loadbalancer_domain_name',
  'ntp_enabled',
  'ntp_manage_config',
  'ntp_servers',
  'registry_host',
  'files_repo',
  'containerd_registries_mirrors',
  'cluster_name',
  'kube_version',
  'kube_network_plugin',
  'kube_pods_subnet',
  'kube_service_addresses',
  'kube_network_node_prefix',
  'kube_proxy_mode',
  'dns_mode',
  'dns_domain',
  'enable_nodelocaldns',
  'kube_proxy_strict_arp',
  'kube_vip_address',
  'kube_vip_arp_enabled',
  'kube_vip_controlplane_enabled',
  'kube_vip_enabled',
  'kube_vip_interface',
  ...Object.keys(fixedVariables),
]);

/** Names that hold secrets in kubespray and Ansible; such values never go into an export. */
export function looksLikeSecret(name: string): boolean {
  return /(password|passwd|secret|token|private_key|_pass$|credential|vault)/i.test(name);
}
