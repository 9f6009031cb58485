//! The four programs mesosc configures.

use std::fmt;

/// A program whose settings mesosc writes, each with its own flag table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Program {
    /// `mesos-master` (an MCL `leader`).
    Master,
    /// `mesos-agent` (an MCL `follower`; `mesos-slave` is a symlink to it).
    Agent,
    /// Marathon.
    Marathon,
    /// A ZooKeeper server (`zoo.cfg` keys and JVM system properties).
    ZooKeeper,
}

impl Program {
    /// Every program, in table order.
    pub const ALL: [Program; 4] = [
        Program::Master,
        Program::Agent,
        Program::Marathon,
        Program::ZooKeeper,
    ];

    /// The binary or product name: `mesos-master`, `mesos-agent`, `marathon`,
    /// `zookeeper`.
    pub const fn name(self) -> &'static str {
        match self {
            Program::Master => "mesos-master",
            Program::Agent => "mesos-agent",
            Program::Marathon => "marathon",
            Program::ZooKeeper => "zookeeper",
        }
    }

    /// The prefix of the environment variables the program reads its flags
    /// from: `MESOS_` for master and agent, `MARATHON_` for Marathon, none for
    /// ZooKeeper (which has no per-key environment convention).
    pub const fn env_prefix(self) -> Option<&'static str> {
        match self {
            Program::Master | Program::Agent => Some("MESOS_"),
            Program::Marathon => Some("MARATHON_"),
            Program::ZooKeeper => None,
        }
    }

    /// True for `mesos-master` and `mesos-agent`, which share stout's flag
    /// syntax (durations, byte sizes, `file://` values).
    pub const fn is_mesos(self) -> bool {
        matches!(self, Program::Master | Program::Agent)
    }

    /// The product whose version gates this program's flags: `Mesos`,
    /// `Marathon` or `ZooKeeper`.
    pub const fn product(self) -> &'static str {
        match self {
            Program::Master | Program::Agent => "Mesos",
            Program::Marathon => "Marathon",
            Program::ZooKeeper => "ZooKeeper",
        }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The environment variable that sets `flag_name`: `MESOS_WORK_DIR`,
/// `MARATHON_ZK`.
///
/// `None` for ZooKeeper, for names that cannot appear in a variable name,
/// and for the Marathon options the environment cannot reach: names starting
/// with `app_` (their variable would start with the ignored `MARATHON_APP_`)
/// and camelCase names such as `killsPerBatch` (lower-cased on the way in).
pub fn env_var(program: Program, flag_name: &str) -> Option<String> {
    let prefix = program.env_prefix()?;
    let plain = !flag_name.is_empty()
        && flag_name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !plain {
        return None;
    }
    if program == Program::Marathon
        && (flag_name.starts_with("app_") || flag_name.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return None;
    }
    Some(format!("{prefix}{}", flag_name.to_ascii_uppercase()))
}
