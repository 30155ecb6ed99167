# etcdctl as kubespray v2.23.3's etcd role reaches etcd (etcd_deployment_type host: etcdctl in bin_dir /usr/local/bin,
# the admin-<inventory name> client certificate in etcd_cert_dir, ETCDCTL_API=3; roles/etcd/tasks/configure.yml).
# Put before a script whose first two arguments are the member's inventory name and address.
# Exit 3: etcdctl missing; 4: a certificate missing (its path on stderr).
etcdctl=/usr/local/bin/etcdctl
certs=/etc/ssl/etcd/ssl
[ -x "$etcdctl" ] || { echo "$etcdctl" >&2; exit 3; }
for file in "$certs/ca.pem" "$certs/admin-$1.pem" "$certs/admin-$1-key.pem"; do
  [ -r "$file" ] || { echo "$file" >&2; exit 4; }
done
export ETCDCTL_API=3 ETCDCTL_CACERT="$certs/ca.pem" ETCDCTL_CERT="$certs/admin-$1.pem"
export ETCDCTL_KEY="$certs/admin-$1-key.pem" ETCDCTL_ENDPOINTS="https://$2:2379"
