# Reads the cluster's state for the health report, as root, where kubespray v2.23.3 puts things: kubectl and etcdctl
# in bin_dir /usr/local/bin, the admin kubeconfig at /etc/kubernetes/admin.conf, etcd's admin-<inventory name>
# client certificate in /etc/ssl/etcd/ssl. Arguments: "nodes", or "etcd" with the member's inventory name and address.
# Prints "<section> <json>" lines. Exit 3: the tool is missing (its path on stderr); 4: a certificate or the
# kubeconfig is missing (its path on stderr); 5: the tool failed (its own words on stderr).
bin=/usr/local/bin
need() { [ -e "$1" ] || { echo "$1" >&2; exit "$2"; }; }
case $1 in
nodes)
  need "$bin/kubectl" 3
  need /etc/kubernetes/admin.conf 4
  nodes=$("$bin/kubectl" --kubeconfig /etc/kubernetes/admin.conf --request-timeout 10s get nodes -o json) || exit 5
  echo "nodes $(printf '%s' "$nodes" | tr -d '\n')"
  ;;
etcd)
  certs=/etc/ssl/etcd/ssl
  need "$bin/etcdctl" 3
  for file in "$certs/ca.pem" "$certs/admin-$2.pem" "$certs/admin-$2-key.pem"; do need "$file" 4; done
  export ETCDCTL_API=3 ETCDCTL_CACERT="$certs/ca.pem" ETCDCTL_CERT="$certs/admin-$2.pem"
  export ETCDCTL_KEY="$certs/admin-$2-key.pem" ETCDCTL_ENDPOINTS="https://$3:2379" ETCDCTL_DIAL_TIMEOUT=5s
  members=$("$bin/etcdctl" member list -w json) || exit 5
  echo "members $(printf '%s' "$members" | tr -d '\n')"
  # A member that is down makes these exit non-zero; what they print still says which.
  echo "health $("$bin/etcdctl" endpoint health --cluster -w json 2>/dev/null | tr -d '\n')"
  echo "status $("$bin/etcdctl" endpoint status --cluster -w json 2>/dev/null | tr -d '\n')"
  ;;
*) echo "usage: nodes | etcd NAME ADDRESS" >&2; exit 2 ;;
esac
