# Run as root on one control plane, with "$@" set by renew-certificates.ts: BIN_DIR KUBE_CONFIG_DIR ROOT_KUBECONFIG
# PORT WAIT_SECONDS. The steps of kubespray v2.23.3's k8s-certs-renew.sh (roles/kubernetes/control-plane/templates/
# k8s-certs-renew.sh.j2, its containerd branch: Airspray deploys containerd only), in its order. Left out: its
# `kubeadm certs check-expiration` before and after (Airspray reads the expiry table itself). Added: a step that fails
# stops here with its reason on stderr, and the wait for the API server has a deadline.
bin_dir=$1
kube_config_dir=$2
root_kubeconfig=$3
port=$4
wait_seconds=$5

if [ ! -x "$bin_dir/kubeadm" ]; then
  echo "$bin_dir/kubeadm is not there: this host is not a control plane kubespray deployed (or bin_dir differs)" >&2
  exit 3
fi

echo "## Renewing certificates managed by kubeadm ##"
"$bin_dir/kubeadm" certs renew all || { echo "kubeadm certs renew all failed (exit $?)" >&2; exit 4; }

echo "## Restarting control plane pods managed by kubeadm ##"
# The kubelet starts the static pods again from their manifests, now reading the renewed files.
pods=$("$bin_dir/crictl" pods --namespace kube-system \
  --name 'kube-scheduler-*|kube-controller-manager-*|kube-apiserver-*|etcd-*' -q) ||
  { echo "crictl pods failed (exit $?): is containerd running?" >&2; exit 5; }
if [ -z "$pods" ]; then
  echo "crictl found no control-plane pod to restart (kube-apiserver, kube-controller-manager, kube-scheduler): is the kubelet running?" >&2
  exit 5
fi
printf '%s\n' "$pods" | xargs "$bin_dir/crictl" rmp -f ||
  { echo "crictl rmp -f failed (exit $?) for pods: $(echo $pods)" >&2; exit 5; }

echo "## Updating $root_kubeconfig ##"
mkdir -p "$(dirname "$root_kubeconfig")" && cp "$kube_config_dir/admin.conf" "$root_kubeconfig" ||
  { echo "copying $kube_config_dir/admin.conf to $root_kubeconfig failed" >&2; exit 6; }

echo "## Waiting for apiserver to be up again ##"
# kubespray's own test: the port takes a TCP connection (bash's /dev/tcp), tried once a second.
waited=0
until bash -c 'printf "" 2>/dev/null >>"/dev/tcp/127.0.0.1/$0"' "$port" 2>/dev/null; do
  if [ "$waited" -ge "$wait_seconds" ]; then
    "$bin_dir/crictl" ps -a --name kube-apiserver >&2
    echo "the API server did not answer on 127.0.0.1:$port within ${wait_seconds}s of its pods' restart: see crictl ps -a --name kube-apiserver, its crictl logs and journalctl -u kubelet on this host" >&2
    exit 7
  fi
  sleep 1
  waited=$((waited + 1))
done
echo "## API server answering on 127.0.0.1:$port ##"
