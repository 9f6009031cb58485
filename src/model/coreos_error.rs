//! Diagnostics about CoreOS deployments: which outputs fit together with
//! fleet, and the etcd, fleet and update settings of CoreOS hosts. They reach
//! the sink as [`super::ModelError::Coreos`]; codes are `mcl::check::<name>`.

use miette::Diagnostic;
use thiserror::Error;

use crate::span::Span;

/// A diagnostic about a CoreOS deployment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error, Diagnostic)]
pub enum CoreosError {
    /// Outputs that cannot make a working cluster together. With the
    /// `fleet` output, fleet starts the Mesos services; its units read env
    /// files and ZooKeeper's files on the machine, are pinned by machine
    /// metadata, and need etcd and fleet running, which only the CoreOS
    /// cloud-config (`cloud_config = coreos`) writes and starts. The
    /// `systemd` output's units would start every service a second time.
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.11.0"  outputs = [fleet] }
    /// ```
    #[error("{message}")]
    #[diagnostic(code(mcl::check::incoherent_outputs))]
    IncoherentOutputs {
        /// What does not fit.
        message: String,
        /// The outputs.
        #[label("{label}")]
        span: Span,
        /// The label's text.
        label: String,
        /// The fix.
        #[help]
        help: Option<String>,
    },

    /// An etcd cluster whose majority cannot survive one member failing
    /// (one or two members), or an even number of members, which tolerates
    /// no more failures than one member fewer (etcd's majority is
    /// `members / 2 + 1`).
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.11.0"  outputs = [cloud-config]  cloud_config = coreos }
    /// for n in 1..3 {
    ///   host "h${n}" { address = "10.0.0.${n}"  roles = [zookeeper, leader, follower] }
    /// }
    /// etcd { members = [h1, h2] }
    /// ```
    #[error("{message}")]
    #[diagnostic(code(mcl::check::etcd_members), severity(Warning))]
    EtcdMembers {
        /// What the member count means.
        message: String,
        /// Where the members are chosen.
        #[label("{label}")]
        span: Span,
        /// The label's text.
        label: String,
        /// The fix.
        #[help]
        help: Option<String>,
    },

    /// `reboot_strategy = etcd-lock` on a host without etcd: locksmith takes
    /// its reboot lock in etcd, so with no etcd to reach the host never
    /// reboots into an update.
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.11.0"  outputs = [cloud-config]  cloud_config = coreos }
    /// host "h" { address = "10.0.0.1"  roles = [zookeeper, leader, follower] }
    /// update { reboot_strategy = etcd-lock }
    /// ```
    #[error("`etcd-lock` without etcd: locksmith has nowhere to take its reboot lock")]
    #[diagnostic(code(mcl::check::etcd_lock_without_etcd))]
    EtcdLockWithoutEtcd {
        /// The strategy.
        #[label("locksmith takes its reboot lock in etcd")]
        span: Span,
        /// The fix.
        #[help]
        help: Option<String>,
    },

    /// The `fleet` output on a cluster with no etcd: fleet keeps its
    /// state in etcd, so no unit could be scheduled.
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.11.0"  outputs = [fleet, cloud-config]  cloud_config = coreos }
    /// host "h" { address = "10.0.0.1"  roles = [zookeeper, leader, follower] }
    /// ```
    #[error("the `fleet` output needs etcd, and no host runs it")]
    #[diagnostic(code(mcl::check::fleet_without_etcd))]
    FleetWithoutEtcd {
        /// The outputs.
        #[label("fleet keeps its state in etcd")]
        span: Span,
        /// The fix.
        #[help]
        help: Option<String>,
    },
}
