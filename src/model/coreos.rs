//! CoreOS deployments: which outputs make a working cluster together.
//!
//! With the `fleet` output, fleet starts the Mesos services (`fleet/`), and
//! the CoreOS cloud-config only writes the files their units read (env
//! files, `zoo.cfg`, `myid`…), sets each machine's fleet metadata, and
//! starts etcd and fleet. Without it, the per-host units start the services
//! (the `systemd` overlays, or the cloud-config of either flavour). So
//! `fleet` needs `cloud-config` with `cloud_config = coreos`, and never
//! comes with `systemd`, whose units would start every service again.

use super::{Builder, CoreosError, ModelError, Sink};
use crate::model::{CloudConfig, Outputs};
use crate::resolve::value::Table;

impl<E: Sink> Builder<'_, E> {
    fn coreos_error(&mut self, e: CoreosError) {
        self.diags.push(ModelError::Coreos(e));
    }

    /// Reports outputs that cannot be coherent with `fleet`
    /// (`mcl::check::incoherent_outputs`).
    pub(super) fn coherent_outputs(&mut self, body: &Table, outputs: &Outputs) {
        if !outputs.fleet {
            return;
        }
        let span = body.get("outputs").map_or(body.span, |s| s.val.span);
        let stop_fleet = "or drop `fleet` to start the services with per-host units";
        match outputs.cloud_config {
            Some(CloudConfig::Coreos) => {}
            Some(CloudConfig::CloudInit) => self.coreos_error(CoreosError::IncoherentOutputs {
                message: "the `fleet` output needs the CoreOS cloud-config, not cloud-init".into(),
                span: body.get("cloud_config").map_or(span, |s| s.val.span),
                label: "cloud-init starts the per-host units, and neither etcd nor fleet".into(),
                help: Some(format!(
                    "set `cloud_config = coreos` (fleet runs on CoreOS Container Linux), {stop_fleet}"
                )),
            }),
            None => self.coreos_error(CoreosError::IncoherentOutputs {
                message: "nothing writes the files the fleet units read".into(),
                span,
                label: "fleet without the CoreOS cloud-config".into(),
                help: Some(format!(
                    "add `cloud-config` to `outputs` with `cloud_config = coreos`: it writes each host's env files, zoo.cfg and myid, sets the fleet metadata the units are pinned to, and starts etcd and fleet; {stop_fleet}"
                )),
            }),
        }
        if outputs.systemd {
            self.coreos_error(CoreosError::IncoherentOutputs {
                message: "the `systemd` and `fleet` outputs would start every service twice".into(),
                span,
                label: "both start the Mesos services".into(),
                help: Some(format!(
                    "drop `systemd` from `outputs`: fleet starts the services from fleet/, and the CoreOS cloud-config writes the files they read; {stop_fleet}"
                )),
            });
        }
    }
}
