# After etcdctl-env.sh: takes an etcd snapshot, as root. Arguments: inventory name, member address, folder, login
# that gets the file. Exit 5: save failed; 6: status failed; 7: etcd not healthy.
folder=$3 owner=$4
snapshot="$folder/snapshot.db"
# etcdctl 3.4 snapshot save waits forever for a member that is down; endpoint health gives up after 5 s.
"$etcdctl" endpoint health > /dev/null || exit 7
"$etcdctl" snapshot save "$snapshot" > /dev/null || exit 5
status=$("$etcdctl" snapshot status "$snapshot" -w json) || exit 6
echo "status $status"
echo "sha256 $(sha256sum "$snapshot" | cut -d' ' -f1)"
chown "$owner" "$snapshot"
