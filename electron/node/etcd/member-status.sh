# Reads etcd's members, their health and status for the health report, as root, as kubespray v2.23.3's etcd role
# reaches etcd (etcdctl in bin_dir /usr/local/bin, the admin-<inventory name> client certificate in
# /etc/ssl/etcd/ssl). Arguments: the member's inventory name and address. Prints "<section> <json>" lines.
# Exit 3: etcdctl missing; 4: a certificate missing (its path on stderr); 5: member list failed (its words on stderr).
etcdctl=/usr/local/bin/etcdctl
certs=/etc/ssl/etcd/ssl
[ -x "$etcdctl" ] || { echo "$etcdctl" >&2; exit 3; }
for file in "$certs/ca.pem" "$certs/admin-$1.pem" "$certs/admin-$1-key.pem"; do
  [ -r "$file" ] || { echo "$file" >&2; exit 4; }
done
export ETCDCTL_API=3 ETCDCTL_CACERT="$certs/ca.pem" ETCDCTL_CERT="$certs/admin-$1.pem"
export ETCDCTL_KEY="$certs/admin-$1-key.pem" ETCDCTL_ENDPOINTS="https://$2:2379" ETCDCTL_DIAL_TIMEOUT=5s
members=$("$etcdctl" member list -w json) || exit 5
echo "members $(printf '%s' "$members" | tr -d '\n')"
# A member that is down makes these exit non-zero; what they print still says which.
echo "health $("$etcdctl" endpoint health --cluster -w json 2>/dev/null | tr -d '\n')"
echo "status $("$etcdctl" endpoint status --cluster -w json 2>/dev/null | tr -d '\n')"
