//! The flag tables of `mesos-master`, `mesos-agent`, Marathon and ZooKeeper,
//! and the value syntaxes those programs really accept.
//!
//! In: a program, a flag name, a value string and the target version. Out:
//! whether the flag exists ([`table`], [`FlagTable::get`], with "did you
//! mean" via [`FlagTable::nearest`]), whether the target release has it
//! ([`Flag::check_version`]), whether the value parses ([`check_value`]),
//! the environment variable that carries it ([`env_var`]), and whether
//! mesosc sets it itself ([`derived_setting`]).
//!
//! The tables are facts, not code: `data/*.tsv` (see `data/README.md`) are
//! embedded in the binary and parsed once. The value checks follow the
//! upstream parsers (stout's `Duration::parse` and `Bytes::parse`, Mesos'
//! `values.cpp`, Marathon's Scallop options and `ZookeeperConf`, ZooKeeper's
//! `QuorumPeerConfig`) rather than the docs, because the docs are wrong in
//! places: `--allocation_interval`'s help suggests `1sec`, which Mesos
//! rejects.
//!
//! ```
//! use mesosc::schema::{Program, Version, check_value, table};
//!
//! let agent = table(Program::Agent);
//! let gc = agent.get("gc_delay").expect("a known flag");
//! assert!(check_value(Program::Agent, gc, "2weeks").is_ok());
//! let err = check_value(Program::Agent, gc, "10sec").unwrap_err();
//! assert_eq!(err.message, "`10sec` is not a Mesos duration");
//! assert_eq!(agent.nearest("WORK_DIR"), ["work_dir"]);
//! assert!(!gc.check_version(&Version::new(1, 11, 0)).is_error());
//! ```

mod consts;
mod derived;
mod env;
mod error;
mod flagdoc;
pub mod keys;
mod net;
mod program;
mod resources;
mod role;
mod scalars;
mod table;
mod types;
mod units;
mod values;
mod version;
pub mod versions;

#[cfg(test)]
mod tests;

pub use consts::{
    AGENT_TASK_PORTS, CONTAINERIZERS, ISOLATORS, MANDATORY_AGENT_FEATURES, MARATHON_HTTP_PORT,
    MARATHON_HTTPS_PORT, MARATHON_SERVICE_PORTS, MESOS_AGENT_PORT, MESOS_MASTER_PORT,
    MESOS_PATH_TYPED_FLAGS, ZK_ADMIN_PORT, ZK_CLIENT_PORT, ZK_ELECTION_PORT, ZK_FOUR_LETTER_WORDS,
    ZK_METRICS_PORT, ZK_QUORUM_PORT,
};
pub use consts::{ETCD_CLIENT_PORT, ETCD_PEER_PORT};
pub use derived::{DERIVED, Derived, Word, derived, derived_setting, flag_help, in_words};
pub use env::{
    LIBPROCESS_DEPRECATED_VARS, LIBPROCESS_SSL_VARS, LIBPROCESS_VARS, LibprocessVar,
    check_libprocess_value, flag_from_env, libprocess_var,
};
pub use error::ValueError;
pub use flagdoc::{find_flags, flag_doc};
pub use net::{ServerSpec, ZkUrl, is_hostname, parse_group_spec, parse_server_spec, parse_zk_url};
pub use program::{Program, env_var};
pub use resources::{
    Attribute, AttributeValue, KNOWN_RESOURCE_NAMES, Resource, ResourceValue, format_ranges,
    format_resources, parse_attributes, parse_ranges, parse_resource_quantities, parse_resources,
};
pub use role::Role;
pub use table::{Availability, Flag, FlagTable, TableError, table, table_source};
pub use types::{FlagType, RemovedValues, Status, Tag};
pub use units::{
    BYTE_UNITS, DURATION_UNITS, NANOS_PER_SEC, format_mesos_bytes, format_mesos_duration,
    parse_mesos_bytes, parse_mesos_duration,
};
pub use values::{check_value, check_value_with_warnings};
pub use version::{Version, VersionError};
