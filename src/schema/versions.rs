//! What Mesos, Marathon and ZooKeeper do differently from one release to the
//! next, where it changes what mesosc writes: binary names, the credentials
//! file format, the spelling of authentication flags and unit settings.
//!
//! Each fact names the upstream file, at the release tag, that decides it
//! (`apache/mesos`, `mesosphere/marathon`). `docs/src/reference/versions.md`
//! shows the same facts as a table; `tests/versions.rs` checks both against
//! the generated files.

use super::Version;

/// The first Mesos release that ships `mesos-agent`: `src/Makefile.am` at
/// 1.0.0 adds `sbin_PROGRAMS += mesos-agent`; at 0.28.0 only `mesos-slave`.
pub const AGENT_BINARY_SINCE: Version = Version::new(1, 0, 0);

/// The first Mesos release that reads a JSON credentials file:
/// `src/credentials/credentials.hpp` at 0.20.0 tries `JSON::parse` first;
/// at 0.19.0 it reads only `principal secret` lines, and 1.11.0 reads only
/// JSON (CHANGELOG 1.11.0: the text format was removed).
pub const JSON_CREDENTIALS_SINCE: Version = Version::new(0, 20, 0);

/// The first Mesos release whose master spells framework authentication
/// `--authenticate_frameworks`: `src/master/flags.cpp` at 1.0.0 (with
/// `DeprecatedName("authenticate")`); 0.28.0 has only `--authenticate`.
/// The same file renames `--authenticate_slaves` to `--authenticate_agents`.
pub const AGENT_NAMES_SINCE: Version = Version::new(1, 0, 0);

/// The first Mesos release whose agent moves executors out of its own cgroup
/// (`src/linux/systemd.cpp`, new in 0.25.0: executors go to
/// `mesos_executors.slice`), so `KillMode=control-group` no longer kills
/// tasks on an agent restart. Before it, `docs/slave-recovery.md` (0.24.0)
/// asks for `KillMode=process`.
pub const EXECUTOR_SLICE_SINCE: Version = Version::new(0, 25, 0);

/// The first Marathon release with the `--mesos_authentication` toggle
/// (`MarathonConf.scala` at v1.3.0). Before it Marathon authenticates when
/// both `--mesos_authentication_principal` and
/// `--mesos_authentication_secret_file` are set (`MarathonSchedulerDriver.scala`
/// at v1.1.1) and Scallop rejects the unknown toggle.
pub const MARATHON_AUTH_TOGGLE_SINCE: Version = Version::new(1, 3, 0);

/// The first ZooKeeper release that purges old snapshots and logs itself
/// (`autopurge.*` in `QuorumPeerConfig.java` at release-3.4.0). Its default
/// is off (`purgeInterval` 0), and the admin guide asks for regular purging,
/// so mesosc turns it on: [`ZK_AUTOPURGE`].
pub const ZK_AUTOPURGE_SINCE: Version = Version::new(3, 4, 0);

/// The autopurge settings mesosc writes by default: keep ZooKeeper's
/// minimum of 3 snapshots (a lower count is raised to 3 with a warning),
/// purge once a day. A `settings { }` entry overrides either.
pub const ZK_AUTOPURGE: [(&str, &str); 2] = [
    ("autopurge.purgeInterval", "24"),
    ("autopurge.snapRetainCount", "3"),
];

/// The oldest Mesos master each Marathon line runs against, and the newest
/// Marathon release before that line: `LibMesos.scala`
/// (`MesosMasterMinimumVersion`) is 1.1.0 from v1.4.0 to v1.6.590 and 1.5.0
/// from v1.7.37 on; `MarathonScheduler.scala` exits when the master is
/// older ("does not meet minimum required version"). Before v1.4.0 there is
/// no check. Sorted by Marathon version.
pub static MARATHON_MESOS_MINIMUM: [MarathonLine; 2] = [
    MarathonLine {
        since: Version::new(1, 4, 0),
        mesos: Version::new(1, 1, 0),
        newest_before: Version::new(1, 3, 14),
    },
    MarathonLine {
        since: Version::new(1, 7, 0),
        mesos: Version::new(1, 5, 0),
        newest_before: Version::new(1, 6, 590),
    },
];

/// The newest Marathon in the flag tables (the 1.11 line).
pub const NEWEST_MARATHON: Version = Version::new(1, 11, 0);

/// One step of [`MARATHON_MESOS_MINIMUM`].
#[derive(Clone, Debug)]
pub struct MarathonLine {
    /// The first Marathon release with this minimum.
    pub since: Version,
    /// The oldest Mesos master it accepts.
    pub mesos: Version,
    /// The newest Marathon release before `since`.
    pub newest_before: Version,
}

/// The oldest Mesos master Marathon `marathon` runs against, if it checks.
pub fn marathon_min_mesos(marathon: &Version) -> Option<&'static Version> {
    MARATHON_MESOS_MINIMUM
        .iter()
        .rev()
        .find(|l| *marathon >= l.since)
        .map(|l| &l.mesos)
}

/// The Marathon mesosc targets when the file declares none: the newest that
/// runs against Mesos `mesos`.
pub fn default_marathon(mesos: &Version) -> Version {
    MARATHON_MESOS_MINIMUM
        .iter()
        .find(|l| *mesos < l.mesos)
        .map_or(NEWEST_MARATHON, |l| l.newest_before.clone())
}

/// How a Mesos release reads `--credentials` and `--credential`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialFormat {
    /// One `principal secret` a line (before 0.20.0).
    Text,
    /// `{"credentials": [{"principal": …, "secret": …}]}` for the master,
    /// one `{"principal": …, "secret": …}` object for an agent.
    Json,
}

/// The credentials file format mesosc writes for Mesos `mesos`.
pub fn credential_format(mesos: &Version) -> CredentialFormat {
    if *mesos < JSON_CREDENTIALS_SINCE {
        CredentialFormat::Text
    } else {
        CredentialFormat::Json
    }
}

/// The agent binary of Mesos `mesos`. Only the binary follows the version:
/// the unit (`mesos-agent.service`) and env file (`agent.env`) keep their
/// names on every version.
pub fn agent_binary(mesos: &Version) -> &'static str {
    if *mesos < AGENT_BINARY_SINCE {
        "/usr/sbin/mesos-slave"
    } else {
        "/usr/sbin/mesos-agent"
    }
}

/// The master flag that makes frameworks authenticate.
pub fn framework_auth_flag(mesos: &Version) -> &'static str {
    if *mesos < AGENT_NAMES_SINCE {
        "authenticate"
    } else {
        "authenticate_frameworks"
    }
}

/// The master flag that makes agents authenticate.
pub fn agent_auth_flag(mesos: &Version) -> &'static str {
    if *mesos < AGENT_NAMES_SINCE {
        "authenticate_slaves"
    } else {
        "authenticate_agents"
    }
}

/// The agent unit's `KillMode=`.
pub fn agent_kill_mode(mesos: &Version) -> &'static str {
    if *mesos < EXECUTOR_SLICE_SINCE {
        "process"
    } else {
        "control-group"
    }
}

/// Whether Marathon `marathon` has the `--mesos_authentication` toggle.
pub fn marathon_auth_toggle(marathon: &Version) -> bool {
    *marathon >= MARATHON_AUTH_TOGGLE_SINCE
}

/// The oldest Java major version a JVM program at `version` runs on.
///
/// - ZooKeeper: 8 from 3.5.4 (`build.xml` `javac.target` 1.8 at
///   `release-3.5.4`; from 3.6 the admin guide's "Required Software" names
///   JDK 8 and 11 and says 9 and 10 are not supported); 7 before (1.7 at
///   `release-3.5.1` to `3.5.3`; the 3.4 admin guide asks for 1.7 or greater).
/// - Marathon: 8 from 0.11.0 (`project/build.scala` `-target:jvm-1.8` at
///   `v0.11.0`, `build.sbt` up to `v1.10.26`; its images ship OpenJDK 8);
///   6 before (`-target:jvm-1.6` at `v0.10.2`).
pub fn jre_major(role: super::Role, version: &Version) -> Option<u32> {
    match role {
        super::Role::Zookeeper if *version >= Version::new(3, 5, 4) => Some(8),
        super::Role::Zookeeper => Some(7),
        super::Role::Marathon if *version >= Version::new(0, 11, 0) => Some(8),
        super::Role::Marathon => Some(6),
        super::Role::Leader | super::Role::Follower => None,
    }
}

/// Whether Mesos at `version` knows only cgroup v1: its cgroups isolators
/// mount and read v1 hierarchies up to 1.11.0; cgroup v2 support
/// (`src/linux/cgroups2.cpp`, `docs/cgroups2-support.md`) exists only on the
/// unreleased master branch (1.12.0-dev).
pub fn cgroup_v1_only(version: &Version) -> bool {
    *version < Version::new(1, 12, 0)
}

/// The first Mesos release OWCA runs on (the OWCA documentation's
/// requirements: the `cgroups/perf_event` isolator with `perf_events` and
/// `perf_interval` as OWCA reads them).
pub const OWCA_MIN_MESOS: Version = Version::new(1, 2, 0);

/// The first Mesos release whose libprocess speaks TLS: 0.23.0 reads its
/// settings from `SSL_*` variables (`3rdparty/libprocess/src/openssl.cpp`,
/// `ssl_flags->load("SSL_")`, when built with `--enable-ssl`).
pub const SSL_SINCE: Version = Version::new(0, 23, 0);

/// The first Mesos release whose libprocess reads `LIBPROCESS_SSL_*`
/// (`openssl.cpp` at 1.0.0: `extract("LIBPROCESS_SSL_")`, the old `SSL_`
/// names still read as a fallback).
pub const LIBPROCESS_SSL_SINCE: Version = Version::new(1, 0, 0);

/// The prefix of the TLS variables libprocess reads at Mesos `mesos`;
/// `None` before it had TLS.
pub fn ssl_prefix(mesos: &Version) -> Option<&'static str> {
    if *mesos < SSL_SINCE {
        None
    } else if *mesos < LIBPROCESS_SSL_SINCE {
        Some("SSL_")
    } else {
        Some("LIBPROCESS_SSL_")
    }
}

/// The released versions of Mesos and Marathon, oldest first: the release
/// tags of `apache/mesos` (`X.Y.Z`, no release candidates) and of
/// `mesosphere/marathon` (`vX.Y.Z` and the early `marathon-X.Y.Z`), in
/// `data/releases.tsv`. Marathon `1.11.0` stands for the 1.11 line, which
/// was built from the `releases/1.11` branch without a tag (the flag tables
/// use the same name for it).
static RELEASES: std::sync::LazyLock<Vec<(String, Version)>> = std::sync::LazyLock::new(|| {
    include_str!("../../data/releases.tsv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (program, version) = line.split_once('\t')?;
            Some((program.to_owned(), Version::parse(version).ok()?))
        })
        .collect()
});

/// The releases of `program` (`mesos` or `marathon`), oldest first; empty
/// for other programs (ZooKeeper's releases are not checked).
pub fn releases(program: &str) -> Vec<&'static Version> {
    RELEASES
        .iter()
        .filter(|(p, _)| p == program)
        .map(|(_, v)| v)
        .collect()
}

/// Whether `version` of `program` (`mesos` or `marathon`) was released;
/// `true` for programs whose releases are not listed.
pub fn released(program: &str, version: &Version) -> bool {
    let list = releases(program);
    list.is_empty() || list.contains(&version)
}

/// The releases nearest to an unreleased `version`: the newest one below it
/// and the oldest one above it.
pub fn nearest_releases(program: &str, version: &Version) -> Vec<&'static Version> {
    let list = releases(program);
    let below = list.iter().rev().find(|v| **v < version);
    let above = list.iter().find(|v| **v > version);
    below.into_iter().chain(above).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).expect("version")
    }

    #[test]
    fn cut_offs_fall_on_the_releases_named_in_their_sources() {
        assert_eq!(credential_format(&v("0.19.1")), CredentialFormat::Text);
        assert_eq!(credential_format(&v("0.20.0")), CredentialFormat::Json);
        assert_eq!(credential_format(&v("1.11.0")), CredentialFormat::Json);
        assert_eq!(agent_binary(&v("0.28.3")), "/usr/sbin/mesos-slave");
        assert_eq!(agent_binary(&v("1.0.0")), "/usr/sbin/mesos-agent");
        assert_eq!(framework_auth_flag(&v("0.28.3")), "authenticate");
        assert_eq!(framework_auth_flag(&v("1.0.0")), "authenticate_frameworks");
        assert_eq!(agent_auth_flag(&v("0.28.3")), "authenticate_slaves");
        assert_eq!(agent_auth_flag(&v("1.0.0")), "authenticate_agents");
        assert_eq!(agent_kill_mode(&v("0.24.2")), "process");
        assert_eq!(agent_kill_mode(&v("0.25.0")), "control-group");
        assert!(!marathon_auth_toggle(&v("1.1.7")));
        assert_eq!(marathon_min_mesos(&v("1.3.14")), None);
        assert_eq!(marathon_min_mesos(&v("1.4.0")), Some(&v("1.1.0")));
        assert_eq!(marathon_min_mesos(&v("1.6.590")), Some(&v("1.1.0")));
        assert_eq!(marathon_min_mesos(&v("1.7.37")), Some(&v("1.5.0")));
        assert_eq!(default_marathon(&v("1.0.4")), v("1.3.14"));
        assert_eq!(default_marathon(&v("1.4.3")), v("1.6.590"));
        assert_eq!(default_marathon(&v("1.5.0")), v("1.11.0"));
        // The default always runs on the Mesos it was chosen for.
        for line in &MARATHON_MESOS_MINIMUM {
            let chosen = default_marathon(&line.mesos);
            assert!(marathon_min_mesos(&chosen).is_none_or(|m| *m <= line.mesos));
        }
        assert!(marathon_auth_toggle(&v("1.3.0")));
    }

    #[test]
    fn releases_are_the_tags() {
        assert!(released("mesos", &v("1.11.0")));
        assert!(released("mesos", &v("0.28.2")));
        assert!(!released("mesos", &v("1.12.0")));
        assert!(!released("mesos", &v("1.11.1")));
        assert!(released("marathon", &v("1.10.26")));
        assert!(released("marathon", &v("1.11.0")));
        assert!(!released("marathon", &v("1.10.27")));
        // Marathon 1.2.0 had release candidates only.
        assert!(!released("marathon", &v("1.2.0")));
        assert!(released("zookeeper", &v("3.9.5")));
        assert_eq!(nearest_releases("mesos", &v("1.11.1")), [&v("1.11.0")],);
        assert_eq!(
            nearest_releases("marathon", &v("1.6.600")),
            [&v("1.6.590"), &v("1.7.37")],
        );
        // Every version mesosc chooses by itself was released.
        for line in &MARATHON_MESOS_MINIMUM {
            assert!(released("marathon", &line.newest_before));
            assert!(released("mesos", &line.mesos));
        }
        assert!(released("marathon", &NEWEST_MARATHON));
    }
}
