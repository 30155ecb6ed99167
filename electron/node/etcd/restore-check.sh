# After etcdctl-env.sh: checks a pushed snapshot and the member's layout before a restore changes anything, as root.
# Arguments: inventory name, member address, snapshot file, its recorded sha256, the etcd member name from the plan.
# Prints "status <json>". Exit 6: snapshot status failed; 8: sha256 differs (the member's on stderr); 9: /etc/etcd.env
# is not kubespray's for this member (what it says on stderr).
snapshot=$3 sha256=$4 name=$5
said=$(sha256sum "$snapshot" | cut -d' ' -f1)
[ "$said" = "$sha256" ] || { echo "sha256 $said" >&2; exit 8; }
status=$("$etcdctl" snapshot status "$snapshot" -w json) || exit 6
# kubespray's roles/etcd/templates/etcd.env.j2: the member's name and etcd_data_dir.
env_name=$(sed -n 's/^ETCD_NAME=//p' /etc/etcd.env 2>/dev/null)
env_data=$(sed -n 's/^ETCD_DATA_DIR=//p' /etc/etcd.env 2>/dev/null)
[ "$env_name" = "$name" ] || { echo "ETCD_NAME=$env_name" >&2; exit 9; }
[ "$env_data" = /var/lib/etcd ] || { echo "ETCD_DATA_DIR=$env_data" >&2; exit 9; }
echo "status $status"
