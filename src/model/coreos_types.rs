//! The CoreOS part of the model: the etcd cluster the hosts use, and each
//! host's etcd member, fleet and update settings, as the CoreOS
//! cloud-config writes them (`coreos.etcd2`, `coreos.fleet`,
//! `coreos.locksmith`, `coreos.update`).

use std::net::IpAddr;

use crate::span::Span;

/// The unit of an etcd member on CoreOS Container Linux.
pub const ETCD_UNIT: &str = "etcd2.service";
/// The unit of fleet on CoreOS Container Linux.
pub const FLEET_UNIT: &str = "fleet.service";

/// The etcd cluster of a CoreOS deployment.
#[derive(Clone, Debug, PartialEq)]
pub struct Etcd {
    /// How the members find each other.
    pub bootstrap: EtcdBootstrap,
    /// The client URLs fleet and locksmith talk to: every member's, by host
    /// name, or the external cluster's.
    pub client_urls: Vec<String>,
}

/// How etcd's members find each other.
#[derive(Clone, Debug, PartialEq)]
pub enum EtcdBootstrap {
    /// Every member is known when compiling: `initial-cluster` lists them
    /// (`name=peer URL`, by host name) and `initial-cluster-token` names
    /// this cluster, so no discovery service is needed.
    Static {
        /// `initial-cluster`.
        initial_cluster: String,
        /// `initial-cluster-token`: the cluster name and environment.
        token: String,
    },
    /// Through a discovery URL the user gave.
    Discovery(String),
    /// An etcd cluster these hosts do not run (`etcd { servers }`).
    External,
}

/// What a host's CoreOS cloud-config configures besides the Mesos services.
#[derive(Clone, Debug, PartialEq)]
pub struct HostCoreos {
    /// The etcd member on this host, if it is one.
    pub etcd: Option<EtcdMember>,
    /// fleet's `public-ip`.
    pub fleet_public_ip: IpAddr,
    /// fleet's `etcd-request-timeout`, in seconds.
    pub fleet_request_timeout: Option<f64>,
    /// `update.reboot-strategy`: `etcd-lock`, `reboot` or `off`.
    pub reboot_strategy: String,
    /// locksmith's `window-start`.
    pub window_start: Option<String>,
    /// locksmith's `window-length`, as a Go duration (`1h30m`).
    pub window_length: Option<String>,
}

/// An etcd member.
#[derive(Clone, Debug, PartialEq)]
pub struct EtcdMember {
    /// The port it serves clients on.
    pub client_port: u16,
    /// The port the members talk to each other on.
    pub peer_port: u16,
    /// `heartbeat-interval`, in milliseconds.
    pub heartbeat_ms: Option<u64>,
    /// `election-timeout`, in milliseconds.
    pub election_ms: Option<u64>,
    /// Where the client port was set (or the etcd block, for the default).
    pub client_span: Span,
    /// Where the peer port was set (or the etcd block).
    pub peer_span: Span,
}

impl EtcdMember {
    /// `http://ADDRESS:CLIENT_PORT`.
    pub fn client_url(&self, address: IpAddr) -> String {
        url(address, self.client_port)
    }

    /// `http://ADDRESS:PEER_PORT`.
    pub fn peer_url(&self, address: IpAddr) -> String {
        url(address, self.peer_port)
    }
}

/// An `http://` URL of an address and port (IPv6 in brackets).
fn url(address: IpAddr, port: u16) -> String {
    match address {
        IpAddr::V4(a) => format!("http://{a}:{port}"),
        IpAddr::V6(a) => format!("http://[{a}]:{port}"),
    }
}
