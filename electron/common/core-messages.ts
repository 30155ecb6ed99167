import { z } from 'zod';

/**
 * What the core tells a person, by stable id, as ICU MessageFormat in English. The CLI formats these in Node
 * (electron/node/i18n/format-core-message.ts); the window formats the same ids with react-intl, in the chosen language
 * (renderer/i18n/core-zh-CN.json holds the Chinese). Values are names, addresses, numbers: never English words.
 */
export const coreMessages = {
  'plan.control-plane-required':
    'No host has the control plane role: give it to at least one host (three for high availability).',
  'plan.worker-required':
    'No host has the worker role: make at least one host a worker (a control plane may also be one).',
  'plan.etcd-required': 'No host is an etcd member: give the etcd role to one host, or three for high availability.',
  'plan.etcd-odd':
    '{count} etcd members: etcd needs an odd number to keep quorum (kubespray refuses even counts). Use {fewer} or {more}.',
  'plan.host-name-invalid':
    '"{host}" is not a valid node name: use lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters (e.g. "{suggestion}").',
  'plan.host-name-duplicate': '{count} hosts are named "{host}": rename all but one.',
  'plan.address-duplicate': '{hosts} share the address {address}: each host needs its own address.',
  'plan.address-not-on-host':
    '{host}: {address} is not an address of this host (it has {addressCount, plural, =0 {none} other {{addresses}}}): use one of those.',
  'plan.facts-missing':
    '{host} was typed in, not discovered: its address, memory and OS are unchecked. Run discovery to check them.',
  'plan.host-without-role': '{host} has no role and is not the deploy node: give it a role or remove it.',
  'plan.deploy-node-required':
    '{chosen, select, yes {The deploy node "{deployNode}" is not in the host list: pick one of the hosts.} other {No deploy node chosen: pick the host where the bundle is unpacked and kubespray runs.}}',
  'plan.pod-cidr-invalid': 'Pod network "{value}" is not an IPv4 CIDR: type one such as {example}.',
  'plan.service-cidr-invalid': 'Service network "{value}" is not an IPv4 CIDR: type one such as {example}.',
  'plan.cidrs-overlap': 'Pod network {pods} and service network {services} overlap: move one of them.',
  'plan.cidr-overlaps-node-network':
    "{network, select, pod {Pod} other {Service}} network {cidr} overlaps {host}'s network {nodeNetwork}: choose a range no node uses.",
  'plan.node-prefix-too-small':
    'Node prefix /{nodePrefix} is larger than the pod network /{podPrefix}: use a node prefix of /{podPrefix} or longer (e.g. /24).',
  'plan.pod-addresses-insufficient':
    'The pod network /{podPrefix} split into /{nodePrefix} per node has room for {capacity} nodes, but the plan has {nodeCount}: widen the pod network or lengthen the node prefix.',
  'plan.load-balancing-required':
    "{count} control planes but no API load balancing: choose kubespray's local proxy, an external load balancer or kube-vip.",
  'plan.virtual-address-taken':
    "The kube-vip address {address} is {host}'s own address: choose a free address on the same network.",
  'plan.memory-too-small':
    '{need, select, controlPlane {{host} has {memory} MiB of memory; a control plane needs at least {minimum} MiB: add memory or make it a worker.} node {{host} has {memory} MiB of memory; kubespray needs at least {minimum} MiB on a node: add memory or drop its roles.} other {{host} has {memory} MiB of memory; {minimum} MiB or more is recommended for a control plane.}}',
  'plan.bundle-missing':
    'No bundle chosen: versions and plugins are unchecked. Choose the bundle on the Settings step.',
  'plan.kubernetes-version-required': 'No Kubernetes version chosen: pick one the bundle carries on the Settings step.',
  'plan.kubernetes-version-not-in-bundle':
    'Kubernetes {version} is not in bundle {bundle} (it carries {carriedCount, plural, =0 {none} other {{carried}}}): choose one of those.',
  'plan.network-plugin-not-in-bundle':
    'Network plugin {plugin} is not in bundle {bundle} (it carries {carriedCount, plural, =0 {none} other {{carried}}}): choose one of those.',
  'plan.calico-rr-needs-calico':
    'Route reflectors (calico_rr) only matter with Calico, and the plan uses {plugin}: drop the role or switch to Calico.',
  'plan.extra-vars-invalid':
    'Extra variables are not usable YAML ({notMapping, select, yes {it is not a mapping of variable names to values} other {{problem}}}): write one "name: value" per line.',
  'plan.extra-vars-secret':
    'Extra variable "{name}" looks like a secret, and secrets never go into an export: remove it; Airspray asks for secrets at deploy time.',
  'plan.extra-vars-managed':
    'Extra variable "{name}" is set by Airspray from the plan: remove it and use the matching setting instead.',
  'preflight.os.title': 'Operating system supported',
  'preflight.os.supported': '{name} is supported.',
  'preflight.os.unsupported': '{name} is not supported by this bundle: install one of {supported}.',
  'preflight.arch.title': 'Architecture supported',
  'preflight.arch.supported': '{arch} is supported.',
  'preflight.arch.unsupported':
    '{arch} is not in this bundle ({arches}): use a bundle built for {arch}, or another host.',
  'preflight.cpus.title': 'CPUs',
  'preflight.cpus.enough': '{cpus} CPUs.',
  'preflight.cpus.few':
    '{cpus} CPU: kubeadm wants {wanted} on a control plane (kubespray tells it to ignore this, the API server will be slow); add a CPU or plan the host as a worker.',
  'preflight.memory.title': 'Memory',
  'preflight.memory.below':
    "{memory} MiB is below kubespray's {minimum} MiB minimum for {role, select, controlPlane {a control plane} worker {a worker} other {a node}}: add memory or give the host a lighter role.",
  'preflight.memory.worker-only':
    "{memory} MiB: enough for a worker, below kubespray's {minimum} MiB for a control plane; plan it as a worker or add memory.",
  'preflight.memory.any-role': '{memory} MiB, enough for any role.',
  'preflight.memory.etcd-capped':
    '{memory} MiB: kubespray caps etcd at 512 MiB below {unlimited} MiB (etcd_memory_limit); add memory for a busy cluster.',
  'preflight.memory.enough':
    '{memory} MiB, enough for {needs, select, both {a control plane ({controlPlane} MiB) and a worker ({worker} MiB)} controlPlane {a control plane ({controlPlane} MiB)} other {a worker ({worker} MiB)}}.',
  'preflight.memory.no-minimum': '{memory} MiB; kubespray asks no minimum of this role.',
  'preflight.kernel.title': 'Kernel version',
  'preflight.kernel.no-minimum':
    '{kernel}; kubespray asks no minimum kernel for {plugin, select, default {the default plugin (calico)} other {{plugin}}}.',
  'preflight.kernel.enough': '{kernel}, at least {minimum} as cilium needs.',
  'preflight.kernel.old':
    '{kernel} is older than {minimum}, which kubespray requires for cilium: upgrade the kernel or choose calico.',
  'preflight.module.title': 'Kernel module {name}',
  'preflight.module.loaded': '{name} is loaded.',
  'preflight.module.loadable': '{name} is not loaded; kubespray will load it (modprobe).',
  'preflight.module.missing':
    "{name} is not in this kernel ({kernel}): {reason, select, br_netfilter {bridged pod traffic skips iptables without it} overlay {containerd's overlayfs snapshotter needs it} other {kube-proxy needs connection tracking}}; install the kernel's extra modules package (linux-modules-extra, kernel-modules-extra) or a kernel that has {name}.",
  'preflight.module.missing-required':
    "{name} is not in this kernel ({kernel}): {reason, select, ipvs {kube-proxy runs in ipvs mode} other {nodelocaldns needs a dummy interface}}, and kubespray's modprobe will fail; install the kernel's extra modules package (linux-modules-extra, kernel-modules-extra) or a kernel that has {name}, {reason, select, ipvs {or set kube-proxy to iptables mode} other {or turn nodelocaldns off}}.",
  'preflight.sysctl.title': 'sysctl {key}',
  'preflight.sysctl.read-only':
    "{key} is read-only here (/proc/sys mounted read-only, as in a container): kubespray's sysctl task will fail; run the node on a VM or bare metal{settable, select, yes {, or set kubelet_protect_kernel_defaults: false} other {}}.",
  'preflight.sysctl.after-br-netfilter': '{key} appears once kubespray loads br_netfilter, and is set to 1.',
  'preflight.sysctl.no-br-netfilter':
    "{key} does not exist and br_netfilter is missing: kubespray skips it; install the kernel's br_netfilter module.",
  'preflight.sysctl.already-set': '{key} is already 1.',
  'preflight.sysctl.will-set':
    '{key} is {present, select, yes {{value}} other {absent}}; kubespray sets it to 1 in /etc/sysctl.d.',
  'preflight.swap.title': 'Swap',
  'preflight.swap.none': 'No swap.',
  'preflight.swap.present':
    '{swap} MiB of swap: kubespray turns it off on every node; remove it from /etc/fstab to keep it off.',
  'preflight.unique.title': 'Unique {what, select, mac {MAC of {iface}} machineId {machine-id} other {{what}}}',
  'preflight.unique.pass':
    '{what, select, mac {MAC of {iface}} machineId {machine-id} other {{what}}} {value} is unique.',
  'preflight.unique.nothing':
    'No {what, select, mac {MAC of {iface}} machineId {machine-id} other {{what}}} to compare.',
  'preflight.unique.clash':
    '{what, select, mac {MAC of {iface}} machineId {machine-id} other {{what}}} {value} is also on {twins}: {what, select, hostname {give every node its own hostname (hostnamectl set-hostname).} machineId {the hosts were cloned: regenerate it (rm /etc/machine-id && systemd-machine-id-setup) and reboot.} product_uuid {the VMs were cloned with the same UUID: give each VM its own UUID in the hypervisor.} other {give each VM its own MAC address.}}',
  'preflight.clock.title': 'Clock in step with the laptop',
  'preflight.clock.in-step': 'The clock is off by {offset} ms.',
  'preflight.clock.skewed':
    'The clock is off by {offset} ms: {far, select, yes {certificates and etcd will fail; } other {}}point the hosts at the same NTP server on the LAN (Settings) or set the time by hand.',
  'preflight.disk.title': 'Free disk space',
  'preflight.disk.unknown': 'Free space on / and /var is unknown: check it by hand (df -h /var).',
  'preflight.disk.too-little':
    '{free} GiB free on /var: images and etcd need at least {minimum} GiB; free or add disk space.',
  'preflight.disk.little': '{free} GiB free on /var: {advised} GiB or more is advised; free or add disk space.',
  'preflight.disk.enough': '{free} GiB free on /var.',
  'preflight.python3.title': 'Python 3 present',
  'preflight.python3.present': 'Python {version}.',
  'preflight.python3.missing':
    "No python3: Ansible needs it on every node; install the python3 package from the bundle's OS repository.",
  'preflight.sudo.title': 'sudo works',
  'preflight.sudo.works': 'sudo accepted the password.',
  'preflight.sudo.unchecked': 'Not checked: give the profile a sudo password so kubespray can become root.',
  'preflight.sudo.refused':
    'sudo refused this user: add the user to the sudo (or wheel) group, or fix the sudo password in the profile.',
  'preflight.ports.title': 'Kubernetes ports free',
  'preflight.ports.free': '{ports} are free.',
  'preflight.ports.busy':
    'Port {ports} already has a listener: stop that service (ss -ltnp shows which), or pick another host.',
  'preflight.firewall.title': 'Firewall',
  'preflight.firewall.none':
    'No firewall front end active and no drop or reject rules{rulesRead, select, no { (rules not read: give the profile a sudo password to read them)} other {}}.',
  'preflight.firewall.found':
    '{frontEndCount, plural, =0 {} other {{frontEnds} active}}{ruleCount, plural, =0 {} other {{frontEndCount, plural, =0 {} other {; }}{ruleCount, plural, one {# rule} other {# rules}} that drop or reject (first: "{firstRule}")}}: kubespray opens no ports, so open 6443, 2379-2380, 10250 and the network plugin\'s between the nodes (firewall-cmd --add-port, ufw allow) or stop the firewall; the reachability check below shows what is blocked now.',
  'preflight.peer-ports.title': 'Reaches the other hosts',
  'preflight.peer-ports.untried':
    'No port was tried from this host (it has no python3, which kubespray needs too): check 6443, 2379-2380 and 10250 to the others by hand (nc -zv).',
  'preflight.peer-ports.answer':
    'All {count, plural, one {# port} other {# ports}} this host needs on the others answer (refused only means nothing listens yet).',
  'preflight.peer-ports.blocked':
    '{blocked}: a firewall on the way drops them (or no route); open these ports on those hosts and on any firewall between the nodes.',
  'preflight.peer-names.title': "Resolves the other hosts' names",
  'preflight.peer-names.resolve':
    '{resolved} of {total} names resolve to their addresses.{unresolvedCount, plural, =0 {} other { {unresolved} not resolved yet; kubespray adds every inventory host to /etc/hosts (populate_inventory_to_hosts_file).}}',
  'preflight.peer-names.wrong':
    "{wrong}: DNS or /etc/hosts names another address; fix the record (kubespray's /etc/hosts block wins only if nsswitch.conf reads files first).{unresolvedCount, plural, =0 {} other { {unresolved} not resolved yet; kubespray adds every inventory host to /etc/hosts (populate_inventory_to_hosts_file).}}",
  'preflight.existing-cluster.title': 'No existing cluster',
  'preflight.existing-cluster.none': 'No container runtime or kubelet installed.',
  'preflight.existing-cluster.found':
    'Found {found}: this host may belong to a cluster; reset it (reset.yml) or confirm it is meant to be reused.',
  'ssh.host-key-unknown':
    "{where} presented a {keyType} key never seen before ({fingerprint}): compare it with the host's console, then accept it.",
  'ssh.host-key-changed':
    "HOST KEY CHANGED for {where}: it presented {fingerprint} but {knownCount, plural, =0 {a revoked key} other {{known}}} is on record. This may be a man in the middle or a reinstalled host: stop, and confirm on the host's console before removing the old key from known_hosts.",
  'ssh.auth-refused': '{where} refused the login: check the user and the password or key.',
  'ssh.timeout': '{where} did not complete the SSH handshake in time: check that the host is up and reachable.',
  'ssh.connection-refused': '{where} refused the connection: sshd is not running there, or listens on another port.',
  'ssh.unreachable': '{where} could not be reached ({detail}).',
  'ssh.closed-early':
    '{where} closed the connection before the SSH login finished: its sshd may be refusing more connections (MaxStartups) or shutting down; try again.',
  'ssh.probe-failed': '{address}: the facts probe failed ({detail}).',
  'ssh.private-key-unreadable':
    'The private key cannot be read ({detail}): {part, select, passphrase {type the passphrase the key was made with} other {paste an OpenSSH or PEM private key}}.',
  'ssh.host-key-list-unreadable':
    'The host key list cannot be read at line {lines}{moreCount, plural, =0 {} other { and {moreCount} more}}: give known_hosts lines (host type base64) or "host SHA256:fingerprint" lines.',
  'ssh.host-key-list-empty': 'The host key list holds no key: give a known_hosts file or a fingerprint list.',
  // upgrade choice, cluster, discovery, access, downloads, settings, cli (issue #19)
  'roles.no-etcd-member':
    'The plan has no etcd member: give a host the etcd role on the Roles step (kubespray needs an odd number of them).',
  'roles.no-control-plane': 'The plan has no control plane: give one host the control plane role on the Roles step.',
  'certs.no-control-plane':
    "The plan has no control plane: kubeadm's certificates live on the control planes; give a host the control plane role on the Roles step.",
  'cluster.kubeconfig-missing':
    'No kubeconfig yet: it is fetched after a successful cluster.yml, or fetch it now from a control plane.',
  'cluster.reset':
    'The cluster was reset (run {runId}): the kubeconfig names a cluster that no longer exists. Run cluster.yml, then fetch it again.',
  'cluster.nodes-failed': 'kubectl get nodes failed on {host} ({detail}): check the control plane.',
  'cluster.sudo-password-missing':
    'The profile has no sudo password: {path} is readable by root only; add it on the Access step.',
  'cluster.no-control-plane-answered': 'No control plane answered: {failures}.',
  'cluster.kubeconfig-memory-only':
    'The kubeconfig was kept in memory only and Airspray has restarted since: fetch it again from the control plane.',
  'cluster.kubeconfig-keychain-only':
    "The kubeconfig is sealed by the desktop app's keychain and cannot be opened here ({reason}): open the project in the desktop app, or fetch it again.",
  'cluster.kubeconfig-passphrase-required':
    'The kubeconfig is stored encrypted: give the passphrase it was saved with.',
  'cluster.kubeconfig-damaged': '{file} in the project folder is damaged: fetch the kubeconfig again.',
  'cluster.admin-conf-not-yaml':
    "admin.conf is not valid YAML ({detail}): the control plane's copy is damaged; check /etc/kubernetes/admin.conf there.",
  'cluster.admin-conf-not-kubeconfig':
    'admin.conf is not a kubeconfig ({detail}): check /etc/kubernetes/admin.conf on the control plane.',
  'cluster.nodes-not-json': 'kubectl get nodes did not print JSON ({detail}): check kubectl on the control plane.',
  'cluster.nodes-not-a-list': 'kubectl get nodes printed no node list ({detail}): check kubectl on the control plane.',
  'seal.passphrase-wrong':
    'The passphrase is wrong (or the stored copy was changed): give the passphrase it was saved with.',
  'discovery.target-invalid':
    '"{token}" {reason, select, notAddress {is not a valid IPv4 address} notHostName {is neither an address nor a valid host name} noPrefix {has no valid prefix length} notCidr {is not a valid IPv4 CIDR block} badStart {starts with an invalid address} badEnd {ends with an invalid address} reversed {ends before it starts} tooLarge {is larger than a /16 ({size} addresses)} other {spans more than {max} addresses}}: write a CIDR block (10.0.0.0/24), a range (10.0.0.10-10.0.0.50 or 10.0.0.10-50), an address or a host name.',
  'discovery.no-targets': 'No targets: type a subnet such as 10.0.0.0/24.',
  'discovery.targets-too-many': '"{targets}" holds {total} targets, more than {max}: sweep one /16 or less at a time.',
  'discovery.targets-overlap':
    '"{first}" and "{second}" overlap (both hold {address}): remove one or narrow it so each address is typed once.',
  'access.key-not-presented':
    '{address} has not presented {fingerprint} in this session: collect facts again, then accept the key shown.',
  'access.key-changed':
    "{address} has a different key on record: a changed host key is never accepted here; confirm on the host's console and edit known_hosts by hand.",
  'access.profile-missing': 'No such credential profile: add one on the Access step.',
  'access.profile-not-sealable':
    'The profile cannot be saved encrypted ({reason}): add it without saving; it stays in memory until Airspray closes.',
  'downloads.dialog-needs-desktop': 'Saving through a dialog needs the desktop app: in a browser, use {use}.',
  'downloads.desktop-uses-dialog': 'The desktop app saves through its dialog: use downloads.save.',
  'settings.file-invalid': '{path} is not valid settings: delete it to start with the defaults.',
  'ssh.nul-character': '{field} contains a NUL character, which no remote command can carry: remove it.',
  'upgrade.bundle-current': "{bundle} is the project's bundle already.",
  'upgrade.downgrade':
    '{what} {from} → {to} is a downgrade: kubespray does not downgrade a cluster (restore an etcd snapshot instead).',
  'upgrade.skips-minor':
    '{what} {from} → {to} skips a minor release: upgrade one minor release at a time (a bundle with {what} {next} first).',
  'upgrade.version-unreadable':
    "{what} {from} → {to}: a version does not read as MAJOR.MINOR.PATCH; check the bundle's manifest and the Settings step.",
  'upgrade.kubernetes-not-carried': 'Bundle {bundle} carries Kubernetes {carried}, not {wanted}.',
  'bundle.manifest-missing': 'The bundle has no manifest.json.',
  'bundle.manifest-too-large': 'manifest.json is {size} bytes, over the {limit} byte limit.',
  'bundle.unsigned': 'The bundle is not signed: manifest.json.sig is missing.',
  'bundle.signature-not-json': 'manifest.json.sig is not valid JSON.',
  'bundle.signature-invalid': 'manifest.json.sig {problem}.',
  'bundle.unknown-publisher':
    "Signed by key {fingerprint}, which this app does not trust. Add the publisher's key only after comparing its fingerprint with the publisher.",
  'bundle.signature-mismatch':
    'The signature by "{publisher}" ({fingerprint}) does not match manifest.json: the manifest was changed after signing.',
  'bundle.manifest-not-json': 'manifest.json is not valid JSON: {problem}',
  'bundle.format-too-new':
    'The bundle uses format version {version}; this Airspray reads up to {supported}. Use a newer Airspray.',
  'bundle.manifest-invalid': 'manifest.json {problem}.',
  'bundle.manifest-repeats-path': 'manifest.json lists "{path}" twice or as a reserved name.',
  'bundle.file-missing': 'The manifest lists {path} ({size} bytes); it is not in the bundle.',
  'bundle.not-regular-file': '{path} is not a regular file.',
  'bundle.size-differs': '{path} is {size} bytes; the manifest says {expected}.',
  'bundle.file-extra': '{path} is in the bundle but not in the signed manifest.',
  'bundle.link-on-disk': '{path} is recorded as a link but lies on disk as a file.',
  'bundle.file-unreadable': '{path} cannot be read: {problem}',
  'bundle.size-changed-while-read': '{path} changed size while it was read.',
  'bundle.digest-differs': '{path} has sha256 {sha256}; the manifest says {expected}.',
  // bundle build, projects, inventory, plan file (issue #19)
  'project.name-invalid': '"{name}": {problem}',
  'project.name-not-found':
    'No project named "{name}" in this data folder (projects: {knownCount, plural, =0 {none yet} other {{known}}}): check --data-dir and the name.',
  'project.name-taken': 'A project named "{name}" exists already: open it, or choose another cluster name.',
  'project.id-not-found': 'No project with id {id}: pick one from the project list.',
  'project.file-not-json': 'Project file {path} is not valid JSON: restore it from a backup.',
  'project.file-invalid': 'Project file {path} is invalid, {problem}: restore it from a backup.',
  'project.rename-taken': 'A project named "{name}" exists already: choose another cluster name.',
  'project.stale-revision':
    'Project "{project}" was saved elsewhere (revision {revision}, you had {expected}): reopen it and repeat the change.',
  'project.file-not-object': 'Project file does not hold a JSON object.',
  'project.schema-version-missing': 'Project file has no valid "schemaVersion".',
  'project.schema-too-new':
    'Project file has schema version {version}, newer than this Airspray understands ({supported}): open it with a newer Airspray.',
  'project.host-range-backwards': '"{pattern}": the range {range} runs backwards: write the smaller number first.',
  'project.host-range-too-large': '"{pattern}" stands for more than {limit} hosts: narrow the range.',
  'project.hosts-required':
    'Name at least one host: a name, an address, a range such as node[01:03] or a pattern such as node*.',
  'project.host-not-in-plan':
    'No host named or at {missing}{missingMore, plural, =0 {} other { and {missingMore} more}} ({knownCount, plural, =0 {the plan has no hosts yet} other {the plan has {known}{knownMore, plural, =0 {} other { and {knownMore} more}}}}): add it first with `airspray plan hosts add ADDRESS NAME`, or correct the name.',
  'project.bundle-not-found':
    'No bundle "{id}" in {searched} (bundles found: {knownCount, plural, =0 {none} other {{known}}}): give one of those, or point --bundles-dir at the folder holding it.',
  'project.bundle-ambiguous': '"{id}" names {count} bundles ({paths}): keep one copy, or name it by its folder.',
  'project.host-name-invalid':
    'Host name "{name}" is not a node name: use lowercase letters, digits and "-" (at most 63), starting and ending with a letter or digit, such as node1.',
  'project.host-address-invalid': '"{address}" is not an IPv4 address: give the host\'s address, such as 10.0.0.11.',
  'project.host-port-not-22':
    "Port {port} for {name}: the plan reaches every host on SSH port 22 (kubespray's inventory is written without ansible_port); give the address alone.",
  'project.host-name-taken':
    'A host named {name} is in the plan already (at {address}): choose another name, or remove it first.',
  'project.host-address-taken':
    'Address {address} is in the plan already (host {name}): give another address, or remove {name} first.',
  'project.roles-required':
    'Say which roles: --control-plane, --etcd, --worker, --calico-rr, or their --no- forms to take one away.',
  'project.deploy-node-not-one':
    '"{pattern}" names {count} hosts ({hosts}): the deploy node is one host; give its name.',
  'project.setting-unknown':
    'Unknown setting "{key}": the settings{siblingCount, plural, =0 {} other { under {parent}}} are {known}.',
  'project.setting-extra-vars-secret':
    'Setting "extraVarsYaml": extra variable "{name}" looks like a secret, and secrets never go into an export: remove it; Airspray asks for secrets at deploy time.',
  'project.setting-needed':
    'Setting "{key}" is needed with this choice: add {key}=VALUE{choiceCount, plural, =0 {} other { (one of {choices})}} to the same command.',
  'project.setting-refused':
    'Setting "{key}" refused ({value}): {problem}{choiceCount, plural, =0 {} other { (one of {choices})}}. Give it again with {key}=VALUE.',
  'planFile.refused':
    '{file} is refused and nothing was saved ({count, plural, one {# problem} other {# problems}}):\n{problems}',
  'planFile.unreadable':
    '{file} cannot be read ({code}): give the path of a plan file, such as one airspray plan export wrote.',
  'planFile.too-large': '{file} is {size} bytes, over the {limit}-byte limit of a plan file: is it the right file?',
  'planFile.bundle-differs':
    '{where}: the file is made for {made, select, none {no bundle} manifest {bundle {wanted} (manifest {wantedManifest}…)} other {bundle {wanted}}}, and project "{project}" has bundle {have} (manifest {haveManifest}…): nothing was changed. Export the plan again from the project, or choose the file\'s bundle for the project first.',
  'planFile.bundle-not-found':
    '{where}: bundle {bundle} is {foundCount, plural, =0 {not in {searchedCount, plural, =0 {any bundle folder} other {{searched}}}} other {found at {found} with another manifest}}: nothing was changed. Put the bundle the file was made for beside Airspray, or give its folder with --bundles-dir.',
  'planFile.project-missing': '{where}: the file names no project: add "project: NAME" to it, or give --project NAME.',
  'planFile.host-keys-changed':
    'Project "{project}" trusted another host key meanwhile (its known_hosts changed): nothing was saved; apply the file again.',
  'inventory.downloads-missing':
    '{playbook} was not started: kubespray would download {count, plural, one {# item} other {# items}} the bundle cannot serve.\n{items}',
  'inventory.upload-not-one':
    'Import needs exactly one hosts.yaml or .ini inventory file (got {foundCount, plural, =0 {none} other {{found}}}): choose one.',
  'inventory.node-step-failed':
    "Could not {action, select, listDefaults {list kubespray's defaults} listDownloadDefaults {list kubespray's download defaults} read {read {path}} readManifest {read {path} (push the bundle first)} makeWorkFolder {make a work folder} write {write {path}} other {remove {path}}} on the deploy node ({detail}).",
  'inventory.no-download-role':
    '{release} has no kubespray download role ({role}): not a kubespray release whose downloads Airspray can read.',
  'inventory.download-set-not-rendered':
    "kubespray's download set did not render for the plan ({architectures}){place, select, node { on the deploy node} other {}}: {problem}",
  'inventory.plan-has-errors': 'The plan for {project} has {count} error(s); fix them before exporting:\n{errors}',
  'inventory.bundle-not-found': "No bundle at {path}: pick one from the Bundle step's list.",
  'inventory.bundle-unreadable': 'Bundle at {path} is unreadable ({problem}): pick another.',
  'inventory.path-missing': '{path} does not exist: give a kubespray inventory folder, hosts.yaml or .ini file.',
  'inventory.folder-without-inventory':
    '{path} holds no hosts.yaml or .ini inventory: point at the file itself or at its folder.',
  'inventory.yaml-invalid': '{origin} is not valid YAML ({problem}): fix the file and import again.',
  'inventory.no-groups': '{origin} holds no inventory groups: it should start with "all:".',
  'inventory.group-not-mapping': '{origin}: group "{group}" must be a mapping with hosts, vars or children.',
  'inventory.ini-group-var-invalid': '{origin} line {line}: "{text}" in [{group}:vars] is not name=value.',
  'inventory.ini-host-range':
    '{origin} line {line}: host ranges such as "{host}" are not supported: list each host on its own line.',
  'inventory.ini-host-var-invalid': '{origin} line {line}: "{text}" after host {host} is not name=value.',
  'inventory.host-without-address':
    'Host {host} has no IPv4 address: add ansible_host=ADDRESS to its line and import again.',
  'inventory.variable-not-single':
    '{name} must be a single value, not {kind, select, list {a list} other {a mapping}}: fix it and import again.',
  'inventory.variable-unsupported':
    '{name}: {value} is not supported; Airspray supports {allowed}. Change it and import again.',
  'inventory.registry-host-refused': 'registry_host "{registryHost}": {problem}',
  'inventory.container-manager-unsupported':
    'container_manager is "{manager}": Airspray deploys containerd only. Change it and import again.',
  'inventory.group-vars-not-mapping': '{origin} is not a mapping of variable names to values: fix it and import again.',
  'bundleBuild.defaults-not-yaml': '{path} is not valid YAML ({problem}): is this a kubespray release?',
  'bundleBuild.ansible-missing':
    'ansible-playbook is not installed here: apt-get install ansible-core{orLists, select, true {, or give --files-list and --images-list} other {}}.',
  'bundleBuild.no-download-defaults':
    '{release} has no download defaults (roles/download/defaults/main/ or roles/kubespray-defaults/defaults/main/download.yml): give the root of a kubespray release.',
  'bundleBuild.lists-not-rendered':
    "The release's download lists did not render for {targets}{place, select, node { on the deploy node} other {}}: {problem}",
  'bundleBuild.kubespray-missing': '--kubespray {path} does not exist: give a kubespray release folder or tarball.',
  'bundleBuild.kubespray-unreadable': '--kubespray {path} is neither a folder nor a tarball tar can read ({problem}).',
  'bundleBuild.kubespray-member-unsafe':
    '--kubespray {path} holds the member {member}, which is absolute or climbs out with "..": it is not a release tarball.',
  'bundleBuild.packages-not-rendered':
    "The release's package list did not render for {os}{place, select, node { on the deploy node} other {}}: {problem}",
  'bundleBuild.not-a-folder': '{path} is not a folder.',
  'bundleBuild.apt-tool-missing': '{command} is not installed: build OS packages on a Debian machine.',
  'bundleBuild.apt-cannot-install': "The Debian sources cannot install kubespray's packages: {problem}",
  'bundleBuild.dpkg-dev-missing': 'dpkg-scanpackages is not installed: apt-get install dpkg-dev.',
  'bundleBuild.apt-repository-incomplete':
    '{path} is incomplete: it lacks {knownCount, plural, =0 {a package apt needs} other {{missing}}} ({detail}). Rebuild it.',
  'bundleBuild.files-list-not-url': '{list} line {line}: "{text}" is not a URL.',
  'bundleBuild.files-list-scheme': '{list} line {line}: only http and https URLs can be downloaded.',
  'bundleBuild.url-without-path': '{url} has no usable file path.',
  'bundleBuild.image-reference-invalid': '"{reference}" is not an image reference (registry/repository:tag).',
  'bundleBuild.images-list-line-invalid': '{list} line {line}: {problem}',
  'bundleBuild.http-refused': 'GET {url} answered {status} {statusText}.',
  'bundleBuild.checksum-differs': '{name} has sha256 {sha256}; the published checksum is {expected}.',
  'bundleBuild.no-debian-source':
    'No Debian {codename} source in /etc/apt/sources.list*: give --os-mirror URL (e.g. http://deb.debian.org/debian).',
  'bundleBuild.blob-digest-differs': 'Blob {digest} arrived with digest {actual}.',
  'bundleBuild.registry-auth-unsupported':
    'The registry at {registry} asks for "{scheme}" authentication; only anonymous bearer tokens are supported.',
  'bundleBuild.registry-challenge-without-realm': 'The registry at {registry} sent a bearer challenge without a realm.',
  'bundleBuild.token-service-refused': 'The token service {service} answered {status}.',
  'bundleBuild.token-missing': 'The token service {service} sent no token.',
  'bundleBuild.manifest-digest-differs': 'Manifest {reference} of {repository} arrived with digest {digest}.',
  'bundleBuild.image-digest-differs': '{reference} resolved to {digest}.',
  'bundleBuild.no-platform-manifest': '{reference} has no manifest for {platforms}.',
  'bundleBuild.os-unsupported': '--os {os}: OS packages can be built for {supported} only.',
  'bundleBuild.release-file-missing': '{release} has no {path}: give the root of a kubespray release.',
  'bundleBuild.not-regular-file': '{path} is not a regular file; a bundle holds only files and folders.',
  'bundleBuild.manifest-missing': '{path} does not exist: build the bundle first.',
  'bundle.publishers-file-invalid': '{path} {problem}: fix or remove the file, then add the keys again.',
  'bundle.signing-key-passphrase':
    'The signing key is encrypted and the passphrase is missing or wrong: set AIRSPRAY_KEY_PASSPHRASE.',
  'bundle.signing-key-not-pem': 'The signing key is not a PEM private key ({detail}).',
  'bundle.signing-key-not-ed25519':
    'The signing key is {keyType}, not ed25519: make one with "airspray bundle keygen".',
  'bundleBuild.base-unreadable': '{dir}/manifest.json cannot be read: {detail}',
  'bundleBuild.base-invalid': '{dir}/manifest.json {problem}.',
  'bundleBuild.base-is-delta': '{dir} is a delta of {base}: build on a full bundle (--base {base}).',
  'bundleBuild.base-not-found':
    "--base {base} {count, plural, =0 {is neither a bundle folder nor the id of a bundle in {beside} (where the delta is built)} other {names {count} bundles in {beside} ({paths})}}: give the base's folder.",
  'bundle.base-not-beside':
    'This is a delta of {base}, which is not beside it in {parent}: copy that bundle (manifest sha256 {sha256}) into {parent}, then verify again.',
  'bundle.base-other-manifest':
    'This is a delta of {base} with manifest sha256 {sha256}; the {base} in {found} has another manifest (another build, or changed): put the {base} this delta was built on beside it, then verify again.',
  'run.sudo-password-missing':
    'The profile has no sudo password: kubespray must become root on every node; add it on the Access step.',
  'run.cancel-needs-sudo-password': 'Cancelling needs the sudo password: add it to the profile.',
  'run.bundle-missing': 'No bundle chosen for this project: choose one on the Bundle step and push it.',
  'run.not-found': 'No run {runId} in this project: pick one from the run history.',
  'run.deploy-node-missing': 'Project "{project}" has no deploy node: choose one on the Roles step.',
  'run.write-failed': 'Could not write {target} on the deploy node ({detail}).',
  'run.secret-line-break': 'The sudo password and the deploy key passphrase cannot contain a line break: change them.',
  'run.start-refused':
    'The deploy node refused to start the run ({detail}): check the sudo password and that {dir} does not exist yet.',
  'run.status-unreadable': "The run's status.json on the deploy node does not read as a status: {text}",
  'run.follow-stopped': 'Stopped following the run; it goes on on the deploy node.',
  'run.log-ended-early': 'The log stream ended before the run finished: attach again.',
  'run.runtime-folder-refused': 'Could not make {folder} on the deploy node ({detail}): check the sudo password.',
  'run.venv-failed':
    "The Ansible venv could not be made from {wheels} on the deploy node ({detail}): check that the bundle's python/ holds every wheel kubespray's requirements need (and pip's own wheel if the node has no python3-pip).",
  'run.no-ansible':
    'The deploy node has no ansible-playbook and the bundle has no Python wheels at {wheels}: push a bundle with python/ wheels, or install ansible-core on the deploy node.',
  'deploy.no-deploy-key':
    'This project has no deploy key yet: install it on the hosts first (Deploy step, "Install the deploy key", or airspray deploy keys).',
  'deploy.folder-sudo-refused':
    "Creating {folder} on the deploy node needs sudo, which refused ({detail}): check the profile's sudo password.",
  // deploy, etcd, upgrade, runs, certs (issue #19)
  'deploy.no-hosts': 'The plan has no hosts: add them on the Discover or Roles step.',
  'deploy.host-not-in-plan': '{host} is not in the plan: add it on the Discover or Roles step, or leave it out.',
  'deploy.no-deploy-node': 'No deploy node is chosen: pick the host that serves the bundle on the Roles step.',
  'deploy.no-bundle': 'No bundle is chosen: pick one on the Settings step.',
  'deploy.bundle-not-found':
    'Bundle {bundle} is not on the stick or in the bundle folders: plug in the stick holding it, or start with --bundles-dir.',
  'deploy.bundle-not-verified':
    'Bundle {bundle} is not fully verified as it lies now: run Verify on the Bundle step (or airspray bundle verify) first.',
  'deploy.bundle-refused': 'Bundle {bundle}: {detail}',
  'deploy.images-need-harbor':
    "This plan serves images from the deploy node's own registry, so there is nothing to push: choose Harbor on the Settings step to use one.",
  'deploy.ca-needs-harbor':
    "This plan serves images from the deploy node's own registry, which the nodes reach over plain HTTP: there is no Harbor CA to trust. Choose Harbor on the Settings step to use one.",
  'deploy.push-running':
    "A push of this project's {what, select, images {images} other {bundle}} is running already: follow it, or cancel it first.",
  'deploy.no-os-packages':
    'Bundle {bundle} carries no OS packages (repos/ID-VERSION/Packages): build it with --kubespray and --os debian-12.',
  'deploy.push-cancelled': 'The push was cancelled; what reached the node stays, and the next push resumes from it.',
  'deploy.no-python3':
    'The deploy node has no python3, which the push needs there (as kubespray does on every host): install the python3 package on it, then push again.',
  'deploy.bundle-write-failed':
    'Writing the bundle on the deploy node failed (exit {exitCode}){hasDetail, select, yes {: {detail}} other {}}.',
  'deploy.bundle-file-missing': '{name} is missing from {bundleDir}: verify the bundle first.',
  'deploy.bundle-file-short': '{path} is shorter than the manifest says: verify the bundle again.',
  'deploy.bundle-file-changed': '{path} changed since the bundle was verified: verify it again.',
  'deploy.bundle-id-invalid':
    'Bundle id "{bundleId}" cannot name a folder on the deploy node: use letters, digits, ".", "_" and "-".',
  'deploy.no-space':
    'The deploy node has {free} free on {mount}; the bundle needs {needed} more there and {reserve} must stay free. Free {missing} on {mount}, or give {root} a larger disk.',
  'deploy.link-lost':
    'The link to the deploy node dropped and did not come back within {seconds} s ({detail}); push again to resume from what arrived.',
  'deploy.bytes-still-differ':
    'After sending twice, the deploy node still holds different bytes for {paths}{moreCount, plural, =0 {} other { and {moreCount} more}}: check its disk.',
  'deploy.push-no-progress':
    'The push failed {times} times in a row without progress ({detail}); push again to resume from what arrived.',
  'deploy.no-registry-tool':
    'The bundle carries no registry in tools/ (looked for {names}): rebuild it with --tools holding the Distribution registry binary.',
  'deploy.unit-value-invalid':
    '{field} "{value}" cannot go into a systemd unit: use letters, digits, ".", "_", "-", "/" and ":" only.',
  'deploy.services-start-failed':
    "Starting the registry and file server on the deploy node failed ({detail}): check the profile's sudo password and that the bundle was pushed.",
  'deploy.key-sealed':
    "The project's deploy key is sealed by the desktop app's keychain and cannot be opened here ({reason}): open the project in the desktop app.",
  'deploy.key-passphrase-missing': "The project's deploy key is encrypted: give the passphrase it was created with.",
  'deploy.key-passphrase-wrong': 'The deploy key passphrase is wrong: give the passphrase the key was created with.',
  'deploy.blob-missing': 'The bundle lacks blob {digest} ({path}) that one of its images names: rebuild the bundle.',
  'deploy.blob-size-differs':
    'Blob {digest} in the bundle holds {size} bytes where its manifest says {expected}: verify the bundle on the Bundle step.',
  'deploy.blob-changed':
    'Blob {digest} in the bundle reads as {actual}: the bundle changed since it was verified; verify it again on the Bundle step.',
  'deploy.image-no-platform': 'The bundle holds none of the platforms of {image}: rebuild the bundle.',
  'deploy.image-push-refused':
    '{step, select, check {Checking blob} start {Starting the upload of blob} send {Sending blob} close {Closing the upload of blob} other {Sending manifest}} {object} into {repository} was refused ({status}): check that Harbor project {project} exists and that {userKnown, select, yes {{user}} other {the user}} may push to it (Developer role or above).',
  'deploy.image-push-failed':
    '{step, select, check {Checking blob} start {Starting the upload of blob} send {Sending blob} close {Closing the upload of blob} other {Sending manifest}} {object} into {repository} answered {status}{hasDetail, select, yes { ({detail})} other {}}: check the registry.',
  'deploy.image-push-cancelled': 'The image push was cancelled.',
  'deploy.harbor-ca-missing':
    "The plan names no CA for Harbor: paste the PEM of the CA that signed Harbor's certificate on the Settings step (not needed when a CA the hosts already trust signed it).",
  'deploy.harbor-ca-no-pem':
    'The Harbor CA holds no PEM certificate: paste it with its BEGIN CERTIFICATE and END CERTIFICATE lines.',
  'deploy.harbor-ca-unreadable':
    "Certificate {index} of the Harbor CA is not a readable X.509 certificate: paste the CA's PEM again.",
  'deploy.registry-token-http':
    "The registry at {address} sends logins to {realm} over plain HTTP; Airspray sends passwords over HTTPS only: configure the registry's token service with https.",
  'deploy.registry-auth-unsupported':
    'The registry at {address} asks for {scheme, select, none {no known} other {"{scheme}"}} authentication; Airspray speaks Basic and Bearer tokens.',
  'deploy.registry-token-empty': 'The token service of {address} answered without a token: check the registry.',
  'deploy.registry-password-missing':
    'The registry at {address} needs a login: type the Harbor password for {username}.',
  'deploy.registry-username-missing':
    'The registry at {address} needs a login: set the Harbor username on the Settings step and type its password.',
  'deploy.registry-login-refused':
    'The registry at {address} refused the login of {username}: check the Harbor password (and the username on the Settings step).',
  'deploy.registry-unexpected':
    '{request} on {address} answered {status}: {fix, select, address {check that the address is the registry (Harbor) itself} other {check the registry}}.',
  'deploy.registry-ca-untrusted':
    'The registry at {address} presented a certificate no trusted CA signed ({code}): paste the PEM of the CA that signed it into the Harbor CA certificate on the Settings step.',
  'deploy.registry-name-mismatch':
    "The registry's certificate is not issued for {address} ({detail}): type the address as its certificate names it.",
  'deploy.registry-certificate-expired':
    "The registry at {address} presented a certificate that is not valid now ({code}): renew it, or check this machine's clock.",
  'deploy.registry-unreachable':
    'Cannot reach the registry at {address} over HTTPS ({code}): check the Harbor address and that it is up.',
  'deploy.registry-answer-too-large': 'The registry sent more than {limit} bytes where a small answer was expected.',
  'etcd.backup-no-etcdctl':
    'etcd backup on {host}: {hasDetail, select, yes {{detail}} other {etcdctl}} is not there: this host is not an etcd member deployed by kubespray (etcd_deployment_type host); deploy the cluster first, or pick the member that runs etcd.',
  'etcd.backup-certificate-missing':
    "etcd backup on {host}: the certificate {detail} is missing: kubespray's etcd role makes it (roles/etcd/tasks/gen_certs_script.yml); run cluster.yml --tags etcd, or check that the host's name in the plan is its inventory name.",
  'etcd.backup-disk-full':
    'etcd backup on {host}: the disk holding /var/tmp is full ({detail}): free space there (the snapshot is about the size of /var/lib/etcd) and try again.',
  'etcd.backup-unhealthy':
    'etcd backup on {host}: etcd at https://{address}:2379 is not healthy ({detail}): check that etcd runs there (systemctl status etcd) and that the address in the plan is the one etcd listens on.',
  'etcd.backup-save-failed':
    "etcd backup on {host}: etcdctl snapshot save failed against https://{address}:2379 ({detail}): check etcd's log there (journalctl -u etcd) and try again.",
  'etcd.backup-check-failed':
    'etcd backup on {host}: the snapshot failed its check, etcdctl snapshot status ({detail}): it was not kept; take another.',
  'etcd.backup-sudo-refused':
    "etcd backup on {host}: sudo refused ({detail}): check the profile's sudo password on the Access step (or --sudo-password-file).",
  'etcd.backup-script-failed':
    'etcd backup on {host}: the snapshot script failed (exit {exitCode}): {hasDetail, select, yes {{detail}} other {no output}}',
  'etcd.backup-failed': 'etcd backup on {host}: {detail}',
  'etcd.restore-no-etcdctl':
    'etcd restore on {host}: {hasDetail, select, yes {{detail}} other {etcdctl}} is not there: this host is not an etcd member deployed by kubespray (etcd_deployment_type host).',
  'etcd.restore-certificate-missing':
    "etcd restore on {host}: the certificate {detail} is missing: run cluster.yml --tags etcd, or check the host's name in the plan.",
  'etcd.restore-snapshot-damaged':
    'etcd restore on {host}: the snapshot failed etcdctl snapshot status there ({detail}): it is damaged; restore another backup.',
  'etcd.restore-copy-damaged':
    'etcd restore on {host}: the snapshot arrived with {detail}, not the sha256 its index records: the copy was damaged on the way; try again.',
  'etcd.restore-env-mismatch':
    "etcd restore on {host}: /etc/etcd.env says {hasDetail, select, yes {{detail}} other {nothing}}, not kubespray's layout for this member (the plan's etcd order names etcd1, etcd2, …; data in /var/lib/etcd): check the plan's hosts and their order.",
  'etcd.restore-failed':
    'etcd restore on {host}: etcdctl snapshot restore failed ({detail}): etcd is stopped on every member and the old data is still in /var/lib/etcd; start etcd again (systemctl start etcd) or fix the cause and restore again.',
  'etcd.restore-move-failed':
    'etcd restore on {host}: moving the data folders failed ({detail}): etcd is stopped; look at /var/lib/etcd* there before starting it again.',
  'etcd.restore-sudo-refused':
    "etcd restore on {host}: sudo refused ({detail}): check the profile's sudo password on the Access step (or --sudo-password-file).",
  'etcd.restore-script-failed':
    'etcd restore on {host}: the script failed (exit {exitCode}): {hasDetail, select, yes {{detail}} other {no output}}',
  'etcd.restore-command-failed': 'etcd restore on {host}: {command} failed ({detail}): check journalctl -u etcd there.',
  'etcd.restore-needs-confirm':
    'Restoring {file} onto {hosts} needs a confirmation: every write to the cluster after {takenAt} (etcd revision {revision}) is lost: objects created, changed or deleted since, Secrets and leases included. Confirm it (--confirm) to restore.',
  'etcd.snapshot-changed-on-disk':
    "The snapshot {path} has sha256 {sha256}, its index records {expected}: the file changed or was damaged on the data folder's disk; restore another backup. Nothing was changed on the cluster.",
  'etcd.members-mismatch':
    "{detail}. Nothing was changed. Fix the plan's etcd hosts (kubespray names them etcd1, etcd2, … in the plan's order), or restore anyway (--ignore-member-mismatch) when etcd is down or its members are the ones to replace.",
  'etcd.restore-midway':
    '{detail} The restore stopped midway (members restored: {restoredCount, plural, =0 {none} other {{restored}}}; their old data is in /var/lib/etcd.before-restore-{stamp}). etcd may be stopped on every member: look at each before starting it.',
  'etcd.restore-unhealthy':
    'etcd was restored but is not healthy yet ({detail}): check journalctl -u etcd on each member; the old data dirs are beside /var/lib/etcd.',
  'etcd.not-a-member': '{host} is not an etcd member of the plan: pick one of {members}.',
  'etcd.sudo-password-missing':
    "The profile has no sudo password: etcd's client certificates are readable by root only; add it on the Access step (or --sudo-password-file).",
  'etcd.snapshot-copy-damaged':
    "The snapshot copied from {member} has sha256 {copied}, the member's file {expected}: the copy was damaged on the way; take another.",
  'etcd.backup-not-found':
    '{file} is not an etcd backup of this project (airspray etcd backups lists them: {knownCount, plural, =0 {none yet} other {{known}}}).',
  'etcd.backup-index-unreadable':
    'The etcd backup index {path} is not readable ({detail}): move it aside; the snapshots beside it stay, and the next backup starts a new index.',
  'etcd.data-disk-full':
    "The data folder's disk is full while copying the snapshot to {path}: free space there, or lower the cluster setting etcdBackupsKept.",
  'etcd.duration-invalid':
    '{field} "{text}" is not a duration: write a whole number and m, h or d, such as 6h, 30m or 1d.',
  'upgrade.no-control-plane':
    'The plan has no control plane or etcd host: upgrade-cluster.yml upgrades an existing cluster.',
  'upgrade.version-unset':
    'Bundle {bundle} carries Kubernetes {versions}: set the version the cluster runs on the Settings step first.',
  'upgrade.running': 'An upgrade of this project is under way: follow it.',
  'upgrade.half-done': 'The upgrade to {bundle} (Kubernetes {version}) stopped half done: {detail} Finish it first.',
  'upgrade.no-bundle': 'No bundle chosen for this project: choose one first.',
  'upgrade.target-missing': 'Name the bundle to upgrade to, or a preset.',
  'upgrade.services-unhealthy': 'Services not healthy: {detail}',
  'run.id-invalid': 'Run id "{runId}" is not valid: use lowercase letters, digits and "-".',
  'run.cluster-name-invalid': 'Cluster name "{cluster}" is not valid: use lowercase letters, digits and "-".',
  'run.runtime-id-invalid': 'Runtime id "{runtimeId}" is not valid: use a bundle id.',
  'run.node-procedure-running': 'A node procedure of this project is under way: follow it.',
  'run.node-procedure-half-done':
    'The {action, select, add {add} remove {remove} other {replace}} of {hosts} stopped half done: {detail} Finish it first (the same request goes on).',
  'certs.sudo-password-missing':
    "The profile has no sudo password: the cluster's certificates are readable by root only; add it on the Access step (or --sudo-password-file).",
  'certs.no-kubernetes-hosts': 'The plan has no host with a Kubernetes role: give hosts their roles on the Roles step.',
  'certs.not-control-plane': '{hosts}: not a control plane of the plan. Name control planes only ({controlPlanes}).',
  'bundle.link-absolute':
    '{path} points to the absolute path {target}; a bundle carries only relative links inside {root}/.',
  'bundle.link-outside':
    '{path} -> {target} leads outside {root}/ (or loops); a bundle carries only links inside {root}/.',
  'bundle.link-and-file': '{path} is listed both as a link and as a file or folder.',
  'bundle.link-dangling': '{path} -> {target} leads to {resolved}, which the bundle does not hold.',
  'bundle.link-escapes':
    'The symbolic link {path} -> {target} leads outside {root}/: a bundle carries only relative links inside it.',
  'bundle.not-found': '{path} is not one of the bundles Airspray found; refresh the list or start with --bundles-dir.',
  'bundle.verifying-already': '{path} is being verified already.',
  'bundle.publisher-fingerprint-mismatch':
    'The confirmed fingerprint does not match this key (its fingerprint is {fingerprint}); nothing was added.',
  'bundle.publisher-name-length': 'The publisher name must be 1 to 100 characters.',
  'bundle.public-key-unreadable':
    'The public key is neither a PEM public key nor 32 bytes of base64: use the .pub file "airspray bundle keygen" wrote.',
  'bundle.public-key-not-ed25519': 'The public key is {keyType}, not ed25519.',
  // ids helper, session 15 (issue #19): node procedures and recovery (electron/common refuses by id, CoreRefusal)
  'nodes.not-in-plan':
    '{host} is not in the plan with a role: give it its roles in the plan (Plan step, or airspray plan roles) first.',
  'nodes.first-host':
    "{verb, select, remove {kubespray cannot remove the first host of {group} ({host})} other {{host} would be the first host of {group}, the one kubespray builds the others from}}: put another {group} host first in the plan's host order, run cluster.yml so the cluster has the new order, then {verb, select, remove {remove} other {add}} {host}.",
  'nodes.etcd-even':
    'This would leave {count} etcd members, and kubespray refuses an even number: add or remove one more (or replace a member: airspray node replace OLD --with NEW).',
  'nodes.replacing-missing': 'Name the members the new hosts replace (--with).',
  'nodes.replace-itself': '{host} cannot replace itself.',
  'nodes.recover-not-member':
    '{host} is not an etcd member or control plane in the plan: recover-control-plane.yml rebuilds only those (a broken worker: airspray node replace or node remove --offline).',
  'nodes.recover-no-survivor':
    "No member of {role, select, etcd {etcd} other {kube_control_plane}} survives (broken: {broken}): kubespray's recovery needs at least one working one; {role, select, etcd {restore etcd from a snapshot instead (airspray etcd restore)} other {rebuild the cluster instead (airspray node replace, or cluster.yml)}}.",
  'nodes.recover-broken-and-new': '{host} is named broken and new.',
  'nodes.recover-etcd-even':
    'After the recovery etcd would have {count} members ({members}), and kubespray refuses an even number: name one more or one fewer new etcd host.',
  'nodes.recover-loss':
    'Recovering deletes what is left on {broken} ({brokenEtcd, plural, =0 {} other {their etcd data and certificates, }}their control plane configuration). If etcd lost its quorum, kubespray restores it from a snapshot of {hasFirst, select, yes {{first}} other {the first member}}: writes that member did not have are lost. The cluster may be disrupted while the playbook runs, and kubespray gives "absolutely no guarantees": take an etcd backup first (airspray etcd backup).{confirm, select, yes { Confirm to go on (--confirm).} other {}}{snapshot, select, yes { With the backup {file} (taken {takenAt} on {member}, etcd revision {revision}): if etcd lost its quorum, kubespray restores it from this backup instead of a snapshot of the first member, and every write to the cluster after {takenAt} is lost (objects created, changed or deleted since, Secrets and leases included); with the quorum intact kubespray does not use it.} other {}}',
  'nodes.stopped-at':
    'Stopped at step {step} of {count} ({command}): run {runId} {state, select, running {running} succeeded {succeeded} failed {failed} cancelled {cancelled} refused {refused} other {lost}}. The same command goes on from there.',
  'nodes.step-not-started':
    'Step {step} of {count} ({command}) did not start: {detail} The same command goes on from there.',
  'upgrade.stage-failed':
    "{stage, select, snapshot {The etcd snapshot failed, so nothing was changed} push {Pushing the new bundle failed; the cluster is unchanged} services {The deploy node's services did not start with the new bundle; the cluster is unchanged} other {Switching the plan to the new bundle failed; the cluster is unchanged}}: {detail} The same upgrade command goes on from there.",
  'upgrade.step-not-started': '{step} did not start: {detail} The same upgrade command goes on from there.',
  'upgrade.stopped-at':
    'Stopped at {step}: run {runId} {state, select, running {running} succeeded {succeeded} failed {failed} cancelled {cancelled} refused {refused} other {lost}}. The same upgrade command goes on from there.',
  'upgrade.paused': 'Paused after {step}; next: {next}. The same upgrade command goes on from there.',
  'upgrade.interrupted':
    'Airspray stopped while this upgrade was under way. The same upgrade command goes on from there.',
  'inventory.check-no-bundle': 'No bundle is chosen: pick one on the Settings step.',
  'inventory.check-bundle-absent':
    'Bundle {bundle} is not in the bundle folders here: plug in the stick holding it to check what kubespray will download.',
  'inventory.check-bundle-refused': 'Bundle {bundle}: {detail}',
  'inventory.download-missing':
    '{kind, select, file {File} other {Image}} {reference} ({variables}, for {architecture}) is not in bundle {bundle}: rebuild the bundle with it, or change the setting that asks for it.',
  'inventory.download-outside':
    '{kind, select, file {File} other {Image}} {reference} ({variables}, for {architecture}) does not come from {hasServer, select, yes {{servedFrom}} other {the deploy node}}: kubespray would fetch it from outside; remove the override of {variables}.',
  'bundle.manifest-to-sign-invalid': 'The manifest {problem}.',
  'bundleBuild.apt-file-missing': 'apt reported {name} {version} but did not leave {path}.',
  'bundleBuild.download-no-body': 'GET {url} answered without a body.',
  'bundleBuild.download-failed': 'Downloading {url} failed.',
  'project.migration-missing': 'No migration from project schema version {from} to {to}.',
  'deploy.key-generation-failed': 'Could not generate a well-formed ed25519 deploy key in {attempts} attempts.',
  // ids helper, session 15 (issue #19): the command line's own refusals (printed in English by the CLI only)
  'cli.checksums-line-invalid': '--checksums line {line} is not "{form}".',
  'cli.key-file-exists': '{path} or its .pub exists; pass --force to replace it.',
  'cli.lists-or-kubespray':
    'Give --kubespray (the lists are derived from the release) or both --files-list and --images-list.',
  'cli.host-invalid': '"{value}" is not HOST or HOST:PORT.',
  'cli.secret-file-unreadable': '{option} {path} cannot be read ({code}): give a readable file holding the secret.',
  'cli.auth-one-of': 'Give exactly one of --password-file FILE or --key FILE.',
  'cli.passphrase-variable': '{detail} Set {variable}.',
  'cli.deploy-key-not-installed':
    'The deploy key could not be installed on {host} ({hasDetail, select, yes {{detail}} other {no message}}): kubespray would not reach it. Check the login, or accept its host key first (the Access step, or airspray deploy keys --accept-new).',
  'cli.run-options-invalid': 'Run options: {problem}',
  'cli.project-delete-needs-yes':
    'Deleting {name} removes {folder} with its runs, deploy key and kubeconfig: add --yes to confirm.',
  'cli.every-or-off': 'Give --every DURATION (such as 6h, 30m or 1d), or --off.',
  'cli.keep-invalid': '--keep "{keep}" must be a whole number from 1 to 100.',
  'cli.address-invalid': '"{text}" is not ADDRESS or ADDRESS:PORT, such as 10.0.0.11.',
  'cli.names-addresses-count':
    '{addressPattern} stands for {addresses} address(es) but {namePattern} for {names} name(s): give as many names as addresses.',
  'cli.setting-not-pair': '"{pair}" is not KEY=VALUE: write it as networkPlugin=cilium or dns.domain=cluster.local.',
  'cli.passphrase-too-short':
    "Set {variable} (8 characters or more): the command line keeps the project's deploy key encrypted under it.",
  'cli.project-without-hosts': 'Project {name} has no hosts: add them first.',
  'cli.fetch-needs-user':
    '--fetch logs in to the control planes: give --user, and --password-file or --key (sudo asks for the password).',
  // snapshot helper (issue #17): recovering a lost etcd quorum from a stored Airspray backup.
  'recover.snapshot-loss':
    'With the backup {file} (taken {takenAt} on {member}, etcd revision {revision}): if etcd lost its quorum, kubespray restores it from this backup instead of a snapshot of the first member, and every write to the cluster after {takenAt} is lost (objects created, changed or deleted since, Secrets and leases included); with the quorum intact kubespray does not use it.',
  'recover.snapshot-other-project':
    "{file} is an etcd backup of the project {project}, not of {current}: restoring it would put that cluster's state into this one. Pick one of {current}'s backups (airspray etcd backups --project {current}).",
  'recover.snapshot-copy-damaged':
    'The backup {file} arrived on the deploy node {host} with sha256 {sha256}, not the {expected} its index records: the copy was damaged on the way; nothing was run, try again.',
  'recover.snapshot-only-recovery':
    'Only a recovery restores from an etcd backup (airspray node recover --snapshot); to restore etcd alone: airspray etcd restore --backup {file}.',
  'recover.snapshot-not-looked-up': 'The backup {file} was not looked up for the procedure (it has {looked}).',
} as const;

export type CoreMessageId = keyof typeof coreMessages;

/** A message's values: names, addresses, counts. Lists the core already joined with ", " (they are values). */
export const CoreMessageParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type CoreMessageParams = z.infer<typeof CoreMessageParamsSchema>;

export const coreMessageIds = Object.keys(coreMessages) as [CoreMessageId, ...CoreMessageId[]];

/** A message by id with its values, for whoever shows it to format in their language. */
export const CoreMessageSchema = z.object({ id: z.enum(coreMessageIds), params: CoreMessageParamsSchema });
export type CoreMessage = z.infer<typeof CoreMessageSchema>;

/** Lists in a message: the core's values joined once, the same in every language. */
export const joinValues = (values: readonly string[]) => values.join(', ');
