//! Diagnostics about what the cluster means: flags against the real flag
//! tables, topology, ports, authentication and profiles. Codes are
//! `mcl::check::<name>`, like the rest of the check stage.

use miette::Diagnostic;
use thiserror::Error;

use crate::span::Span;

/// A diagnostic about the meaning of the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error, Diagnostic)]
pub enum ModelError {
    /// A flag the program does not have. Mesos silently ignores unknown
    /// `MESOS_*` variables, so this typo would otherwise ship.
    ///
    /// ```mcl
    /// follower { flags { workdir = "/var/lib/mesos" } }
    /// ```
    #[error("unknown {program} flag `{name}`")]
    #[diagnostic(code(mcl::check::unknown_flag))]
    UnknownFlag {
        /// The program (`mesos-agent`).
        program: String,
        /// The flag.
        name: String,
        /// Where.
        #[label("{program} has no such flag")]
        span: Span,
        /// The nearest flags.
        #[help]
        help: Option<String>,
    },

    /// A flag value the program would reject (or misread).
    ///
    /// ```mcl
    /// leader { flags { offer_timeout = "10sec" } }
    /// ```
    #[error("invalid value for `{name}`: {message}")]
    #[diagnostic(code(mcl::check::invalid_flag_value))]
    InvalidFlagValue {
        /// The flag.
        name: String,
        /// What is wrong.
        message: String,
        /// Where.
        #[label("{expected}")]
        span: Span,
        /// What the flag takes, e.g. "a duration".
        expected: String,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// A flag that the declared version does not have yet.
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.0.0" }
    /// leader { flags { min_allocatable_resources = "cpus:0.1|mem:32" } }
    /// ```
    #[error("`{name}` is not available in {program} {target}")]
    #[diagnostic(code(mcl::check::flag_too_new))]
    FlagTooNew {
        /// The program.
        program: String,
        /// The flag.
        name: String,
        /// The declared version.
        target: String,
        /// Where.
        #[label("added in {since}")]
        span: Span,
        /// The first version that has it.
        since: String,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// A flag that was removed at or before the declared version.
    ///
    /// ```mcl
    /// marathon { flags { artifact_store = "hdfs://x" } }
    /// ```
    #[error("`{name}` was removed in {program} {removed}")]
    #[diagnostic(code(mcl::check::flag_removed))]
    FlagRemoved {
        /// The program.
        program: String,
        /// The flag.
        name: String,
        /// The version that removed it.
        removed: String,
        /// Where.
        #[label("removed")]
        span: Span,
        /// The replacement, when there is one.
        #[help]
        help: Option<String>,
    },

    /// A deprecated flag or old spelling: still accepted, but on its way out.
    ///
    /// ```mcl
    /// leader { flags { max_slave_ping_timeouts = 5 } }
    /// ```
    #[error("{message}")]
    #[diagnostic(code(mcl::check::deprecated_flag), severity(Warning))]
    DeprecatedFlag {
        /// What is deprecated, and since when.
        message: String,
        /// Where.
        #[label("deprecated")]
        span: Span,
        /// The replacement or hint.
        #[help]
        help: Option<String>,
    },

    /// Both the old and the new spelling of one flag: the program refuses to start.
    ///
    /// ```mcl
    /// leader { flags { max_slave_ping_timeouts = 5  max_agent_ping_timeouts = 5 } }
    /// ```
    #[error("`{old}` and `{new}` are the same flag")]
    #[diagnostic(
        code(mcl::check::flag_set_twice),
        help("keep `{new}` only; giving a flag twice makes the program exit")
    )]
    FlagSetTwice {
        /// The old spelling.
        old: String,
        /// The new spelling.
        new: String,
        /// The old one.
        #[label("old spelling")]
        first: Span,
        /// The new one.
        #[label("new spelling")]
        second: Span,
    },

    /// A flag that mesosc computes itself, set by hand.
    ///
    /// ```mcl
    /// leader { flags { quorum = 2 } }
    /// ```
    #[error("mesosc sets `{name}` itself")]
    #[diagnostic(code(mcl::check::derived_flag), help("use {instead}"))]
    DerivedFlag {
        /// The flag.
        name: String,
        /// The MCL setting to use instead.
        instead: String,
        /// Where.
        #[label("derived from the cluster description")]
        span: Span,
    },

    /// A flag that only exists on some platforms or builds of the program.
    ///
    /// ```mcl
    /// follower { flags { ephemeral_ports_per_container = 1024 } }
    /// ```
    #[error("`{name}` only exists {condition}")]
    #[diagnostic(code(mcl::check::platform_flag), severity(Warning))]
    PlatformFlag {
        /// The flag.
        name: String,
        /// The condition ("on Linux builds", "when Mesos is built with --enable-ssl").
        condition: String,
        /// Where.
        #[label("conditional flag")]
        span: Span,
        /// What happens elsewhere.
        #[help]
        help: Option<String>,
    },

    /// Two flags that the program refuses together, or one that needs another.
    ///
    /// ```mcl
    /// leader { flags { modules = "{\"libraries\": []}"  modules_dir = "/etc/mesos/modules" } }
    /// ```
    #[error("{message}")]
    #[diagnostic(code(mcl::check::flag_conflict))]
    FlagConflict {
        /// What is wrong.
        message: String,
        /// Where.
        #[label("here")]
        span: Span,
        /// The other flag, when there is one.
        #[label("and here")]
        other: Option<Span>,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// A resources or attributes value that Mesos would reject.
    ///
    /// ```mcl
    /// follower { resources { ports = [31000..32000, 31500..33000] } }
    /// ```
    #[error("invalid {what}: {message}")]
    #[diagnostic(code(mcl::check::invalid_resources))]
    InvalidResources {
        /// "resources" or "attributes".
        what: String,
        /// What is wrong.
        message: String,
        /// Where.
        #[label("here")]
        span: Span,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// A resource name Mesos does not predefine, close to one it does:
    /// almost always a typo (`cpu` for `cpus`). Custom resources are legal.
    ///
    /// ```mcl
    /// follower { flags { resources = "cpu:4;mem:8192" } }
    /// ```
    #[error("unknown resource `{name}`")]
    #[diagnostic(code(mcl::check::unknown_resource), severity(Warning))]
    UnknownResource {
        /// The name.
        name: String,
        /// Where.
        #[label("Mesos offers this as a custom resource")]
        span: Span,
        /// The suggestion.
        #[help]
        help: Option<String>,
    },

    /// A cluster with followers or Marathon but no leader.
    ///
    /// ```mcl
    /// host "a" { address = "10.0.0.1" roles = [follower] }
    /// ```
    #[error("the cluster has no {leader}")]
    #[diagnostic(
        code(mcl::check::no_leader),
        help("give at least one host the `{leader}` role (three for high availability)")
    )]
    NoLeader {
        /// The cluster block.
        #[label("no host has the `{leader}` role")]
        span: Span,
        /// The user's word for the role (`leader` or `master`).
        leader: &'static str,
    },

    /// An even number of leaders or ZooKeeper servers: a majority of an even
    /// number tolerates no more failures than one fewer node.
    ///
    /// ```mcl
    /// for n in 1..2 { host "m${n}" { address = "10.0.0.${n}" roles = [leader, zookeeper] } }
    /// ```
    #[error("{count} {what}: an even number tolerates no more failures than {less}")]
    #[diagnostic(
        code(mcl::check::even_quorum),
        severity(Warning),
        help("use 3 or 5 {what}")
    )]
    EvenQuorum {
        /// "leaders" or "ZooKeeper servers".
        what: String,
        /// How many.
        count: usize,
        /// One fewer.
        less: usize,
        /// The hosts.
        #[label(collection, "one of them")]
        hosts: crate::diagnostic::Labels,
    },

    /// A single leader: the cluster stops when that host does.
    ///
    /// ```mcl
    /// host "m" { address = "10.0.0.1" roles = [leader, zookeeper] }
    /// ```
    #[error("only one {leader}: the cluster is not highly available")]
    #[diagnostic(
        code(mcl::check::single_leader),
        severity(Warning),
        help("fine for development; production clusters run 3 or 5 {leader}s")
    )]
    SingleLeader {
        /// The leader.
        #[label("the only {leader}")]
        span: Span,
        /// The user's word for the role (`leader` or `master`).
        leader: &'static str,
    },

    /// An explicit `quorum` that is not a majority of the leaders.
    ///
    /// ```mcl
    /// leader { quorum = 1 }   # with 3 leaders
    /// ```
    #[error("quorum {given} is not a majority of {leaders} {leader}s")]
    #[diagnostic(code(mcl::check::quorum_not_majority), help("{help}"))]
    QuorumNotMajority {
        /// The given value.
        given: i64,
        /// How many leaders.
        leaders: usize,
        /// The user's word for the role (`leader` or `master`).
        leader: &'static str,
        /// The fix.
        help: String,
        /// Where.
        #[label("a majority is {computed} to {leaders}")]
        span: Span,
        /// floor(n/2)+1.
        computed: usize,
    },

    /// Two ZooKeeper servers with one id: zoo.cfg would get two `server.N`
    /// lines (java.util.Properties keeps the last, `QuorumPeerConfig.java`)
    /// and two hosts the same `myid`, so one server never joins.
    ///
    /// ```mcl
    /// host "z1" { address = "10.0.0.1"  roles = [zookeeper]  zookeeper { id = 2 } }
    /// host "z2" { address = "10.0.0.2"  roles = [zookeeper]  zookeeper { id = 2 } }
    /// ```
    #[error("ZooKeeper id {id} is given to both `{first_host}` and `{second_host}`")]
    #[diagnostic(code(mcl::check::duplicate_zookeeper_id))]
    DuplicateZookeeperId {
        /// The id.
        id: u32,
        /// Where the first host gets it.
        #[label("`{first_host}` gets {id} here")]
        first: Span,
        /// The first host.
        first_host: String,
        /// Where the second host gets it.
        #[label("`{second_host}` too")]
        second: Span,
        /// The second host.
        second_host: String,
        /// The fix.
        #[help]
        help: Option<String>,
    },

    /// An external ZooKeeper server named twice in `zookeeper { hosts }`:
    /// the client would count it twice in its connection string, and the
    /// list no longer says how many servers the ensemble has.
    ///
    /// ```mcl
    /// zookeeper { hosts = ["zk1:2181", "zk2:2181", "zk1:2181"] }
    /// ```
    #[error("the ZooKeeper server `{server}` is listed twice")]
    #[diagnostic(
        code(mcl::check::duplicate_zookeeper_host),
        help("list each server of the external ensemble once")
    )]
    DuplicateZookeeperHost {
        /// The `host:port` entry.
        server: String,
        /// The first entry.
        #[label("first here")]
        first: Span,
        /// The repeated entry.
        #[label("again here")]
        second: Span,
    },

    /// A Mesos or Marathon version that was never released: no package or
    /// image has it, so the flag tables cannot say what it accepts. The
    /// releases are the projects' release tags (`data/releases.tsv`).
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.12.0" }
    /// ```
    #[error("{program} {version} was never released")]
    #[diagnostic(code(mcl::check::unreleased_version))]
    UnreleasedVersion {
        /// `Mesos` or `Marathon`.
        program: String,
        /// The declared version.
        version: String,
        /// Where.
        #[label("no {program} release has this number")]
        span: Span,
        /// The nearest releases.
        #[help]
        help: Option<String>,
    },

    /// The cluster asks for a mesosc release this one is not
    /// (`cluster { mesosc = "…" }`, a Cargo-style version requirement).
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.11.0"  mesosc = ">= 99.0" }
    /// ```
    #[error("this description needs mesosc {required}, and this is mesosc {running}")]
    #[diagnostic(code(mcl::check::mesosc_version))]
    MesoscVersion {
        /// The requirement as written.
        required: String,
        /// This mesosc's version.
        running: String,
        /// The requirement.
        #[label("not met by mesosc {running}")]
        span: Span,
        /// The fix.
        #[help]
        help: Option<String>,
    },

    /// An entry that changes nothing where it is written: mesosc did not
    /// read it (a key for docker on a native service, a block of a role no
    /// host has, a template no host uses, a key of an output or an `auth`
    /// switch that is off), or the program ignores it. The message says
    /// why and where it was written (cluster-wide, host, template,
    /// environment); `mesosc fix` and the editor's code action remove it.
    ///
    /// ```mcl
    /// leader { network = bridge  advertise { libprocess_port = 9100 } }
    /// ```
    #[error("{message}")]
    #[diagnostic(code(mcl::check::no_effect), severity(Warning))]
    NoEffect {
        /// What has no effect, and why.
        message: String,
        /// Where.
        #[label("no effect")]
        span: Span,
        /// The whole entry, which `mesosc fix` removes.
        entry: Span,
        /// The fix.
        #[help]
        help: Option<String>,
    },

    /// An IPv6 address where Mesos needs IPv4: libprocess binds only IPv4
    /// (`3rdparty/libprocess/src/process.cpp`), and the ZooKeeper C client
    /// bundled with Mesos cannot parse a bracketed IPv6 server in `zk://`.
    ///
    /// ```mcl
    /// host "m6" { address = "fd00::1"  roles = [zookeeper, leader] }
    /// ```
    #[error("`{host}` has an IPv6 address: {why}")]
    #[diagnostic(
        code(mcl::check::ipv6_address),
        help("give the host an IPv4 address (a dual-stack host has one)")
    )]
    Ipv6Address {
        /// The host.
        host: String,
        /// Why it cannot work.
        why: String,
        /// The address.
        #[label("IPv6")]
        span: Span,
    },

    /// A Marathon release that exits on the declared Mesos master: Marathon
    /// checks the master's version when it registers (`LibMesos.scala`,
    /// `MesosMasterMinimumVersion`: 1.1.0 from Marathon 1.4, 1.5.0 from 1.7).
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.4.0"  marathon = "1.10.26" }
    /// ```
    #[error("Marathon {marathon} needs Mesos {minimum} or newer, not {mesos}")]
    #[diagnostic(code(mcl::check::incompatible_versions))]
    IncompatibleVersions {
        /// The declared Marathon.
        marathon: String,
        /// The declared Mesos.
        mesos: String,
        /// The oldest Mesos it accepts.
        minimum: String,
        /// The Marathon version.
        #[label("exits on a Mesos {mesos} master")]
        span: Span,
        /// The fix.
        #[help]
        help: Option<String>,
    },

    /// More ZooKeeper servers than ids allow.
    ///
    /// ```mcl
    /// for n in 1..300 { host "z${n}" { address = "10.0.${n / 200}.${n % 200}" roles = [zookeeper] } }
    /// ```
    #[error("{count} ZooKeeper servers; the limit is 255")]
    #[diagnostic(
        code(mcl::check::too_many_zookeepers),
        help("run 3 or 5 servers; ZooKeeper ids are 1–255")
    )]
    TooManyZookeepers {
        /// How many.
        count: usize,
        /// The 256th server.
        #[label("server 256")]
        span: Span,
    },

    /// Marathon on a cluster without leaders.
    ///
    /// ```mcl
    /// host "a" { address = "10.0.0.1" roles = [zookeeper, marathon] }
    /// ```
    #[error("Marathon needs a Mesos {leader}")]
    #[diagnostic(
        code(mcl::check::marathon_without_leader),
        help("give a host the `{leader}` role")
    )]
    MarathonWithoutLeader {
        /// The Marathon host.
        #[label("Marathon runs here")]
        span: Span,
        /// The user's word for the role (`leader` or `master`).
        leader: &'static str,
    },

    /// No ZooKeeper for several leaders: no host with the `zookeeper` role
    /// and no external ensemble (a single leader runs standalone instead).
    ///
    /// ```mcl
    /// host "m1" { address = "10.0.0.1" roles = [leader] }
    /// host "m2" { address = "10.0.0.2" roles = [leader] }
    /// host "m3" { address = "10.0.0.3" roles = [leader] }
    /// ```
    #[error("the cluster has no ZooKeeper")]
    #[diagnostic(
        code(mcl::check::no_zookeeper),
        help(
            "give hosts the `zookeeper` role, or name an external ensemble: `zookeeper {{ hosts = [\"zk1:2181\"] }}`"
        )
    )]
    NoZookeeper {
        /// The first leader.
        #[label("this {leader} needs ZooKeeper")]
        span: Span,
        /// The user's word for the role (`leader` or `master`).
        leader: &'static str,
    },

    /// A single leader without ZooKeeper: it runs standalone, as Mesos'
    /// getting-started guide does, and agents reach it at `HOST:PORT`. It
    /// cannot fail over, and its state lives on that one host.
    ///
    /// ```mcl
    /// host "m" { address = "10.0.0.1"  roles = [leader] }
    /// host "a" { address = "10.0.0.2"  roles = [follower] }
    /// ```
    #[error("the {leader} runs standalone, without ZooKeeper")]
    #[diagnostic(
        code(mcl::check::standalone_master),
        severity(Warning),
        help(
            "fine for trying Mesos out; for a cluster that survives a host, give hosts the `zookeeper` role or name an external ensemble: `zookeeper {{ hosts = [\"zk1:2181\"] }}`"
        )
    )]
    StandaloneMaster {
        /// The leader.
        #[label("{follower}s reach this {leader} at its address")]
        span: Span,
        /// The user's word for the role (`leader` or `master`).
        leader: &'static str,
        /// The user's word for the followers (`follower` or `agent`).
        follower: &'static str,
    },

    /// Marathon without ZooKeeper: it keeps its state and its leader
    /// election in ZooKeeper (`--zk`, `ZookeeperConf.scala`) and has no
    /// standalone mode.
    ///
    /// ```mcl
    /// host "m" { address = "10.0.0.1"  roles = [leader, marathon] }
    /// ```
    #[error("Marathon needs ZooKeeper")]
    #[diagnostic(
        code(mcl::check::marathon_without_zookeeper),
        help(
            "give hosts the `zookeeper` role, or name an external ensemble: `zookeeper {{ hosts = [\"zk1:2181\"] }}`"
        )
    )]
    MarathonWithoutZookeeper {
        /// The Marathon host.
        #[label("Marathon keeps its state in ZooKeeper")]
        span: Span,
    },

    /// Two listeners on one host with the same port.
    ///
    /// ```mcl
    /// host "c" { address = "10.0.0.1" roles = [leader, marathon] leader { port = 8080 } }
    /// ```
    #[error("port {port} is used twice on host `{host}`")]
    #[diagnostic(code(mcl::check::port_conflict))]
    PortConflict {
        /// The host.
        host: String,
        /// The port.
        port: u16,
        /// The first listener.
        #[label("{first_what}")]
        first: Span,
        /// What listens first.
        first_what: String,
        /// The second listener.
        #[label("{second_what}")]
        second: Span,
        /// What listens second.
        second_what: String,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// A follower offering to tasks a port that a service on its host listens on.
    ///
    /// ```mcl
    /// host "c" { address = "10.0.0.1" roles = [leader, follower]
    ///            follower { resources { ports = [5000..6000] } } }
    /// ```
    #[error("{follower} on `{host}` offers port {port}, which {what} listens on")]
    #[diagnostic(
        code(mcl::check::offered_port_conflict),
        help("leave the service's port out of the offered ranges")
    )]
    OfferedPortConflict {
        /// The host.
        host: String,
        /// The port.
        port: u16,
        /// The listener.
        what: String,
        /// The offered range.
        #[label("offered to tasks here")]
        range: Span,
        /// The listener's port.
        #[label("{what} listens here")]
        listener: Span,
        /// The user's word for the role (`follower` or `agent`).
        follower: &'static str,
    },

    /// Two services of one host sharing a work directory.
    ///
    /// ```mcl
    /// host "c" { address = "10.0.0.1" roles = [leader, follower]
    ///            leader { work_dir = "/var/lib/mesos" } follower { work_dir = "/var/lib/mesos" } }
    /// ```
    #[error("`{dir}` is the work directory of two services on host `{host}`")]
    #[diagnostic(
        code(mcl::check::shared_work_dir),
        help("give each service its own work_dir")
    )]
    SharedWorkDir {
        /// The host.
        host: String,
        /// The directory.
        dir: String,
        /// The first.
        #[label("here")]
        first: Span,
        /// The second.
        #[label("and here")]
        second: Span,
    },

    /// Framework authentication on, but no framework credential.
    ///
    /// ```mcl
    /// auth { frameworks = true }
    /// ```
    #[error("framework authentication needs at least one credential")]
    #[diagnostic(
        code(mcl::check::auth_missing_credential),
        help(
            "add `credential \"marathon\" {{ secret = file(\"/etc/mesos/secrets/marathon\") }}` to `auth`"
        )
    )]
    AuthMissingCredential {
        /// The setting.
        #[label("frameworks must authenticate")]
        span: Span,
    },

    /// Follower authentication on, but no secret for the followers.
    ///
    /// ```mcl
    /// auth { followers = true }
    /// ```
    #[error("{follower} authentication needs a `follower_secret`")]
    #[diagnostic(
        code(mcl::check::auth_missing_follower_secret),
        help("add `follower_secret = file(\"/etc/mesos/secrets/follower\")` to `auth`")
    )]
    AuthMissingFollowerSecret {
        /// The setting.
        #[label("{follower}s must authenticate")]
        span: Span,
        /// The user's word for the role (`follower` or `agent`).
        follower: &'static str,
    },

    /// A secret written as a literal string: it would end up in git.
    ///
    /// ```mcl
    /// auth { followers = true  follower_secret = "hunter2" }
    /// ```
    #[error("secret written as a literal")]
    #[diagnostic(
        code(mcl::check::literal_secret),
        help(
            "keep the secret in a file on the host and reference it: `file(\"/etc/mesos/secrets/…\")`"
        )
    )]
    LiteralSecret {
        /// Where.
        #[label("this would be written into the generated files")]
        span: Span,
    },

    /// A profile that needs a newer version than the one declared.
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.1.0" }
    /// follower { profiles = [owca] }
    /// ```
    #[error("profile `{profile}` needs {program} {needs} or newer")]
    #[diagnostic(
        code(mcl::check::profile_version),
        help("declare `mesos = \"{needs}\"` or newer")
    )]
    ProfileVersion {
        /// The profile.
        profile: String,
        /// The program.
        program: String,
        /// The minimum version.
        needs: String,
        /// Where the profile is enabled.
        #[label("enabled here")]
        span: Span,
    },

    /// A user setting that contradicts what a profile needs.
    ///
    /// ```mcl
    /// follower { profiles = [owca]  flags { containerizers = "docker,mesos" } }
    /// ```
    #[error("profile `{profile}` needs `{flag}` = `{needs}`")]
    #[diagnostic(code(mcl::check::profile_conflict))]
    ProfileConflict {
        /// The profile.
        profile: String,
        /// The flag.
        flag: String,
        /// What the profile needs.
        needs: String,
        /// The user's setting.
        #[label("set to `{given}` here")]
        span: Span,
        /// The user's value.
        given: String,
        /// Where the profile is enabled.
        #[label("profile enabled here")]
        profile_span: Span,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// A profile MCL does not know.
    ///
    /// ```mcl
    /// follower { profiles = [ocwa] }
    /// ```
    #[error("unknown profile `{name}`")]
    #[diagnostic(code(mcl::check::unknown_profile))]
    UnknownProfile {
        /// The name.
        name: String,
        /// Where.
        #[label("not a profile")]
        span: Span,
        /// A suggestion.
        #[help]
        help: Option<String>,
    },

    /// A diagnostic about a CoreOS deployment (outputs with fleet; etcd,
    /// fleet and update settings): see [`super::coreos_error::CoreosError`].
    #[error(transparent)]
    #[diagnostic(transparent)]
    Coreos(#[from] super::coreos_error::CoreosError),
}
