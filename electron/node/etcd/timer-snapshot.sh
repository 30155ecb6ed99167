# The timer's etcd snapshot, run as root by airspray-etcd-snapshot.service: snapshot.sh beside this file (etcdctl with
# kubespray's certificates: save, status, sha256) into a work folder, then the file and its JSON record into
# snapshots/ named by the UTC time, and the newest KEEP kept. Arguments: inventory name, address, the member as JSON,
# KEEP, this file's folder. A failed snapshot.sh fails the service with its exit code (see snapshot.sh).
set -eu
name=$1 address=$2 member=$3 keep=$4 dir=$5
umask 077
mkdir -p "$dir/snapshots"
work=$(mktemp -d "$dir/work.XXXXXX")
trap 'rm -rf "$work"' EXIT
taken=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
report=$(sh "$dir/snapshot.sh" "$name" "$address" "$work" root)
status=$(printf '%s\n' "$report" | sed -n 's/^status //p')
sha256=$(printf '%s\n' "$report" | sed -n 's/^sha256 //p')
size=$(stat -c %s "$work/snapshot.db")
printf '{"takenAt":"%s","member":%s,"sizeBytes":%s,"sha256":"%s","status":%s}\n' \
  "$taken" "$member" "$size" "$sha256" "$status" > "$work/record.json"
stem=$(printf '%s' "$taken" | tr -d ':-')
# The file first, then its record: a record always has its snapshot (Airspray collects by the records).
mv "$work/snapshot.db" "$dir/snapshots/$stem.db"
mv "$work/record.json" "$dir/snapshots/$stem.json"
ls "$dir/snapshots" | sed -n 's/\.json$//p' | sort -r | tail -n +$((keep + 1)) | while read -r old; do
  rm -f "$dir/snapshots/$old.json" "$dir/snapshots/$old.db"
done
echo "snapshot $stem: $size bytes, sha256 $sha256"
