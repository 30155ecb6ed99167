# Takes an etcd snapshot as kubespray v2.23.3's etcd role reaches etcd (etcd_deployment_type host: etcdctl in bin_dir
# /usr/local/bin, the admin-<inventory name> client certificate in etcd_cert_dir, ETCDCTL_API=3; roles/etcd/tasks/
# configure.yml). Runs as root; arguments: folder, inventory name, member address, login that gets the file.
# Exit 3: etcdctl missing; 4: a certificate missing (its path on stderr); 5: save failed; 6: status failed;
# 7: etcd not healthy.
folder=$1 name=$2 address=$3 owner=$4
etcdctl=/usr/local/bin/etcdctl
certs=/etc/ssl/etcd/ssl
[ -x "$etcdctl" ] || { echo "$etcdctl" >&2; exit 3; }
for file in "$certs/ca.pem" "$certs/admin-$name.pem" "$certs/admin-$name-key.pem"; do
  [ -r "$file" ] || { echo "$file" >&2; exit 4; }
done
export ETCDCTL_API=3 ETCDCTL_CACERT="$certs/ca.pem" ETCDCTL_CERT="$certs/admin-$name.pem"
export ETCDCTL_KEY="$certs/admin-$name-key.pem" ETCDCTL_ENDPOINTS="https://$address:2379"
snapshot="$folder/snapshot.db"
# etcdctl 3.4 snapshot save waits forever for a member that is down; endpoint health gives up after 5 s.
"$etcdctl" endpoint health > /dev/null || exit 7
"$etcdctl" snapshot save "$snapshot" > /dev/null || exit 5
status=$("$etcdctl" snapshot status "$snapshot" -w json) || exit 6
echo "status $status"
echo "sha256 $(sha256sum "$snapshot" | cut -d' ' -f1)"
chown "$owner" "$snapshot"
