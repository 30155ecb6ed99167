# After etcdctl-env.sh, with etcd stopped: restores a snapshot into a fresh data dir and puts it in place of
# etcd_data_dir, the old one moved aside (never deleted), as root. etcd 3.4: the restore is etcdctl's (etcdutl came in
# 3.5). Arguments: inventory name, member address, snapshot file, etcd member name, its peer URL, the initial cluster,
# a stamp for the folder names. Prints "aside <path>". Exit 10: snapshot restore failed; 11: moving the folders failed.
snapshot=$3 name=$4 peer=$5 cluster=$6 stamp=$7
data=/var/lib/etcd
fresh="$data.restored-$stamp" aside="$data.before-restore-$stamp"
rm -rf -- "$fresh"
"$etcdctl" snapshot restore "$snapshot" --name "$name" --initial-cluster "$cluster" \
  --initial-cluster-token k8s_etcd --initial-advertise-peer-urls "$peer" --data-dir "$fresh" >&2 || exit 10
if [ -d "$data" ]; then
  chown -R --reference="$data" "$fresh" && chmod --reference="$data" "$fresh" && mv -- "$data" "$aside" || exit 11
  echo "aside $aside"
fi
mv -- "$fresh" "$data" || exit 11
