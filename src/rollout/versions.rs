//! Version changes in a rollout: which jumps the upgrade guides support.
//!
//! Mesos (`docs/upgrades.md` and `docs/versioning.md` at 1.11.0): a running
//! cluster is upgraded masters first, then agents, then schedulers; from 1.0
//! on, a stable release upgrades directly to any later one; before 1.0 the
//! guide lists one minor version at a time (`Upgrading from 0.27.x to
//! 0.28.x`); and 1.1+ masters never supported 0.x agents (1.2.1 refuses
//! them), so a 0.x cluster goes to 1.0.x first. Marathon (`changelog.md`
//! at v1.10.26): "Upgrade to Marathon 1.5.x can be performed only from
//! 1.4.x"; "You can only upgrade to Marathon 1.8 from 1.6.x and 1.7.x"; and
//! the leader election of 1.2.0 "is not compatible with Marathon versions
//! prior to 1.2.0": every older instance stops before a new one starts, which
//! a rolling restart does not do. No guide describes a downgrade, for any of
//! the three programs.

use super::danger::RolloutError;
use crate::emit::ManifestVersions;
use crate::schema::Version;

/// The refused jumps between the deployed versions and the new ones.
pub fn unsupported(old: &ManifestVersions, new: &ManifestVersions) -> Vec<RolloutError> {
    let mut out = Vec::new();
    let pairs = [
        ("Mesos", &old.mesos, &new.mesos),
        ("Marathon", &old.marathon, &new.marathon),
        ("ZooKeeper", &old.zookeeper, &new.zookeeper),
    ];
    for (program, before, after) in pairs {
        let (Ok(b), Ok(a)) = (Version::parse(before), Version::parse(after)) else {
            continue;
        };
        let refused = |reason: &str, help: Option<String>| RolloutError::UnsupportedUpgrade {
            program,
            before: before.clone(),
            after: after.clone(),
            reason: reason.to_owned(),
            help,
        };
        if a < b {
            out.push(refused(
                "the upgrade guides describe no downgrade",
                Some("restore the deployed version's files from the commit that built them".into()),
            ));
        } else if program == "Mesos" {
            out.extend(mesos(&b, &a).map(|(reason, help)| refused(reason, Some(help))));
        } else if program == "Marathon" {
            out.extend(marathon(&b, &a).map(|(reason, help)| refused(reason, Some(help))));
        }
    }
    out
}

/// Why Mesos `b` → `a` is refused, and the version to go through.
fn mesos(b: &Version, a: &Version) -> Option<(&'static str, String)> {
    if b.major == 0 && (a.major, a.minor) >= (1, 1) {
        return Some((
            "1.1+ masters do not support 0.x agents (docs/upgrades.md, 1.2.1)",
            "upgrade to Mesos 1.0.x first".to_owned(),
        ));
    }
    if b.major == 0 && a.major == 0 && a.minor > b.minor + 1 {
        return Some((
            "before 1.0 the guide upgrades one minor version at a time",
            format!("upgrade to Mesos 0.{}.x first", b.minor + 1),
        ));
    }
    None
}

/// Why Marathon `b` → `a` is refused, and what to do instead.
fn marathon(b: &Version, a: &Version) -> Option<(&'static str, String)> {
    let at = |v: &Version, major: u32, minor: u32| (v.major, v.minor) >= (major, minor);
    if at(a, 1, 8) && !at(b, 1, 6) {
        return Some((
            "Marathon 1.8+ upgrades only from 1.6.x and 1.7.x (changelog.md)",
            "upgrade to Marathon 1.6 or 1.7 first".to_owned(),
        ));
    }
    if at(a, 1, 5) && !at(b, 1, 4) {
        return Some((
            "Marathon 1.5 upgrades only from 1.4.x (changelog.md)",
            "upgrade to Marathon 1.4.x first".to_owned(),
        ));
    }
    if at(a, 1, 2) && !at(b, 1, 2) {
        return Some((
            "the leader election of Marathon 1.2 does not work with older instances (changelog.md): they cannot be restarted one at a time",
            "stop every Marathon instance, then start the new ones (not a rolling restart)"
                .to_owned(),
        ));
    }
    None
}

/// Whether the Mesos version changes (every master, agent and Marathon
/// restarts, in the guide's order).
pub fn changed(old: Option<&ManifestVersions>, new: Option<&ManifestVersions>) -> Vec<String> {
    let (Some(old), Some(new)) = (old, new) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (program, b, a) in [
        ("Mesos", &old.mesos, &new.mesos),
        ("Marathon", &old.marathon, &new.marathon),
        ("ZooKeeper", &old.zookeeper, &new.zookeeper),
    ] {
        if b != a {
            out.push(format!("{program} {b} → {a}"));
        }
    }
    out
}
