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
}
