//! The keys of every MCL block: one list each, used by the checker (which
//! reports any other key with a "did you mean") and by the language server
//! (which offers them).

use super::Role;

/// Keys of the `cluster` block.
pub const CLUSTER_KEYS: &[&str] = &[
    "cloud_config",
    "environment",
    "marathon",
    "mesos",
    "outputs",
    "runtime",
    "zookeeper",
];

/// Keys of a host body (and of a template).
pub const HOST_KEYS: &[&str] = &[
    "address",
    "fleet",
    "follower",
    "leader",
    "marathon",
    "owca",
    "roles",
    "zookeeper",
];

/// Role names accepted in `roles = [ … ]`, aliases included.
pub const ROLE_NAMES: &[&str] = &[
    "agent",
    "follower",
    "leader",
    "marathon",
    "master",
    "zookeeper",
];

/// Keys every service block (`zookeeper`, `leader`, `follower`, `marathon`) has.
pub const COMMON_KEYS: &[&str] = &[
    "advertise",
    "command",
    "image",
    "log_dir",
    "network",
    "port",
    "runtime",
    "work_dir",
];

/// The keys of a role's block besides [`COMMON_KEYS`].
pub fn role_keys(role: Role) -> &'static [&'static str] {
    match role {
        Role::Zookeeper => &[
            "admin_port",
            "chroot",
            "client_port",
            "dns",
            "election_port",
            "hosts",
            "id",
            "marathon_chroot",
            "peer_port",
            "settings",
        ],
        Role::Leader => &["flags", "quorum"],
        Role::Follower => &["attributes", "flags", "profiles", "resources"],
        Role::Marathon => &["flags"],
    }
}

/// Keys of a `service "name" { }` block.
pub const SERVICE_KEYS: &[&str] = &[
    "after",
    "description",
    "environments",
    "exec",
    "on",
    "ports",
];

/// Keys of the `auth` block.
pub const AUTH_KEYS: &[&str] = &[
    "credential",
    "follower_principal",
    "follower_secret",
    "followers",
    "frameworks",
];

/// Keys of a `credential "principal" { }` block.
pub const CREDENTIAL_KEYS: &[&str] = &["secret"];

/// Keys of the `owca` block.
pub const OWCA_KEYS: &[&str] = &["command", "endpoint", "ssl_verify", "timeout"];

/// Keys of an `advertise { }` block.
pub const ADVERTISE_KEYS: &[&str] = &["ip", "libprocess_port", "port"];

/// Keys of a host's `fleet { }` block.
pub const FLEET_KEYS: &[&str] = &["metadata"];

/// Unit names mesosc writes itself (an extra service may not take them).
pub const BUILT_IN_UNITS: &[&str] = &[
    "marathon",
    "mesos-agent",
    "mesos-master",
    "owca",
    "zookeeper",
];
