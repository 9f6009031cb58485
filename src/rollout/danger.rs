//! The danger checks of a rollout: changes that a restart does not carry
//! safely, each refused unless `--allow CODE` names it.
//!
//! Each is read from the two trees' files (the deployed `out/` has no
//! source): `server.N` lines of `zoo.cfg`, `myid`, and the env keys of
//! masters, agents and Marathon. The versions come from the manifests.

use std::collections::{BTreeMap, BTreeSet};

use miette::Diagnostic;
use thiserror::Error;

use super::changes::{Action, HostChange, UnitChange};
use crate::model::{self, Role};
use crate::resolve::Words;
use crate::span::Span;

/// A change a rolling restart cannot carry safely.
///
/// Every variant has a stable code `mcl::plan::<name>`, never renamed or
/// reused. Its example is two descriptions: the one deployed, then (after
/// the `# ---- after ----` line) the new one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error, Diagnostic)]
pub enum RolloutError {
    /// The servers of the ZooKeeper ensemble (their ids or addresses)
    /// change. Restarting the servers one by one with a new `server.N` list
    /// can leave two majorities that do not overlap (the old servers and
    /// the new ones each elect a leader), and a server whose id moved
    /// serves another server's data. ZooKeeper 3.5+ changes membership with
    /// its rolling reconfiguration (`reconfig -add`/`-remove` on a running
    /// ensemble with `reconfigEnabled=true`, one server at a time, each
    /// joining with the current config plus itself); before 3.5, add or
    /// remove one server at a time, restarting every server on each
    /// intermediate list, keeping a majority of the old list up throughout.
    ///
    /// ```mcl
    /// host "z4" { address = "10.0.0.4"  roles = [zookeeper] }
    /// # ---- after ----
    /// host "z4" { address = "10.0.0.9"  roles = [zookeeper] }
    /// ```
    #[error("the ZooKeeper ensemble changes: {before} → {after}")]
    #[diagnostic(
        code(mcl::plan::zookeeper_membership),
        help(
            "change membership with ZooKeeper's rolling reconfiguration (see `mesosc explain zookeeper_membership`), then pass `--allow mcl::plan::zookeeper_membership` for the files"
        )
    )]
    ZookeeperMembership {
        /// The `server.N` list deployed.
        before: String,
        /// The new one.
        after: String,
        /// A host whose server changes.
        #[label("this server changes")]
        span: Span,
    },

    /// A running ZooKeeper server's id (`myid`) changes: it would rejoin as
    /// another server with this server's data, and the ensemble may lose
    /// committed writes. Ids follow the sorted host names when no `id` is
    /// written, so adding a host can renumber the others: write each
    /// server's `id` to keep them.
    ///
    /// ```mcl
    /// host "z4" { address = "10.0.0.4"  roles = [zookeeper] }
    /// # ---- after ----
    /// host "a0" { address = "10.0.0.9"  roles = [zookeeper] }
    /// host "z4" { address = "10.0.0.4"  roles = [zookeeper] }
    /// ```
    #[error("the ZooKeeper id of `{host}` changes from {before} to {after}")]
    #[diagnostic(
        code(mcl::plan::myid_changed),
        help("write `zookeeper {{ id = {before} }}` in the host to keep its id")
    )]
    MyidChanged {
        /// The host.
        host: String,
        /// The deployed id.
        before: String,
        /// The new id.
        after: String,
        /// The host.
        #[label("its id changes")]
        span: Span,
    },

    /// A master's `work_dir` (its replicated log) or `registry` changes: the
    /// restarted master starts with an empty registry, and once a quorum of
    /// masters has, every agent and framework is forgotten.
    ///
    /// ```mcl
    /// leader { work_dir = "/var/lib/mesos" }
    /// # ---- after ----
    /// leader { work_dir = "/srv/mesos" }
    /// ```
    #[error("the state of {leader} `{host}` moves: {key} {before} → {after}")]
    #[diagnostic(
        code(mcl::plan::master_state),
        help(
            "copy the replicated log to the new place on every {leader} before the restart ({leader}s stopped), or keep the old value"
        )
    )]
    MasterState {
        /// The user's word for the role (`leader` or `master`).
        leader: &'static str,
        /// The host.
        host: String,
        /// The env key (`MESOS_WORK_DIR`, `MESOS_REGISTRY`).
        key: String,
        /// The deployed value.
        before: String,
        /// The new value.
        after: String,
        /// The host.
        #[label("its state starts empty")]
        span: Span,
    },

    /// The ZooKeeper chroot of Mesos or Marathon changes: the restarted
    /// services find no leader, no registry pointer and (Marathon) no
    /// apps or deployments under the new path.
    ///
    /// ```mcl
    /// zookeeper { chroot = "/mesos" }
    /// # ---- after ----
    /// zookeeper { chroot = "/mesos2" }
    /// ```
    #[error("the ZooKeeper path of {program} changes from `{before}` to `{after}`")]
    #[diagnostic(
        code(mcl::plan::chroot_changed),
        help(
            "copy the znodes to the new path first (all services of the old path stopped), or keep the old chroot"
        )
    )]
    ChrootChanged {
        /// `Mesos` or `Marathon`.
        program: &'static str,
        /// The deployed path.
        before: String,
        /// The new path.
        after: String,
        /// A host that runs it.
        #[label("its state is under the old path")]
        span: Span,
    },

    /// The masters' `quorum` changes. Mesos' replicated log needs it changed
    /// with every master stopped and restarted at once (or, to grow the
    /// ensemble, the new masters started with the old quorum first, then
    /// every master restarted with the new one): a rolling restart mixes
    /// masters of two quorums, which can elect two leaders or lose the log.
    ///
    /// ```mcl
    /// # ---- after ----
    /// host "m4" { address = "10.0.0.4"  roles = [leader] }
    /// host "m5" { address = "10.0.0.5"  roles = [leader] }
    /// ```
    #[error("the {leader}s' quorum changes from {before} to {after}")]
    #[diagnostic(
        code(mcl::plan::quorum_changed),
        help(
            "follow Mesos' procedure for a quorum change (see `mesosc explain quorum_changed`), then pass `--allow mcl::plan::quorum_changed`"
        )
    )]
    QuorumChanged {
        /// The deployed quorum.
        before: String,
        /// The new quorum.
        after: String,
        /// A master.
        #[label("a {leader} of the new quorum")]
        span: Span,
        /// The user's word for the role (`leader` or `master`).
        leader: &'static str,
    },

    /// An agent's `work_dir`, resources, attributes or fault domain change:
    /// its checkpointed agent info no longer matches, so the restarted
    /// agent fails recovery (or, with a new `work_dir`, starts empty) and
    /// its running tasks are lost. With `--allow`, the plan drains the agent
    /// first (maintenance, or `DRAIN_AGENT` on Mesos 1.9+), clears its
    /// checkpointed agent (`meta/slaves/latest`) and lets it register anew.
    ///
    /// ```mcl
    /// host "a2" { address = "10.0.1.2"  roles = [follower] }
    /// # ---- after ----
    /// host "a2" { address = "10.0.1.2"  roles = [follower]  follower { attributes { rack = "r2" } } }
    /// ```
    #[error("the {follower} `{host}` cannot recover its tasks: {keys} change")]
    #[diagnostic(
        code(mcl::plan::agent_state),
        help(
            "pass `--allow mcl::plan::agent_state` to drain the {follower} before the change (its tasks move elsewhere)"
        )
    )]
    AgentState {
        /// The user's word for the role (`follower` or `agent`).
        follower: &'static str,
        /// The host.
        host: String,
        /// The changed settings, comma-separated.
        keys: String,
        /// The host.
        #[label("its checkpointed state does not survive this")]
        span: Span,
    },

    /// A role (or extra service) that runs somewhere now runs nowhere after
    /// the change: the last ZooKeeper server, master, agent or Marathon is
    /// stopped and its state left behind.
    ///
    /// ```mcl
    /// service "lsf" { on = [leader]  exec = "/usr/bin/lsf" }
    /// # ---- after ----
    /// ```
    #[error("the last `{unit}` is removed")]
    #[diagnostic(
        code(mcl::plan::last_of_role),
        help("keep one, or pass `--allow mcl::plan::last_of_role` to stop it")
    )]
    LastOfRole {
        /// The unit.
        unit: String,
        /// The host it ran on.
        host: String,
    },

    /// A version change that the upgrade guides do not support in one step:
    /// Mesos from 0.x to 1.1+ (1.1+ masters do not support 0.x agents) or,
    /// before 1.0, more than one minor version; Marathon to 1.8+ from before
    /// 1.6, to 1.5+ from before 1.4, or across 1.2 (its leader election
    /// needs every older instance stopped first: not a rolling restart); or
    /// a downgrade of any of the three. Upgrade through the versions in
    /// between (see `src/rollout/versions.rs` for the guides' words).
    ///
    /// ```mcl
    /// cluster "c" { mesos = "0.28.2" }
    /// # ---- after ----
    /// cluster "c" { mesos = "1.11.0" }
    /// ```
    #[error("{program} {before} → {after} is not a supported upgrade: {reason}")]
    #[diagnostic(code(mcl::plan::unsupported_upgrade))]
    UnsupportedUpgrade {
        /// `Mesos`, `Marathon` or `ZooKeeper`.
        program: &'static str,
        /// The deployed version.
        before: String,
        /// The new version.
        after: String,
        /// Why.
        reason: String,
        /// Upgrade through this version first.
        #[help]
        help: Option<String>,
    },
}

impl RolloutError {
    /// The diagnostic's code, `mcl::plan::…`.
    pub fn code_name(&self) -> String {
        self.code().map(|c| c.to_string()).unwrap_or_default()
    }

    /// The host this danger is about, when it is about one.
    pub fn host(&self) -> Option<&str> {
        match self {
            RolloutError::MyidChanged { host, .. }
            | RolloutError::MasterState { host, .. }
            | RolloutError::AgentState { host, .. } => Some(host),
            _ => None,
        }
    }
}

/// The env keys of an agent whose change its checkpoint cannot survive.
pub const AGENT_STATE_KEYS: [&str; 4] = [
    "MESOS_ATTRIBUTES",
    "MESOS_DOMAIN",
    "MESOS_RESOURCES",
    "MESOS_WORK_DIR",
];

/// Every danger of the change from `hosts` but the versions' (see the
/// module docs and [`super::versions`]).
/// `words` names the roles in the messages as the new description does.
pub fn dangers(hosts: &[HostChange], model: &model::Cluster, words: &Words) -> Vec<RolloutError> {
    let span = |host: &str| {
        (model.hosts.iter())
            .find(|h| h.name == host)
            .map_or(Span::DETACHED, |h| h.span)
    };
    // The host's span finds the word its `roles` list uses.
    let say = |role: Role, host: &str| words.word_at(role.name(), span(host));
    let mut out = Vec::new();
    let units = || hosts.iter().flat_map(|h| &h.units);
    zookeeper(units(), &span, &mut out);
    for u in units().filter(|u| u.action != Action::Start && u.action != Action::Stop) {
        match u.role {
            Some(Role::Leader) => master(u, say(Role::Leader, &u.host), &span, &mut out),
            Some(Role::Follower) => agent(u, say(Role::Follower, &u.host), &span, &mut out),
            _ => {}
        }
    }
    chroot(units(), "MESOS_ZK", "Mesos", &span, &mut out);
    chroot(units(), "MARATHON_ZK", "Marathon", &span, &mut out);
    quorum(units(), &|h| say(Role::Leader, h), &span, &mut out);
    last_of_role(units(), &mut out);
    out
}

fn zookeeper<'a>(
    units: impl Iterator<Item = &'a UnitChange>,
    span: &impl Fn(&str) -> Span,
    out: &mut Vec<RolloutError>,
) {
    let servers = |m: &BTreeMap<String, String>| -> BTreeSet<String> {
        (m.iter())
            .filter(|(k, _)| k.starts_with("server."))
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    };
    let zk: Vec<&UnitChange> = units.filter(|u| u.role == Some(Role::Zookeeper)).collect();
    let (mut before, mut after) = (BTreeSet::new(), BTreeSet::new());
    let mut moved = None;
    for u in &zk {
        let (b, a) = (servers(&u.before), servers(&u.after));
        if b != a && moved.is_none() {
            moved = Some(u.host.as_str());
        }
        before.extend(b);
        after.extend(a);
        let (old, new) = (u.before.get("myid"), u.after.get("myid"));
        if let (Some(old), Some(new)) = (old, new)
            && old != new
        {
            out.push(RolloutError::MyidChanged {
                host: u.host.clone(),
                before: old.clone(),
                after: new.clone(),
                span: span(&u.host),
            });
        }
    }
    if let Some(host) = moved.filter(|_| before != after && !before.is_empty()) {
        // Only the lines that differ: the servers that stay are not news.
        let list = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
            let only: Vec<&str> = a.difference(b).map(String::as_str).collect();
            if only.is_empty() {
                "(none)".to_owned()
            } else {
                only.join(", ")
            }
        };
        out.push(RolloutError::ZookeeperMembership {
            before: list(&before, &after),
            after: list(&after, &before),
            span: span(host),
        });
    }
}

fn master(
    u: &UnitChange,
    leader: &'static str,
    span: &impl Fn(&str) -> Span,
    out: &mut Vec<RolloutError>,
) {
    for key in ["MESOS_WORK_DIR", "MESOS_REGISTRY"] {
        let (b, a) = (u.before.get(key), u.after.get(key));
        if b != a {
            let show = |v: Option<&String>| v.map_or_else(|| "(default)".to_owned(), Clone::clone);
            out.push(RolloutError::MasterState {
                leader,
                host: u.host.clone(),
                key: key.to_owned(),
                before: show(b),
                after: show(a),
                span: span(&u.host),
            });
        }
    }
}

fn agent(
    u: &UnitChange,
    follower: &'static str,
    span: &impl Fn(&str) -> Span,
    out: &mut Vec<RolloutError>,
) {
    let keys: Vec<&str> = AGENT_STATE_KEYS
        .into_iter()
        .filter(|k| u.before.get(*k) != u.after.get(*k))
        .collect();
    if !keys.is_empty() {
        out.push(RolloutError::AgentState {
            follower,
            host: u.host.clone(),
            keys: keys.join(", "),
            span: span(&u.host),
        });
    }
}

/// The path of a `zk://hosts/path` URL.
fn zk_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("zk://")?;
    rest.find('/').map(|i| &rest[i..])
}

fn chroot<'a>(
    units: impl Iterator<Item = &'a UnitChange>,
    key: &str,
    program: &'static str,
    span: &impl Fn(&str) -> Span,
    out: &mut Vec<RolloutError>,
) {
    for u in units {
        let b = u.before.get(key).and_then(|v| zk_path(v));
        let a = u.after.get(key).and_then(|v| zk_path(v));
        if let (Some(b), Some(a)) = (b, a)
            && b != a
        {
            out.push(RolloutError::ChrootChanged {
                program,
                before: b.to_owned(),
                after: a.to_owned(),
                span: span(&u.host),
            });
            return;
        }
    }
}

fn quorum<'a>(
    units: impl Iterator<Item = &'a UnitChange>,
    say: &dyn Fn(&str) -> &'static str,
    span: &impl Fn(&str) -> Span,
    out: &mut Vec<RolloutError>,
) {
    let masters: Vec<&UnitChange> = units.filter(|u| u.role == Some(Role::Leader)).collect();
    let value = |m: &BTreeMap<String, String>| m.get("MESOS_QUORUM").cloned();
    let before: BTreeSet<String> = masters.iter().filter_map(|u| value(&u.before)).collect();
    let after: BTreeSet<String> = masters.iter().filter_map(|u| value(&u.after)).collect();
    let changed = masters.iter().find(|u| value(&u.after).is_some());
    if let Some(u) = changed.filter(|_| !before.is_empty() && before != after) {
        let join = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join("/");
        out.push(RolloutError::QuorumChanged {
            before: join(&before),
            after: join(&after),
            span: span(&u.host),
            leader: say(&u.host),
        });
    }
}

fn last_of_role<'a>(units: impl Iterator<Item = &'a UnitChange>, out: &mut Vec<RolloutError>) {
    let mut by_unit: BTreeMap<&str, Vec<&UnitChange>> = BTreeMap::new();
    for u in units {
        by_unit.entry(&u.unit).or_default().push(u);
    }
    for (unit, all) in by_unit {
        if all.iter().all(|u| u.action == Action::Stop) {
            out.push(RolloutError::LastOfRole {
                unit: unit.to_owned(),
                host: all[0].host.clone(),
            });
        }
    }
}

/// Whether `code` (full, or its last segment) is among `allowed`.
pub fn allowed(code: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|a| {
        a == code || code.rsplit("::").next() == Some(a.as_str()) || format!("mcl::{a}") == code
    })
}
