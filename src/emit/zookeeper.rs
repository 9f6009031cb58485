//! ZooKeeper's files on each server: `etc/zookeeper/zoo.cfg` and
//! `<dataDir>/myid`.
//!
//! zoo.cfg holds the server's settings sorted by key (derived ones and the
//! user's `settings { }`), then one `server.N=address:quorum:election` line per
//! member of the managed ensemble, sorted by N (`:observer` after an
//! observer's). The same lines go to every
//! server, and each server's `myid` holds its own N, so the two agree by
//! construction. `myid` goes under the `dataDir` that zoo.cfg names (the
//! service's work directory when zoo.cfg has none); it has no header: ZooKeeper
//! parses the whole first line with `Long.parseLong`.
//!
//! zoo.cfg is a Java properties file, read as ISO-8859-1 with `\` escapes:
//! [`properties_value`] escapes accordingly.

use std::net::IpAddr;

use askama::Template;

use super::{Emitter, FileKind, render};
use crate::escape::properties_key;
pub use crate::escape::properties_value;
use crate::model::{self, Role, ZkMember, ZkServer, Zookeeper};

/// Where zoo.cfg goes on a host.
pub const ZOO_CFG: &str = "/etc/zookeeper/zoo.cfg";

/// `zoo.cfg`.
#[derive(Template)]
#[template(path = "zoo.cfg", config = "src/emit/askama.toml")]
struct ZooCfg {
    header: String,
    id: u32,
    settings: Vec<String>,
    servers: Vec<String>,
}

/// Adds zoo.cfg and myid for every ZooKeeper server.
pub(crate) fn emit(model: &model::Cluster, out: &mut Emitter) {
    let servers = match &model.zookeeper {
        Zookeeper::Managed { servers } => server_lines(servers),
        Zookeeper::External { .. } => Vec::new(),
    };
    for host in &model.hosts {
        let Some(zk) = &host.zookeeper else { continue };
        let cfg = ZooCfg {
            header: out.header("#"),
            id: zk.id,
            settings: zk
                .config
                .iter()
                .map(|(k, v)| format!("{}={}", properties_key(k), properties_value(&v.value)))
                .collect(),
            servers: servers.clone(),
        };
        out.add(Some(&host.name), ZOO_CFG, FileKind::ZooCfg, render(&cfg));
        let myid = format!("{}/myid", data_dir(zk));
        out.add(
            Some(&host.name),
            &myid,
            FileKind::ZookeeperMyid,
            format!("{}\n", zk.id),
        );
    }
}

/// The `dataDir` ZooKeeper will use: zoo.cfg's (the model always writes
/// one: `work_dir`, or the user's `settings { dataDir }`).
pub fn data_dir(zk: &ZkServer) -> &str {
    zk.config
        .get("dataDir")
        .map_or(Role::Zookeeper.default_work_dir(), |s| s.value.as_str())
}

/// `server.N=…` lines, sorted by N.
fn server_lines(servers: &[ZkMember]) -> Vec<String> {
    let mut sorted: Vec<&ZkMember> = servers.iter().collect();
    sorted.sort_by_key(|m| m.id);
    sorted
        .iter()
        .map(|m| {
            let address = match m.address {
                IpAddr::V4(a) => a.to_string(),
                IpAddr::V6(a) => format!("[{a}]"),
            };
            // An observer is one in every server's list, or the list wins
            // over its own `peerType` (QuorumPeerConfig.java, "Defaulting to
            // servers list").
            let role = if m.observer { ":observer" } else { "" };
            format!(
                "server.{}={address}:{}:{}{role}",
                m.id, m.peer_port, m.election_port
            )
        })
        .collect()
}
