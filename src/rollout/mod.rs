//! The stage after [`crate::output`]: safe rollouts (`mesosc plan FILE --from DIR|--from-git REF`).
//!
//! Compares the `out/` tree that is deployed now ([`tree`]) with the one a
//! build writes, lists per host and service what changed and the action it
//! needs ([`changes`]), refuses the changes a rolling restart cannot carry
//! unless `--allow CODE` names them ([`danger`], [`versions`]), and orders
//! the actions into steps ([`steps`]); [`text`] shows them to people.

pub mod ansible;
pub mod changes;
pub mod danger;
pub mod steps;
pub mod text;
pub mod tree;
pub mod versions;

use serde::Serialize;

pub use changes::{Action, FileChange, HostChange, UnitChange};
pub use danger::RolloutError;
pub use steps::{Step, StepHost, StepKind, Wait};
pub use tree::Tree;

use crate::model::{self, Role};

/// What the command line chose.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--batch N|N%`: agents restarted at a time.
    pub batch: Option<String>,
    /// `--batch-by ATTRIBUTE`: one batch per value of this agent attribute.
    pub batch_by: Option<String>,
    /// `--allow CODE`: dangers to proceed with.
    pub allow: Vec<String>,
    /// The words the new description uses for the roles (`agent` or
    /// `follower`), for the dangers' messages.
    pub words: crate::resolve::Words,
}

/// A rollout: what changed, in which steps, and what it puts at risk.
#[derive(Debug)]
pub struct Rollout {
    /// Every host of either tree with what differs on it.
    pub hosts: Vec<HostChange>,
    /// The ordered steps.
    pub steps: Vec<Step>,
    /// Dangers not allowed: the rollout is refused while there is one.
    pub refused: Vec<RolloutError>,
    /// Dangers `--allow` let through.
    pub allowed: Vec<RolloutError>,
    /// The version changes (`Mesos 1.10.0 → 1.11.0`).
    pub versions: Vec<String>,
    /// Files outside the hosts' overlays that differ (fleet units).
    pub cluster_files: Vec<FileChange>,
    /// The deployed manifest records no versions (an older mesosc wrote
    /// it): a version change is neither ordered nor checked.
    pub versions_unknown: bool,
}

/// One change as `--message-format json` writes it.
#[derive(Serialize)]
pub struct ChangeRecord<'a> {
    /// `"change"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The change.
    #[serde(flatten)]
    pub unit: &'a UnitChange,
}

/// One step as `--message-format json` writes it.
#[derive(Serialize)]
pub struct StepRecord<'a> {
    /// `"step"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// 1-based.
    pub step: usize,
    /// The step.
    #[serde(flatten)]
    pub inner: &'a Step,
}

/// Plans the rollout from the deployed tree `old` to `new`, the build of
/// `model`.
pub fn plan(old: &Tree, new: &Tree, model: &model::Cluster, options: &Options) -> Rollout {
    let mut hosts = changes::compare(old, new);
    let versions = versions::changed(old.versions.as_ref(), new.versions.as_ref());
    if let (Some(o), Some(n)) = (&old.versions, &new.versions) {
        restart_for_versions(&mut hosts, o, n);
    }
    let mut dangers = danger::dangers(&hosts, model, &options.words);
    if let (Some(o), Some(n)) = (&old.versions, &new.versions) {
        dangers.extend(versions::unsupported(o, n));
    }
    let (mut refused, mut allowed) = (Vec::new(), Vec::new());
    for d in dangers {
        if danger::allowed(&d.code_name(), &options.allow) {
            allowed.push(d);
        } else {
            refused.push(d);
        }
    }
    let drained: Vec<String> = (allowed.iter())
        .filter(|d| matches!(d, RolloutError::AgentState { .. }))
        .filter_map(|d| d.host().map(str::to_owned))
        .collect();
    let units: Vec<&UnitChange> = hosts.iter().flat_map(|h| &h.units).collect();
    let steps = steps::order(&units, model, options, &drained);
    let cluster_files = (new.files.keys().chain(old.files.keys()))
        .filter(|p| p.starts_with("fleet/"))
        .filter(|p| old.files.get(*p) != new.files.get(*p))
        .map(|p| FileChange {
            path: p.clone(),
            status: match (old.files.contains_key(p), new.files.contains_key(p)) {
                (false, _) => changes::FileStatus::Added,
                (_, false) => changes::FileStatus::Removed,
                _ => changes::FileStatus::Changed,
            },
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    Rollout {
        hosts,
        steps,
        refused,
        allowed,
        versions,
        cluster_files,
        versions_unknown: old.versions.is_none(),
    }
}

/// A new binary needs a restart even where no file changed: Mesos' for
/// masters, agents and Marathon (it links libmesos; the guide restarts
/// schedulers last), Marathon's and ZooKeeper's for their own.
fn restart_for_versions(
    hosts: &mut [HostChange],
    old: &crate::emit::ManifestVersions,
    new: &crate::emit::ManifestVersions,
) {
    let mut roles = Vec::new();
    if old.mesos != new.mesos {
        roles.extend([Role::Leader, Role::Follower, Role::Marathon]);
    }
    if old.marathon != new.marathon {
        roles.push(Role::Marathon);
    }
    if old.zookeeper != new.zookeeper {
        roles.push(Role::Zookeeper);
    }
    for u in hosts.iter_mut().flat_map(|h| &mut h.units) {
        let upgrade = u.role.is_some_and(|r| roles.contains(&r));
        if upgrade && matches!(u.action, Action::Nothing | Action::DaemonReload) {
            u.action = Action::Restart;
        }
    }
}

impl Rollout {
    /// Whether any host has anything to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}
