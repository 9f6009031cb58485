//! Intel's OWCA beside each follower that has the `owca` profile:
//! `etc/owca/config.yaml` and `owca.service`.
//!
//! The config follows OWCA's own Mesos examples (`configs/mesos_*.yaml`, the
//! `MesosNode` docs in `docs/mesos.rst`): a `runner` that is a
//! `!MeasurementRunner` with
//!
//! - `node: !MesosNode` holding `mesos_agent_endpoint`, `ssl_verify` and
//!   `timeout` (seconds, written as a float: OWCA declares it `float` and
//!   checks types) from the model;
//! - `metrics_storage: !LogStorage {}`, the one storage every OWCA release
//!   has, which writes metrics to standard error (so to the journal);
//! - `action_delay: 1.0`, one measurement a second (the default, 0, loops
//!   without pause).
//!
//! The unit runs `<command> --config /etc/owca/config.yaml --root` (OWCA's
//! `-c/--config`; `--root` because OWCA refuses to run as root without it,
//! and these units run as root), `After=`/`Wants=mesos-agent.service`.
//! OWCA is not a node of the rollout plan (the plan orders the roles and extra
//! services only): the unit's `After=` orders it on its host, and a
//! cloud-config starts it after the host's other units.

use askama::Template;

use super::yaml::{self, Node};
use super::{Emitter, FileKind, render};
use crate::model::{self, Owca};

/// Where OWCA's config goes on a follower.
pub const OWCA_CONFIG: &str = "/etc/owca/config.yaml";
/// OWCA's unit name.
pub const OWCA_UNIT: &str = "owca.service";
/// The unit OWCA starts after.
const AGENT_UNIT: &str = "mesos-agent.service";

/// `owca.service`.
#[derive(Template)]
#[template(path = "owca.service", config = "src/emit/askama.toml")]
struct OwcaUnit {
    header: String,
    description: String,
    after: String,
    exec_start: String,
}

/// Adds OWCA's config and unit for every follower with the `owca` profile.
pub(crate) fn emit(model: &model::Cluster, out: &mut Emitter) {
    for host in &model.hosts {
        let Some(owca) = host.follower.as_ref().and_then(|f| f.owca.as_ref()) else {
            continue;
        };
        let config = config(owca, out);
        out.add(Some(&host.name), OWCA_CONFIG, FileKind::OwcaConfig, config);
        let unit = unit(model, owca, &[AGENT_UNIT.to_owned()], out);
        let path = format!("{}/{OWCA_UNIT}", super::systemd::UNIT_DIR);
        out.add(Some(&host.name), &path, FileKind::SystemdUnit, unit);
    }
}

/// OWCA's `config.yaml` for one follower.
fn config(owca: &Owca, out: &Emitter) -> String {
    let node = Node::map([
        ("mesos_agent_endpoint", Node::str(&owca.endpoint)),
        ("ssl_verify", Node::Bool(owca.ssl_verify)),
        ("timeout", Node::Float(owca.timeout as f64)),
    ]);
    let runner = Node::map([
        ("node", Node::Tagged("MesosNode".into(), Box::new(node))),
        (
            "metrics_storage",
            Node::Tagged("LogStorage".into(), Box::new(Node::Map(Vec::new()))),
        ),
        ("action_delay", Node::Float(1.0)),
    ]);
    let root = Node::map([(
        "runner",
        Node::Tagged("MeasurementRunner".into(), Box::new(runner)),
    )]);
    yaml::document(&[&out.header("#")], &root)
}

/// The text of `owca.service`, started after the units `after` of the same
/// machine (`mesos-agent.service`).
pub(crate) fn unit(model: &model::Cluster, owca: &Owca, after: &[String], out: &Emitter) -> String {
    let mut units = vec!["network-online.target".to_owned()];
    units.extend(after.iter().cloned());
    let exec = [owca.command.as_str(), "--config", OWCA_CONFIG, "--root"];
    let exec: Vec<String> = exec.iter().map(|w| super::systemd::exec_word(w)).collect();
    render(&OwcaUnit {
        header: out.header("#"),
        description: format!(
            "OWCA workload collocation agent beside the Mesos agent of cluster {}",
            super::systemd::unit_text(&model.name)
        ),
        after: units.join(" "),
        exec_start: exec.join(" "),
    })
}
