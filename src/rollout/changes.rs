//! What changed between two `out/` trees, per host and service, and the
//! action each change needs on a running host.
//!
//! A host's files are its overlay `hosts/<host>/…` and its
//! `cloud-config/<host>.yaml`. Each unit `etc/systemd/system/<unit>` owns
//! the files whose absolute path its text names (its `EnvironmentFile=`,
//! the `zoo.cfg` on its command line, the secrets its credentials assembly
//! reads); `myid` belongs to ZooKeeper. A unit is started when it is new,
//! stopped and disabled when it is gone, restarted when its unit file or a
//! file it owns changed in a line that is not a comment, and only reloaded
//! (`daemon-reload`) when its unit file changed in comments alone.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::tree::Tree;
use crate::model::Role;

/// Where a host's units are, inside its overlay.
const UNIT_DIR: &str = "etc/systemd/system/";

/// What a change needs on a running host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Copy the files; nothing runs differently.
    Nothing,
    /// `systemctl daemon-reload`: the unit file changed in comments only.
    DaemonReload,
    /// `daemon-reload` (when the unit changed) and restart.
    Restart,
    /// A new service: copy, `daemon-reload`, `enable --now`.
    Start,
    /// A removed service: `disable --now`, then remove its files.
    Stop,
}

impl Action {
    /// The action's name in text and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Action::Nothing => "nothing",
            Action::DaemonReload => "daemon-reload",
            Action::Restart => "restart",
            Action::Start => "start",
            Action::Stop => "stop",
        }
    }
}

/// How one file differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileStatus {
    /// Only the new tree has it.
    Added,
    /// Only the deployed tree has it.
    Removed,
    /// Changed in a line that is not a comment.
    Changed,
    /// Changed in comment lines only.
    Comments,
}

/// One file that differs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FileChange {
    /// The path, relative to the output folder.
    pub path: String,
    /// How it differs.
    pub status: FileStatus,
}

/// One service of one host, and what its change needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnitChange {
    /// The host.
    pub host: String,
    /// The systemd unit.
    pub unit: String,
    /// The role it runs, `None` for an extra service.
    #[serde(skip)]
    pub role: Option<Role>,
    /// What it needs.
    pub action: Action,
    /// The files of this unit that differ (its unit file included).
    pub files: Vec<FileChange>,
    /// The settings whose value changed (env keys, `zoo.cfg` keys), sorted.
    pub settings: Vec<String>,
    /// Every setting of its files in the deployed tree.
    #[serde(skip)]
    pub before: BTreeMap<String, String>,
    /// Every setting of its files in the new tree.
    #[serde(skip)]
    pub after: BTreeMap<String, String>,
}

/// Everything that differs on one host.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HostChange {
    /// The host.
    pub host: String,
    /// Every unit on it in either tree, sorted by unit.
    pub units: Vec<UnitChange>,
    /// Changed files no unit reads (its cloud-config: read at first boot only).
    pub other: Vec<FileChange>,
}

/// Every host of either tree, with what differs on it.
pub fn compare(old: &Tree, new: &Tree) -> Vec<HostChange> {
    let hosts: BTreeSet<&str> = (old.files.keys().chain(new.files.keys()))
        .filter_map(|p| host_of(p))
        .collect();
    hosts.into_iter().map(|h| host(old, new, h)).collect()
}

/// The host a path belongs to.
fn host_of(path: &str) -> Option<&str> {
    if let Some(rest) = path.strip_prefix("hosts/") {
        return rest.split_once('/').map(|(h, _)| h);
    }
    path.strip_prefix("cloud-config/")?.strip_suffix(".yaml")
}

/// One host's overlay in a tree: path below the overlay → text.
fn overlay<'a>(tree: &'a Tree, host: &str) -> BTreeMap<&'a str, &'a str> {
    let prefix = format!("hosts/{host}/");
    (tree.files.range(prefix.clone()..))
        .take_while(|(p, _)| p.starts_with(&prefix))
        .map(|(p, t)| (&p[prefix.len()..], t.as_str()))
        .collect()
}

fn host(old: &Tree, new: &Tree, host: &str) -> HostChange {
    let (a, b) = (overlay(old, host), overlay(new, host));
    let units: BTreeSet<&str> = (a.keys().chain(b.keys()))
        .filter_map(|p| p.strip_prefix(UNIT_DIR))
        .filter(|u| !u.contains('/'))
        .collect();
    let files: BTreeSet<&str> = a.keys().chain(b.keys()).copied().collect();
    let mut owned: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut other = Vec::new();
    for file in &files {
        let owners = owners(file, &units, &a, &b);
        if owners.is_empty() {
            other.extend(status(a.get(file), b.get(file)).map(|status| FileChange {
                path: format!("hosts/{host}/{file}"),
                status,
            }));
        }
        for u in owners {
            owned.entry(u).or_default().push(file);
        }
    }
    let cc = format!("cloud-config/{host}.yaml");
    other.extend(
        status(old.files.get(&cc), new.files.get(&cc))
            .map(|status| FileChange { path: cc, status }),
    );
    let units = (units.iter())
        .map(|u| unit(host, u, owned.get(u).map_or(&[][..], Vec::as_slice), &a, &b))
        .collect();
    HostChange {
        host: host.to_owned(),
        units,
        other,
    }
}

/// The units that own `file`: itself when it is a unit, the units whose
/// text names its absolute path, ZooKeeper's for `myid`.
fn owners<'a>(
    file: &str,
    units: &BTreeSet<&'a str>,
    a: &BTreeMap<&str, &str>,
    b: &BTreeMap<&str, &str>,
) -> Vec<&'a str> {
    if let Some(u) = file.strip_prefix(UNIT_DIR).filter(|u| units.contains(u)) {
        return units.get(u).into_iter().copied().collect();
    }
    let absolute = format!("/{file}");
    let named = |u: &&str| {
        let path = format!("{UNIT_DIR}{u}");
        [a.get(path.as_str()), b.get(path.as_str())]
            .into_iter()
            .flatten()
            .any(|text| names(text, &absolute))
    };
    let mut out: Vec<&str> = units.iter().copied().filter(named).collect();
    if out.is_empty() && file.ends_with("/myid") {
        out.extend(units.get(Role::Zookeeper.unit()));
    }
    out
}

/// Whether `text` names `path` as a whole path (not a prefix of another).
fn names(text: &str, path: &str) -> bool {
    text.match_indices(path).any(|(i, _)| {
        let after = text[i + path.len()..].chars().next();
        !after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
    })
}

fn status(a: Option<&impl AsRef<str>>, b: Option<&impl AsRef<str>>) -> Option<FileStatus> {
    match (a.map(AsRef::as_ref), b.map(AsRef::as_ref)) {
        (None, None) => None,
        (None, Some(_)) => Some(FileStatus::Added),
        (Some(_), None) => Some(FileStatus::Removed),
        (Some(x), Some(y)) if x == y => None,
        (Some(x), Some(y)) if content(x) == content(y) => Some(FileStatus::Comments),
        (Some(_), Some(_)) => Some(FileStatus::Changed),
    }
}

/// The lines that are not comments (`#`, and `;` in unit files).
fn content(text: &str) -> Vec<&str> {
    (text.lines())
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with('#') || t.starts_with(';'))
        })
        .collect()
}

fn unit(
    host: &str,
    unit: &str,
    owned: &[&str],
    a: &BTreeMap<&str, &str>,
    b: &BTreeMap<&str, &str>,
) -> UnitChange {
    let unit_path = format!("{UNIT_DIR}{unit}");
    let mut files = Vec::new();
    let (mut before, mut after) = (BTreeMap::new(), BTreeMap::new());
    for f in owned {
        if let Some(status) = status(a.get(f), b.get(f)) {
            files.push(FileChange {
                path: format!("hosts/{host}/{f}"),
                status,
            });
        }
        if *f != unit_path {
            before.extend(a.get(f).map(|t| settings(f, t)).unwrap_or_default());
            after.extend(b.get(f).map(|t| settings(f, t)).unwrap_or_default());
        }
    }
    let unit_status = status(a.get(unit_path.as_str()), b.get(unit_path.as_str()));
    let action = match unit_status {
        Some(FileStatus::Added) => Action::Start,
        Some(FileStatus::Removed) => Action::Stop,
        Some(FileStatus::Changed) => Action::Restart,
        _ if files.iter().any(|f| f.status != FileStatus::Comments) => Action::Restart,
        Some(FileStatus::Comments) => Action::DaemonReload,
        None => Action::Nothing,
    };
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let settings = (keys.into_iter())
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect();
    UnitChange {
        host: host.to_owned(),
        unit: unit.to_owned(),
        role: Role::ALL.into_iter().find(|r| r.unit() == unit),
        action,
        files,
        settings,
        before,
        after,
    }
}

/// The `KEY=value` lines of an env file or `zoo.cfg` (`myid`: its number,
/// as the setting `myid`).
fn settings(path: &str, text: &str) -> BTreeMap<String, String> {
    if path.ends_with("/myid") {
        return BTreeMap::from([("myid".to_owned(), text.trim().to_owned())]);
    }
    (content(text).into_iter())
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), unquote(v.trim())))
        .collect()
}

/// A value as systemd's `EnvironmentFile=` reads it: double quotes
/// removed, `\` escapes undone.
pub fn unquote(value: &str) -> String {
    let Some(inner) = (value.strip_prefix('"')).and_then(|v| v.strip_suffix('"')) else {
        return value.to_owned();
    };
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}
