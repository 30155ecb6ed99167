# After etcdctl-env.sh: etcd's members, their health and status for the health report, as root. Arguments: the
# member's inventory name and address. Prints "<section> <json>" lines. Exit 5: member list failed (its words on
# stderr).
export ETCDCTL_DIAL_TIMEOUT=5s
members=$("$etcdctl" member list -w json) || exit 5
echo "members $(printf '%s' "$members" | tr -d '\n')"
# A member that is down makes these exit non-zero; what they print still says which.
echo "health $("$etcdctl" endpoint health --cluster -w json 2>/dev/null | tr -d '\n')"
echo "status $("$etcdctl" endpoint status --cluster -w json 2>/dev/null | tr -d '\n')"
