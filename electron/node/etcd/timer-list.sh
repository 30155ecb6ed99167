# The etcd timer's state, as root: its settings, systemd's result of the service's last run, and each snapshot's
# record on one line. Prints nothing when no timer is installed. Arguments: the timer's folder, the service's unit.
dir=$1 service=$2
[ -r "$dir/schedule.json" ] || exit 0
echo "schedule $(tr -d '\n' < "$dir/schedule.json")"
echo "result $(systemctl show -p Result --value "$service")"
for record in "$dir"/snapshots/*.json; do
  [ -r "$record" ] && echo "record $(basename "$record" .json) $(tr -d '\n' < "$record")"
done
exit 0
