//! The order of a rollout: the actions of every host grouped into steps.
//!
//! ZooKeeper first, then the masters, then the agents, then Marathon (the
//! order of Mesos' `docs/upgrades.md`: masters, agents, then schedulers),
//! then the extra services, and the removed services last. ZooKeeper
//! servers, masters and Marathon instances go one at a time, their current
//! leader last (found when the step runs); agents go in batches.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Options;
use super::changes::{Action, UnitChange};
use crate::model::{self, Role};
use crate::schema::Version;

/// Mesos agents advertise a fault domain (`--domain`) since 1.5
/// (`docs/fault-domains.md` at 1.5.0).
const FAULT_DOMAIN_SINCE: Version = Version::new(1, 5, 0);
/// The operator API's `DRAIN_AGENT` call exists since 1.9
/// (`include/mesos/v1/master/master.proto` at 1.9.0).
pub const DRAIN_AGENT_SINCE: Version = Version::new(1, 9, 0);

/// What a step waits for after each host's restart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Wait {
    /// ZooKeeper's `srvr` says `Mode: leader|follower|observer` (its
    /// `imok` to `ruok` does not mean it joined the quorum).
    ZookeeperMode,
    /// The master's `/metrics/snapshot` has `registrar/log/recovered` 1.
    MasterRecovered,
    /// The agent's `/metrics/snapshot` has `slave/registered` 1.
    AgentRegistered,
    /// Marathon answers `/ping` and `/v2/leader` names a leader.
    MarathonLeader,
    /// `systemctl is-active` says `active`.
    UnitActive,
}

impl Wait {
    /// What the wait checks, for the text output.
    pub fn describe(self) -> &'static str {
        match self {
            Wait::ZookeeperMode => "`srvr` reports Mode: leader, follower or observer",
            Wait::MasterRecovered => "/metrics/snapshot reports registrar/log/recovered = 1",
            Wait::AgentRegistered => {
                "/metrics/snapshot reports slave/registered = 1 (within agent_reregister_timeout)"
            }
            Wait::MarathonLeader => "/ping answers and /v2/leader names a leader",
            Wait::UnitActive => "the unit is active",
        }
    }
}

/// What a step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// Copy, reload, start or restart.
    Update,
    /// Drain the agents (maintenance, or `DRAIN_AGENT`), clear their
    /// checkpointed agent, restart, and bring them back up.
    Drain,
    /// Stop and disable removed services.
    Stop,
}

/// One host of a step and its action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepHost {
    /// The host.
    pub host: String,
    /// The action.
    pub action: Action,
}

/// One step of the rollout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The unit it acts on.
    pub unit: String,
    /// The role, `null` for an extra service.
    pub role: Option<&'static str>,
    /// What it does.
    pub kind: StepKind,
    /// Its hosts, in order (the leader is moved last when the step runs).
    pub hosts: Vec<StepHost>,
    /// How many hosts at a time: `1`, a count, or a percentage (`25%`).
    pub serial: String,
    /// The current leader goes last, found when the step runs.
    pub leader_last: bool,
    /// What each host's restart waits for.
    pub wait: Option<Wait>,
    /// The batch (`zone=z1`, `rack=r1`), when agents are batched.
    pub batch: Option<String>,
}

/// The steps of `units` (every unit change of every host), given the hosts
/// whose agents are drained.
pub fn order(
    units: &[&UnitChange],
    model: &model::Cluster,
    options: &Options,
    drained: &[String],
) -> Vec<Step> {
    // A unit whose files changed in comments only is in its step too (the
    // files are copied), with nothing to restart.
    let acting = |u: &&&UnitChange| {
        u.action != Action::Stop && (u.action != Action::Nothing || !u.files.is_empty())
    };
    let mut by_unit: BTreeMap<&str, Vec<&UnitChange>> = BTreeMap::new();
    for u in units.iter().filter(acting) {
        by_unit.entry(&u.unit).or_default().push(u);
    }
    let mut steps = Vec::new();
    for role in [Role::Zookeeper, Role::Leader] {
        if let Some(us) = by_unit.remove(role.unit()) {
            steps.push(one_at_a_time(role, &us));
        }
    }
    if let Some(us) = by_unit.remove(Role::Follower.unit()) {
        steps.extend(agents(&us, model, options, drained));
    }
    if let Some(us) = by_unit.remove(Role::Marathon.unit()) {
        steps.push(one_at_a_time(Role::Marathon, &us));
    }
    for (unit, us) in by_unit {
        steps.push(step(
            unit,
            None,
            StepKind::Update,
            &us,
            "1",
            Some(Wait::UnitActive),
        ));
    }
    let mut stops: BTreeMap<&str, Vec<&UnitChange>> = BTreeMap::new();
    for u in units.iter().filter(|u| u.action == Action::Stop) {
        stops.entry(&u.unit).or_default().push(u);
    }
    for (unit, us) in stops {
        let mut s = step(unit, None, StepKind::Stop, &us, "1", None);
        s.role = us[0].role.map(Role::name);
        steps.push(s);
    }
    steps
}

fn step(
    unit: &str,
    role: Option<Role>,
    kind: StepKind,
    units: &[&UnitChange],
    serial: &str,
    wait: Option<Wait>,
) -> Step {
    Step {
        unit: unit.to_owned(),
        role: role.map(Role::name),
        kind,
        hosts: (units.iter())
            .map(|u| StepHost {
                host: u.host.clone(),
                action: u.action,
            })
            .collect(),
        serial: serial.to_owned(),
        leader_last: false,
        wait,
        batch: None,
    }
}

/// ZooKeeper, masters, Marathon: one host at a time, the leader last.
fn one_at_a_time(role: Role, units: &[&UnitChange]) -> Step {
    let wait = match role {
        Role::Zookeeper => Wait::ZookeeperMode,
        Role::Leader => Wait::MasterRecovered,
        _ => Wait::MarathonLeader,
    };
    let mut s = step(
        role.unit(),
        Some(role),
        StepKind::Update,
        units,
        "1",
        Some(wait),
    );
    s.leader_last = units.len() > 1;
    s
}

/// Agents: the drained ones first, one at a time; then the batches.
fn agents(
    units: &[&UnitChange],
    model: &model::Cluster,
    options: &Options,
    drained: &[String],
) -> Vec<Step> {
    let unit = Role::Follower.unit();
    let wait = Some(Wait::AgentRegistered);
    let (drain, rest): (Vec<&UnitChange>, Vec<&UnitChange>) =
        units.iter().partition(|u| drained.contains(&u.host));
    let mut out = Vec::new();
    if !drain.is_empty() {
        let s = step(
            unit,
            Some(Role::Follower),
            StepKind::Drain,
            &drain,
            "1",
            wait,
        );
        out.push(s);
    }
    if rest.is_empty() {
        return out;
    }
    let group = |key: &dyn Fn(&UnitChange) -> String| {
        let mut groups: BTreeMap<String, Vec<&UnitChange>> = BTreeMap::new();
        for u in &rest {
            groups.entry(key(u)).or_default().push(u);
        }
        groups
    };
    let zones =
        model.versions.mesos >= FAULT_DOMAIN_SINCE && rest.iter().any(|u| zone(u).is_some());
    let groups = match (&options.batch_by, &options.batch) {
        (Some(attr), _) => Some(group(&|u| {
            format!(
                "{attr}={}",
                attribute(u, attr).unwrap_or_else(|| "(none)".into())
            )
        })),
        (None, Some(_)) => None,
        (None, None) if zones => Some(group(&|u| {
            format!("zone={}", zone(u).unwrap_or_else(|| "(none)".into()))
        })),
        (None, None) => None,
    };
    match groups {
        Some(groups) => {
            for (name, us) in groups {
                let all = us.len().to_string();
                let mut s = step(
                    unit,
                    Some(Role::Follower),
                    StepKind::Update,
                    &us,
                    &all,
                    wait,
                );
                s.batch = Some(name);
                out.push(s);
            }
        }
        None => {
            let serial = options.batch.clone().unwrap_or_else(|| "1".to_owned());
            out.push(step(
                unit,
                Some(Role::Follower),
                StepKind::Update,
                &rest,
                &serial,
                wait,
            ));
        }
    }
    out
}

/// The value of attribute `name` in the agent's new `MESOS_ATTRIBUTES`.
fn attribute(u: &UnitChange, name: &str) -> Option<String> {
    let attrs = u.after.get("MESOS_ATTRIBUTES")?;
    (attrs.split(';'))
        .filter_map(|kv| kv.split_once(':'))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim().to_owned())
}

/// The zone of the agent's new `MESOS_DOMAIN` (`fault_domain.zone.name`).
fn zone(u: &UnitChange) -> Option<String> {
    let domain: serde_json::Value = serde_json::from_str(u.after.get("MESOS_DOMAIN")?).ok()?;
    let name = domain.pointer("/fault_domain/zone/name")?.as_str()?;
    Some(name.to_owned())
}

/// Whether `text` is a batch size: a positive count or a percentage 1–100.
pub fn valid_batch(text: &str) -> bool {
    match text.strip_suffix('%') {
        Some(p) => p.parse::<u32>().is_ok_and(|p| (1..=100).contains(&p)),
        None => text.parse::<u32>().is_ok_and(|n| n > 0),
    }
}
