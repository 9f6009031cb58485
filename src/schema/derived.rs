//! Flags mesosc sets itself, from the cluster description.
//!
//! Writing one of these in a `flags { }` / `settings { }` block would fight
//! the value mesosc derives (and Mesos refuses a flag given twice), so the
//! checker reports it and points at the MCL setting to use instead.
//!
//! The list is deliberately short: only what the generator always writes,
//! or what conflicts with something it always writes. Flags with a
//! structured MCL alternative that the user may still give raw (an agent's
//! `resources`/`attributes`, the Mesos `hostname`) are not here; the checker
//! reports a conflict only when both forms are given.

use super::program::Program;
use super::role::Role;
use super::table::table;

/// A flag that mesosc derives, and the MCL setting that controls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Derived {
    /// The program.
    pub program: Program,
    /// The flag's current name (aliases resolve to it).
    pub flag: &'static str,
    /// The MCL setting to use instead, as a phrase for a help line, with
    /// the role blocks as placeholders (`{leader}`, `{follower}`: see
    /// [`in_words`]).
    pub setting: &'static str,
    /// Why mesosc owns it.
    pub why: &'static str,
}

const fn d(
    program: Program,
    flag: &'static str,
    setting: &'static str,
    why: &'static str,
) -> Derived {
    Derived {
        program,
        flag,
        setting,
        why,
    }
}

use Program::{Agent, Marathon, Master, ZooKeeper};

const ZK_URL_WHY: &str = "the zk:// URL is formed from the ZooKeeper hosts and the chroot";
const ADDRESS_WHY: &str = "mesosc binds each service to its host's address";
const ADVERTISE_WHY: &str = "bridged containers advertise the address mesosc computes";

/// Every derived flag, by program.
pub const DERIVED: &[Derived] = &[
    // mesos-master
    d(
        Master,
        "zk",
        "the `zookeeper` block (`chroot`, `hosts` or `dns`) and the hosts with the `zookeeper` role",
        ZK_URL_WHY,
    ),
    d(
        Master,
        "quorum",
        "the `quorum` setting of the `{leader}` block",
        "it must be a majority of the leaders and equal on every leader",
    ),
    d(
        Master,
        "port",
        "the `port` setting of the `{leader}` block",
        "ports are checked for clashes on each host",
    ),
    d(
        Master,
        "work_dir",
        "the `work_dir` setting of the `{leader}` block",
        "the replicated log lives there; mesosc also mounts it for docker runtimes",
    ),
    d(
        Master,
        "log_dir",
        "the `log_dir` setting of the `{leader}` block",
        "mesosc mounts it for docker runtimes",
    ),
    d(Master, "ip", "the host's `address`", ADDRESS_WHY),
    d(
        Master,
        "ip_discovery_command",
        "the host's `address`",
        "mesosc sets `--ip`, which excludes this flag",
    ),
    d(
        Master,
        "advertise_ip",
        "`advertise { ip = … }` in the `{leader}` block",
        ADVERTISE_WHY,
    ),
    d(
        Master,
        "advertise_port",
        "`advertise { port = … }` in the `{leader}` block",
        ADVERTISE_WHY,
    ),
    d(
        Master,
        "cluster",
        "the name of the `cluster` block",
        "one name for the whole cluster",
    ),
    d(
        Master,
        "authenticate_frameworks",
        "`frameworks` in the `auth` block",
        "authentication needs matching credentials, which mesosc provisions",
    ),
    d(
        Master,
        "authenticate_agents",
        "`followers` in the `auth` block",
        "every follower then needs a secret, which mesosc checks",
    ),
    d(
        Master,
        "credentials",
        "the `credential` entries of the `auth` block",
        "mesosc writes the credentials file path; secrets never enter flags",
    ),
    // mesos-agent
    d(
        Agent,
        "master",
        "the `{leader}` hosts and the `zookeeper` block",
        "the agent finds the leaders through the derived zk:// URL",
    ),
    d(
        Agent,
        "master_detector",
        "the `{leader}` hosts and the `zookeeper` block",
        "mesosc sets `--master`, and exactly one of the two may be given",
    ),
    d(
        Agent,
        "port",
        "the `port` setting of the `{follower}` block",
        "ports are checked for clashes on each host",
    ),
    d(
        Agent,
        "work_dir",
        "the `work_dir` setting of the `{follower}` block",
        "a mixed-mode host needs distinct work dirs, which mesosc checks",
    ),
    d(
        Agent,
        "log_dir",
        "the `log_dir` setting of the `{follower}` block",
        "mesosc mounts it for docker runtimes",
    ),
    d(Agent, "ip", "the host's `address`", ADDRESS_WHY),
    d(
        Agent,
        "ip_discovery_command",
        "the host's `address`",
        "mesosc sets `--ip`, which excludes this flag",
    ),
    d(
        Agent,
        "advertise_ip",
        "`advertise { ip = … }` in the `{follower}` block",
        ADVERTISE_WHY,
    ),
    d(
        Agent,
        "advertise_port",
        "`advertise { port = … }` in the `{follower}` block",
        ADVERTISE_WHY,
    ),
    d(
        Agent,
        "credential",
        "`follower_principal` and `follower_secret` in the `auth` block",
        "mesosc writes the credential file path; secrets never enter flags",
    ),
    // Marathon
    d(
        Marathon,
        "master",
        "the `{leader}` hosts and the `zookeeper` block",
        "Marathon finds the leaders through the derived zk:// URL",
    ),
    d(
        Marathon,
        "zk",
        "the `zookeeper` block (Marathon's state lives under `/marathon`)",
        ZK_URL_WHY,
    ),
    d(
        Marathon,
        "http_port",
        "the `port` setting of the `marathon` block",
        "ports are checked for clashes on each host",
    ),
    d(
        Marathon,
        "hostname",
        "the host's `hostname` (`host \"m1\" { hostname = \"m1.example.com\" }`; the `address` when unset)",
        "standbys proxy to the leader by this name, and the host's masters and agents advertise the same one",
    ),
    d(
        Marathon,
        "mesos_authentication",
        "`auth { credential \"marathon\" { … } }`",
        "mesosc turns it on when Marathon has a credential",
    ),
    d(
        Marathon,
        "disable_mesos_authentication",
        "`auth { credential \"marathon\" { … } }`",
        "mesosc turns authentication on when Marathon has a credential",
    ),
    d(
        Marathon,
        "mesos_authentication_principal",
        "`auth { credential \"marathon\" { … } }`",
        "the principal is the credential's name",
    ),
    d(
        Marathon,
        "mesos_authentication_secret_file",
        "`auth { credential \"marathon\" { secret = file(…) } }`",
        "mesosc writes the secret file path",
    ),
    d(
        Marathon,
        "mesos_authentication_secret",
        "`auth { credential \"marathon\" { secret = file(…) } }`",
        "a literal secret would end up in the generated files",
    ),
    // ZooKeeper
    d(
        ZooKeeper,
        "dataDir",
        "the `work_dir` setting of the `zookeeper` block",
        "mesosc writes the `myid` file there",
    ),
    d(
        ZooKeeper,
        "clientPort",
        "the `client_port` setting of the `zookeeper` block",
        "the zk:// URLs of Mesos and Marathon use it",
    ),
    d(
        ZooKeeper,
        "server.N",
        "the hosts with the `zookeeper` role (and `peer_port`/`election_port`)",
        "ids and `myid` files follow the declared host order",
    ),
    d(
        ZooKeeper,
        "dynamicConfigFile",
        "the hosts with the `zookeeper` role",
        "mesosc writes the `server.N` lines into zoo.cfg, which a dynamic config file forbids",
    ),
    d(
        ZooKeeper,
        "clientPortAddress",
        "the host's `address`",
        "the client port binds the host's own address, so ensembles can share a machine's ports",
    ),
    d(
        ZooKeeper,
        "admin.serverPort",
        "`admin_port` in the `zookeeper` block",
        "the AdminServer's port takes part in the per-host port check",
    ),
    d(
        ZooKeeper,
        "admin.serverAddress",
        "`admin_port` in the `zookeeper` block (it binds the host's `address`)",
        "mesosc binds the AdminServer to the host's address",
    ),
];

/// The derived-flag entry for `name` (aliases resolve to their current name;
/// ZooKeeper `server.3` resolves to `server.N`).
pub fn derived(program: Program, name: &str) -> Option<&'static Derived> {
    let canonical = table(program)
        .get(name)
        .map_or(name, |f| f.canonical_name());
    DERIVED
        .iter()
        .find(|d| d.program == program && d.flag == canonical)
}

/// The MCL setting the user should use instead of setting `name` by hand,
/// e.g. `work_dir` → "the `work_dir` setting of the `leader` block", with
/// each role named by `word` (the user's word for it); `None` when the flag
/// is the user's to set.
pub fn derived_setting(program: Program, name: &str, word: Word) -> Option<String> {
    derived(program, name).map(|d| in_words(d.setting, word))
}

/// How a message names a role: the user's word for it (`agent` for
/// [`Role::Follower`] in a file that writes `agent`), or [`Role::name`].
pub type Word<'a> = &'a dyn Fn(Role) -> &'static str;

/// `text` with its role placeholders (`{leader}`, `{follower}`) replaced by
/// `word` of each role.
pub fn in_words(text: &str, word: Word) -> String {
    Role::ALL.iter().fold(text.to_owned(), |t, role| {
        t.replace(&format!("{{{}}}", role.name()), word(*role))
    })
}

/// The help for a misspelled flag of `program`: "did you mean …?" over the
/// flags the user may set, and, when a flag mesosc derives is close, the MCL
/// setting that sets it, so that following the help fixes the file in one
/// step (`workdir` in a follower's `flags` → "mesosc sets `work_dir` itself:
/// use the `work_dir` setting of the `follower` block", never "did you mean
/// `work_dir`?", which would only trade the error for `derived_flag`).
pub fn flag_help(program: Program, name: &str, word: Word) -> Option<String> {
    let near = table(program).nearest(name);
    let (derived, free): (Vec<&str>, Vec<&str>) =
        near.iter().partition(|c| derived(program, c).is_some());
    let free_help = crate::suggest::phrase(&free);
    let Some(flag) = derived.first() else {
        return free_help;
    };
    let setting = derived_setting(program, flag, word).unwrap_or_default();
    let pointer = format!("mesosc sets `{flag}` itself: use {setting}");
    Some(match free_help {
        // The closest flag is derived: its setting comes first.
        Some(other) if near.first() == Some(flag) => format!("{pointer}; or {other}"),
        Some(other) => format!("{other} ({pointer})"),
        None => pointer,
    })
}
