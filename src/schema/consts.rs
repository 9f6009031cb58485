//! Facts a generator needs besides the tables: default ports, isolator
//! names, and a few fixed word lists (sources in `data/README.md`).

/// ZooKeeper client port (conventional, from the admin guide's examples).
pub const ZK_CLIENT_PORT: u16 = 2181;
/// ZooKeeper quorum (peer) port, the first port of a `server.N` line.
pub const ZK_QUORUM_PORT: u16 = 2888;
/// ZooKeeper leader-election port, the second port of a `server.N` line.
pub const ZK_ELECTION_PORT: u16 = 3888;
/// ZooKeeper AdminServer port (`admin.serverPort`); clashes with Marathon's
/// HTTP port on a shared host.
pub const ZK_ADMIN_PORT: u16 = 8080;
/// ZooKeeper Prometheus exporter port (`metricsProvider.httpPort`).
pub const ZK_METRICS_PORT: u16 = 7000;
/// `mesos-master --port` default.
pub const MESOS_MASTER_PORT: u16 = 5050;
/// `mesos-agent --port` default.
pub const MESOS_AGENT_PORT: u16 = 5051;
/// Marathon `--http_port` default.
pub const MARATHON_HTTP_PORT: u16 = 8080;
/// Marathon `--https_port` default.
pub const MARATHON_HTTPS_PORT: u16 = 8443;
/// etcd's client port (`DefaultListenClientURLs`, `embed/config.go`; the
/// IANA assignment).
pub const ETCD_CLIENT_PORT: u16 = 2379;
/// etcd's peer port (`DefaultListenPeerURLs`, `embed/config.go`).
pub const ETCD_PEER_PORT: u16 = 2380;
/// Marathon's service port range (`--local_port_min`..`--local_port_max`),
/// inclusive.
pub const MARATHON_SERVICE_PORTS: (u16, u16) = (10000, 20000);
/// The `ports` an agent offers when `--resources` does not say
/// (`DEFAULT_PORTS` in `src/slave/constants.hpp`), inclusive.
pub const AGENT_TASK_PORTS: (u16, u16) = (31000, 32000);

/// Every `--isolation` name the Mesos containerizer knows (factory map in
/// `src/slave/containerizer/mesos/containerizer.cpp`). Modules may add more.
pub const ISOLATORS: [&str; 41] = [
    "posix/cpu",
    "posix/mem",
    "posix/rlimits",
    "filesystem/posix",
    "filesystem/linux",
    "filesystem/shared",
    "filesystem/windows",
    "windows/cpu",
    "windows/mem",
    "cgroups/all",
    "cgroups/blkio",
    "cgroups/cpu",
    "cgroups/cpuset",
    "cgroups/devices",
    "cgroups/hugetlb",
    "cgroups/mem",
    "cgroups/net_cls",
    "cgroups/net_prio",
    "cgroups/perf_event",
    "cgroups/pids",
    "appc/runtime",
    "docker/runtime",
    "docker/volume",
    "linux/devices",
    "linux/capabilities",
    "linux/nnp",
    "linux/seccomp",
    "namespaces/ipc",
    "namespaces/pid",
    "volume/sandbox_path",
    "volume/host_path",
    "volume/image",
    "volume/secret",
    "volume/csi",
    "disk/du",
    "disk/xfs",
    "gpu/nvidia",
    "network/cni",
    "network/port_mapping",
    "network/ports",
    "environment_secret",
];

/// The containerizers `--containerizers` may list.
pub const CONTAINERIZERS: [&str; 2] = ["mesos", "docker"];

/// Capabilities an agent's `--agent_features` must list when it is given
/// (`src/slave/main.cpp`).
pub const MANDATORY_AGENT_FEATURES: [&str; 7] = [
    "MULTI_ROLE",
    "HIERARCHICAL_ROLE",
    "RESERVATION_REFINEMENT",
    "AGENT_OPERATION_FEEDBACK",
    "RESOURCE_PROVIDER",
    "AGENT_DRAINING",
    "TASK_RESOURCE_LIMITS",
];

/// Mesos flags whose C++ type is `Path`: a leading `file://` is stripped
/// instead of reading the value from that file (`stout/path.hpp`). Includes
/// `executor_secret_key`, the old name of `jwt_secret_key`.
pub const MESOS_PATH_TYPED_FLAGS: [&str; 6] = [
    "whitelist",
    "credentials",
    "credential",
    "http_credentials",
    "jwt_secret_key",
    "executor_secret_key",
];

/// ZooKeeper's four-letter-word commands, for `4lw.commands.whitelist`
/// (only `srvr` is enabled by default; `*` enables all).
pub const ZK_FOUR_LETTER_WORDS: [&str; 18] = [
    "conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "hash", "isro", "mntr", "ruok", "srst",
    "srvr", "stat", "stmk", "wchc", "wchp", "wchs",
];
