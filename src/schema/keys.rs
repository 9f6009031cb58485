//! The key schema: every key of every MCL block, in one table.
//!
//! For each key: the block it belongs to, its value kind, whether it takes a
//! label (`credential "marathon" { … }`), where it may be written
//! ([`Places`]), what it applies to ([`Applies`]), its default and a
//! one-line doc. The model builder checks written keys against it (unknown
//! keys, labels, placement), the language server completes and explains
//! from it, and `docs/src/reference/keys.md` is generated from it
//! ([`reference`]).
//!
//! Blocks whose keys are not MCL's own (`flags`, `settings`, `resources`,
//! `attributes`, `metadata`) are [`Kind::Open`]: their keys are checked
//! against the programs' flag tables or are free-form.

use std::fmt::Write as _;

use super::Role;
use super::consts::{
    ETCD_CLIENT_PORT, ETCD_PEER_PORT, MARATHON_HTTP_PORT, MESOS_AGENT_PORT, MESOS_MASTER_PORT,
    ZK_CLIENT_PORT, ZK_ELECTION_PORT, ZK_QUORUM_PORT,
};

/// A block of MCL that has keys of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Block {
    /// `cluster "name" { … }`.
    Cluster,
    /// `host "name" { … }` and `template name { … }`.
    Host,
    /// `zookeeper { … }`.
    Zookeeper,
    /// `leader { … }` (alias `master`).
    Leader,
    /// `follower { … }` (alias `agent`).
    Follower,
    /// `marathon { … }`.
    Marathon,
    /// `advertise { … }` inside a service block.
    Advertise,
    /// `tls { … }` inside a leader, follower or Marathon block.
    Tls,
    /// A host's `fleet { … }`.
    Fleet,
    /// `auth { … }`.
    Auth,
    /// `credential "principal" { … }` inside `auth`.
    Credential,
    /// `owca { … }`.
    Owca,
    /// `service "name" { … }`.
    Service,
    /// `etcd { … }`: the etcd cluster of CoreOS hosts.
    Etcd,
    /// `update { … }`: how CoreOS hosts reboot into updates.
    Update,
}

impl Block {
    /// Every block, in reference order.
    pub const ALL: [Block; 15] = [
        Block::Cluster,
        Block::Host,
        Block::Zookeeper,
        Block::Leader,
        Block::Follower,
        Block::Marathon,
        Block::Advertise,
        Block::Tls,
        Block::Fleet,
        Block::Auth,
        Block::Credential,
        Block::Owca,
        Block::Service,
        Block::Etcd,
        Block::Update,
    ];

    /// The block's MCL name.
    pub const fn name(self) -> &'static str {
        match self {
            Block::Cluster => "cluster",
            Block::Host => "host",
            Block::Zookeeper => "zookeeper",
            Block::Leader => "leader",
            Block::Follower => "follower",
            Block::Marathon => "marathon",
            Block::Advertise => "advertise",
            Block::Tls => "tls",
            Block::Fleet => "fleet",
            Block::Auth => "auth",
            Block::Credential => "credential",
            Block::Owca => "owca",
            Block::Service => "service",
            Block::Etcd => "etcd",
            Block::Update => "update",
        }
    }

    /// The block of a role's service.
    pub const fn of_role(role: Role) -> Block {
        match role {
            Role::Zookeeper => Block::Zookeeper,
            Role::Leader => Block::Leader,
            Role::Follower => Block::Follower,
            Role::Marathon => Block::Marathon,
        }
    }
}

/// What a key's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    Str,
    /// An absolute path.
    Path,
    /// An integer.
    Int,
    /// A TCP port, 1 to 65535.
    Port,
    /// A port or a list of ports.
    Ports,
    /// `true` or `false`.
    Bool,
    /// An IPv4 or IPv6 address.
    Address,
    /// A version such as `"1.11.0"`.
    Version,
    /// A duration in Mesos' units (`30secs`).
    Duration,
    /// `file("/absolute/path")`: a secret that stays on the host.
    Secret,
    /// One of the given words.
    Word(&'static [&'static str]),
    /// A list of the given words (or of names, when empty).
    Words(&'static [&'static str]),
    /// A list of strings.
    Strings,
    /// `auto` or an integer.
    AutoInt,
    /// A block of MCL keys.
    Block(Block),
    /// A block whose keys are checked elsewhere (flag tables) or free-form.
    Open(&'static str),
}

impl Kind {
    /// How the reference describes it.
    pub fn describe(self) -> String {
        let words = |w: &[&str]| {
            w.iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(" \\| ")
        };
        match self {
            Kind::Str => "string".into(),
            Kind::Path => "absolute path".into(),
            Kind::Int => "integer".into(),
            Kind::Port => "port".into(),
            Kind::Ports => "port or list of ports".into(),
            Kind::Bool => "`true` \\| `false`".into(),
            Kind::Address => "IP address".into(),
            Kind::Version => "version string".into(),
            Kind::Duration => "duration".into(),
            Kind::Secret => "`file(\"/path\")`".into(),
            Kind::Word(w) => words(w),
            Kind::Words([]) => "list of names".into(),
            Kind::Words(w) => format!("list of {}", words(w)),
            Kind::Strings => "list of strings".into(),
            Kind::AutoInt => "`auto` \\| integer".into(),
            Kind::Block(b) => format!("block (`{}`)", b.name()),
            Kind::Open(what) => format!("block ({what})"),
        }
    }
}

/// Where a key may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Places {
    /// Cluster-wide, in a host or template, and in environment overlays.
    Anywhere,
    /// Only in the cluster-wide block (at top level, or at the top level of
    /// an environment overlay): it describes the whole cluster.
    ClusterWide,
}

impl Places {
    /// Whether a key with these places may be written in a host or template.
    pub const fn per_host(self) -> bool {
        matches!(self, Places::Anywhere)
    }

    /// How the reference says it.
    pub const fn describe(self) -> &'static str {
        match self {
            Places::Anywhere => "anywhere",
            Places::ClusterWide => "cluster-wide only",
        }
    }
}

/// What must hold for a key to take effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// Always (where the block itself applies).
    Always,
    /// The service runs natively.
    Native,
    /// The service runs in a docker container.
    Docker,
    /// The service runs in a docker container on a bridge network.
    Bridge,
    /// With the named output on.
    Output(&'static str),
    /// With the named `auth` switch on (`frameworks` or `followers`).
    Auth(&'static str),
}

impl Applies {
    /// How the reference says it.
    pub fn describe(self) -> String {
        match self {
            Applies::Always => "always".into(),
            Applies::Native => "native runtime".into(),
            Applies::Docker => "docker runtime".into(),
            Applies::Bridge => "docker, bridge network".into(),
            Applies::Output(o) => format!("output `{o}`"),
            Applies::Auth(a) => format!("`auth {{ {a} = true }}`"),
        }
    }
}

/// One key of one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The block.
    pub block: Block,
    /// The key.
    pub name: &'static str,
    /// Its value.
    pub kind: Kind,
    /// Whether it is a labelled block (`credential "marathon" { … }`).
    pub label: bool,
    /// Where it may be written.
    pub places: Places,
    /// When it takes effect.
    pub applies: Applies,
    /// Its default, as the reference shows it.
    pub default: Option<&'static str>,
    /// One line of documentation.
    pub doc: &'static str,
    /// Names people write for this key that mean it (ZooKeeper's `port` is
    /// `client_port`): an unknown key that matches one suggests this key.
    pub also: &'static [&'static str],
}

const fn k(block: Block, name: &'static str, kind: Kind, doc: &'static str) -> Key {
    Key {
        block,
        name,
        kind,
        label: false,
        places: Places::Anywhere,
        applies: Applies::Always,
        default: None,
        doc,
        also: &[],
    }
}

impl Key {
    const fn cluster_wide(mut self) -> Key {
        self.places = Places::ClusterWide;
        self
    }
    const fn labelled(mut self) -> Key {
        self.label = true;
        self
    }
    const fn when(mut self, applies: Applies) -> Key {
        self.applies = applies;
        self
    }
    const fn default(mut self, default: &'static str) -> Key {
        self.default = Some(default);
        self
    }
    const fn also(mut self, also: &'static [&'static str]) -> Key {
        self.also = also;
        self
    }
}

/// The role names `roles = [ … ]` accepts, aliases included.
pub const ROLE_NAMES: &[&str] = &[
    "agent",
    "follower",
    "leader",
    "marathon",
    "master",
    "zookeeper",
];

const RUNTIMES: &[&str] = &["native", "docker"];
const NETWORKS: &[&str] = &["host", "bridge"];
const OUTPUTS: &[&str] = &["systemd", "fleet", "cloud-config"];
/// CoreOS' settings reach the hosts through the cloud-config (its `coreos`
/// flavour).
const COREOS: Applies = Applies::Output("cloud-config");
/// `update.reboot-strategy` as coreos-cloudinit v1.14.0 validates it
/// (`config/update.go`; `best-effort` was removed there).
pub const REBOOT_STRATEGIES: &[&str] = &["etcd-lock", "reboot", "off"];

/// The keys every role's block has, for `block`, with its defaults.
macro_rules! service_keys {
    ($block:expr, $work_dir:expr) => {
        [
            k(
                $block,
                "runtime",
                Kind::Word(RUNTIMES),
                "how the service runs; overrides the cluster's `runtime`",
            )
            .default("the cluster's `runtime`"),
            k(
                $block,
                "command",
                Kind::Str,
                "the binary a native unit runs",
            )
            .when(Applies::Native),
            k($block, "image", Kind::Str, "the docker image the unit runs").when(Applies::Docker),
            k(
                $block,
                "network",
                Kind::Word(NETWORKS),
                "the container's network",
            )
            .when(Applies::Docker)
            .default("host"),
            k(
                $block,
                "advertise",
                Kind::Block(Block::Advertise),
                "the address and ports a bridged container advertises",
            )
            .when(Applies::Bridge),
            k(
                $block,
                "work_dir",
                Kind::Path,
                "the service's state directory",
            )
            .default($work_dir),
            k(
                $block,
                "log_dir",
                Kind::Path,
                "where the service writes its logs",
            ),
        ]
    };
}

const ZK: Block = Block::Zookeeper;
const LEADER: Block = Block::Leader;
const FOLLOWER: Block = Block::Follower;
const MARATHON: Block = Block::Marathon;

const fn port_text(port: u16) -> &'static str {
    match port {
        MESOS_MASTER_PORT => "5050",
        MESOS_AGENT_PORT => "5051",
        MARATHON_HTTP_PORT => "8080",
        ZK_CLIENT_PORT => "2181",
        ZK_QUORUM_PORT => "2888",
        ZK_ELECTION_PORT => "3888",
        ETCD_CLIENT_PORT => "2379",
        ETCD_PEER_PORT => "2380",
        _ => "",
    }
}

const ZK_COMMON: [Key; 7] = service_keys!(ZK, Role::Zookeeper.default_work_dir());
const LEADER_COMMON: [Key; 7] = service_keys!(LEADER, Role::Leader.default_work_dir());
const FOLLOWER_COMMON: [Key; 7] = service_keys!(FOLLOWER, Role::Follower.default_work_dir());
const MARATHON_COMMON: [Key; 7] = service_keys!(MARATHON, Role::Marathon.default_work_dir());

const PORT_DOC: &str = "the port the service listens on";

const OWN: &[Key] = &[
    // cluster
    k(
        Block::Cluster,
        "mesos",
        Kind::Version,
        "the Mesos version the hosts run; selects the flag tables",
    ),
    k(
        Block::Cluster,
        "marathon",
        Kind::Version,
        "the Marathon version",
    )
    .default("the newest in the tables"),
    k(
        Block::Cluster,
        "zookeeper",
        Kind::Version,
        "the ZooKeeper version",
    )
    .default("the newest in the tables"),
    k(
        Block::Cluster,
        "runtime",
        Kind::Word(RUNTIMES),
        "how services run unless their block says",
    )
    .default("native"),
    k(
        Block::Cluster,
        "outputs",
        Kind::Words(OUTPUTS),
        "what a build writes",
    )
    .default("[systemd]"),
    k(
        Block::Cluster,
        "cloud_config",
        Kind::Word(&["cloud-init", "coreos"]),
        "the flavour of the cloud-config output",
    )
    .when(Applies::Output("cloud-config"))
    .default("cloud-init"),
    k(
        Block::Cluster,
        "environment",
        Kind::Str,
        "the environment overlay to apply; `--env` overrides",
    ),
    k(
        Block::Cluster,
        "mesosc",
        Kind::Str,
        "the mesosc releases this description is written for: a Cargo-style version requirement (`\">= 0.2\"`)",
    ),
    // host
    k(Block::Host, "address", Kind::Address, "the host's address"),
    k(
        Block::Host,
        "hostname",
        Kind::Str,
        "the host's DNS name: the `--hostname` of its Mesos master, agent and Marathon",
    )
    .default("none: Marathon advertises the address, Mesos the reverse DNS name of it"),
    k(
        Block::Host,
        "roles",
        Kind::Words(ROLE_NAMES),
        "the services the host runs",
    ),
    k(
        Block::Host,
        "fleet",
        Kind::Block(Block::Fleet),
        "the host's fleet settings",
    ),
    k(
        Block::Host,
        "etcd",
        Kind::Block(Block::Etcd),
        "the host's etcd member settings",
    )
    .when(COREOS),
    k(
        Block::Host,
        "update",
        Kind::Block(Block::Update),
        "how the host reboots into CoreOS updates",
    )
    .when(COREOS),
    k(
        Block::Host,
        "zookeeper",
        Kind::Block(ZK),
        "ZooKeeper settings of this host",
    ),
    k(
        Block::Host,
        "leader",
        Kind::Block(LEADER),
        "leader settings of this host",
    ),
    k(
        Block::Host,
        "follower",
        Kind::Block(FOLLOWER),
        "follower settings of this host",
    ),
    k(
        Block::Host,
        "marathon",
        Kind::Block(MARATHON),
        "Marathon settings of this host",
    ),
    k(
        Block::Host,
        "owca",
        Kind::Block(Block::Owca),
        "OWCA settings of this host",
    ),
    // zookeeper
    k(ZK, "client_port", Kind::Port, "the port clients connect to")
        .default(port_text(ZK_CLIENT_PORT))
        .also(&["port"]),
    k(
        ZK,
        "peer_port",
        Kind::Port,
        "the quorum port of `server.N` lines",
    )
    .default(port_text(ZK_QUORUM_PORT)),
    k(
        ZK,
        "election_port",
        Kind::Port,
        "the leader-election port of `server.N` lines",
    )
    .default(port_text(ZK_ELECTION_PORT)),
    k(ZK, "admin_port", Kind::Port, "the AdminServer's port").default("8080 (AdminServer on)"),
    k(ZK, "id", Kind::Int, "this server's id (`myid`, `server.N`)").default("assigned"),
    k(ZK, "chroot", Kind::Path, "the znode Mesos uses")
        .cluster_wide()
        .default("/mesos"),
    k(ZK, "marathon_chroot", Kind::Path, "the znode Marathon uses")
        .cluster_wide()
        .default("/marathon"),
    k(
        ZK,
        "credentials",
        Kind::Secret,
        "a file holding `user:password`: Mesos and Marathon authenticate to ZooKeeper with it (digest)",
    )
    .cluster_wide(),
    k(
        ZK,
        "hosts",
        Kind::Strings,
        "an external ensemble, as `host:port` strings",
    )
    .cluster_wide(),
    k(
        ZK,
        "dns",
        Kind::Str,
        "an external ensemble behind one DNS name",
    )
    .cluster_wide(),
    k(
        ZK,
        "settings",
        Kind::Open("zoo.cfg keys, checked against ZooKeeper's list"),
        "raw zoo.cfg settings",
    ),
    // leader
    k(LEADER, "port", Kind::Port, PORT_DOC).default(port_text(MESOS_MASTER_PORT)),
    k(
        LEADER,
        "tls",
        Kind::Block(Block::Tls),
        "libprocess TLS: `cert`, `key` and `ca` files, listed as secrets",
    ),
    k(
        LEADER,
        "quorum",
        Kind::AutoInt,
        "how many leaders make a registry quorum",
    )
    .cluster_wide()
    .default("auto"),
    k(
        LEADER,
        "flags",
        Kind::Open("mesos-master flags"),
        "any mesos-master flag",
    ),
    // follower
    k(FOLLOWER, "port", Kind::Port, PORT_DOC).default(port_text(MESOS_AGENT_PORT)),
    k(
        FOLLOWER,
        "tls",
        Kind::Block(Block::Tls),
        "libprocess TLS: `cert`, `key` and `ca` files, listed as secrets",
    ),
    k(
        FOLLOWER,
        "resources",
        Kind::Open("resource names"),
        "the resources the agent offers",
    ),
    k(
        FOLLOWER,
        "attributes",
        Kind::Open("free-form"),
        "the agent's attributes",
    ),
    k(
        FOLLOWER,
        "profiles",
        Kind::Words(&["owca"]),
        "rule packs the agent follows",
    ),
    k(
        FOLLOWER,
        "flags",
        Kind::Open("mesos-agent flags"),
        "any mesos-agent flag",
    ),
    // marathon
    k(MARATHON, "port", Kind::Port, PORT_DOC).default(port_text(MARATHON_HTTP_PORT)),
    k(
        MARATHON,
        "tls",
        Kind::Block(Block::Tls),
        "libprocess TLS: `cert`, `key` and `ca` files, listed as secrets",
    ),
    k(
        MARATHON,
        "flags",
        Kind::Open("Marathon options"),
        "any Marathon option",
    ),
    // advertise
    k(
        Block::Advertise,
        "ip",
        Kind::Address,
        "the address a bridged container advertises",
    )
    .default("the host's address"),
    k(
        Block::Advertise,
        "port",
        Kind::Port,
        "the port a bridged container advertises",
    ),
    k(
        Block::Advertise,
        "libprocess_port",
        Kind::Port,
        "the libprocess port a bridged container advertises",
    ),
    // tls
    k(
        Block::Tls,
        "cert",
        Kind::Secret,
        "the certificate file (PEM) libprocess presents",
    ),
    k(
        Block::Tls,
        "key",
        Kind::Secret,
        "the private key file (PEM) of the certificate",
    ),
    k(
        Block::Tls,
        "ca",
        Kind::Secret,
        "the CA certificate file (PEM) peers are verified against",
    ),
    // fleet (coreos-cloudinit's `config/fleet.go`, v1.14.0)
    k(
        Block::Fleet,
        "metadata",
        Kind::Open("free-form"),
        "the host's fleet machine metadata (`coreos.fleet.metadata`), besides `host` and `role-<role>`",
    )
    .when(COREOS),
    k(
        Block::Fleet,
        "public_ip",
        Kind::Address,
        "the address fleet publishes for the machine (`coreos.fleet.public-ip`)",
    )
    .when(COREOS)
    .default("the host's address"),
    k(
        Block::Fleet,
        "etcd_request_timeout",
        Kind::Duration,
        "how long fleet waits for etcd (`coreos.fleet.etcd-request-timeout`)",
    )
    .when(COREOS)
    .default("1secs (fleet's)"),
    // etcd (coreos-cloudinit's `config/etcd2.go`, v1.14.0)
    k(
        Block::Etcd,
        "members",
        Kind::Words(&[]),
        "the hosts that run an etcd member: roles or host names",
    )
    .cluster_wide()
    .when(COREOS)
    .default("every host"),
    k(
        Block::Etcd,
        "discovery",
        Kind::Str,
        "a discovery URL the members bootstrap through, instead of the `initial-cluster` mesosc derives",
    )
    .cluster_wide()
    .when(COREOS),
    k(
        Block::Etcd,
        "servers",
        Kind::Strings,
        "client URLs of an etcd cluster these hosts do not run: fleet and locksmith use it, and no host runs a member",
    )
    .cluster_wide()
    .when(COREOS),
    k(
        Block::Etcd,
        "client_port",
        Kind::Port,
        "the port a member serves clients on",
    )
    .when(COREOS)
    .default(port_text(ETCD_CLIENT_PORT)),
    k(
        Block::Etcd,
        "peer_port",
        Kind::Port,
        "the port a member talks to the other members on",
    )
    .when(COREOS)
    .default(port_text(ETCD_PEER_PORT)),
    k(
        Block::Etcd,
        "heartbeat_interval",
        Kind::Duration,
        "the leader's heartbeat interval, whole milliseconds",
    )
    .when(COREOS)
    .default("100ms (etcd's)"),
    k(
        Block::Etcd,
        "election_timeout",
        Kind::Duration,
        "how long a member waits for a heartbeat before it calls an election, whole milliseconds",
    )
    .when(COREOS)
    .default("1000ms (etcd's)"),
    // update (coreos-cloudinit's `config/update.go` and `config/locksmith.go`, v1.14.0)
    k(
        Block::Update,
        "reboot_strategy",
        Kind::Word(REBOOT_STRATEGIES),
        "how the host reboots into an update: `etcd-lock` one host at a time (locksmith's lock in etcd), `reboot` at once, `off` never",
    )
    .when(COREOS)
    .default("off"),
    k(
        Block::Update,
        "window_start",
        Kind::Str,
        "when locksmith's reboot window opens (`\"Thu 04:00\"` or `\"04:00\"`)",
    )
    .when(COREOS),
    k(
        Block::Update,
        "window_length",
        Kind::Duration,
        "how long locksmith's reboot window stays open",
    )
    .when(COREOS),
    // auth
    k(
        Block::Auth,
        "frameworks",
        Kind::Bool,
        "frameworks must authenticate",
    )
    .default("false"),
    k(
        Block::Auth,
        "followers",
        Kind::Bool,
        "agents must authenticate",
    )
    .default("false"),
    k(
        Block::Auth,
        "credential",
        Kind::Block(Block::Credential),
        "a framework principal and its secret",
    )
    .labelled()
    .when(Applies::Auth("frameworks")),
    k(
        Block::Auth,
        "follower_principal",
        Kind::Str,
        "the principal agents authenticate as",
    )
    .when(Applies::Auth("followers")),
    k(
        Block::Auth,
        "follower_secret",
        Kind::Secret,
        "the agents' secret",
    )
    .when(Applies::Auth("followers")),
    k(
        Block::Credential,
        "secret",
        Kind::Secret,
        "the principal's secret",
    ),
    // owca
    k(Block::Owca, "command", Kind::Str, "the OWCA binary"),
    k(
        Block::Owca,
        "endpoint",
        Kind::Str,
        "the agent endpoint OWCA reads",
    ),
    k(
        Block::Owca,
        "ssl_verify",
        Kind::Bool,
        "whether OWCA verifies TLS",
    ),
    k(
        Block::Owca,
        "timeout",
        Kind::Duration,
        "OWCA's request timeout",
    ),
    // service
    k(
        Block::Service,
        "on",
        Kind::Words(&[]),
        "the roles or host names it runs on",
    ),
    k(
        Block::Service,
        "after",
        Kind::Words(&[]),
        "units it starts after",
    ),
    k(
        Block::Service,
        "exec",
        Kind::Str,
        "the command line it runs",
    ),
    k(
        Block::Service,
        "description",
        Kind::Str,
        "the unit's description",
    ),
    k(
        Block::Service,
        "ports",
        Kind::Ports,
        "the ports it listens on",
    ),
    k(
        Block::Service,
        "environments",
        Kind::Strings,
        "the environments it is built in",
    )
    .default("all"),
];

/// Every key of every block: the service keys of the four roles, then the
/// rest in block order.
pub fn all() -> impl Iterator<Item = &'static Key> {
    ZK_COMMON
        .iter()
        .chain(&LEADER_COMMON)
        .chain(&FOLLOWER_COMMON)
        .chain(&MARATHON_COMMON)
        .chain(OWN)
}

/// The keys of each block, sorted by name, indexed by [`Block`]: a lookup
/// scans one block's few keys, not the whole table (the checker looks up
/// every key of every host).
fn by_block() -> &'static [Vec<&'static Key>; Block::ALL.len()] {
    static TABLE: std::sync::OnceLock<[Vec<&'static Key>; Block::ALL.len()]> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        Block::ALL.map(|block| {
            let mut keys: Vec<&'static Key> = all().filter(|k| k.block == block).collect();
            keys.sort_by_key(|k| k.name);
            keys
        })
    })
}

/// The keys of `block`, in reference order.
pub fn of(block: Block) -> impl Iterator<Item = &'static Key> {
    by_block()[block as usize].iter().copied()
}

/// The key names of `block`, sorted.
pub fn names(block: Block) -> Vec<&'static str> {
    of(block).map(|k| k.name).collect()
}

/// The key `name` of `block`.
pub fn get(block: Block, name: &str) -> Option<&'static Key> {
    of(block).find(|k| k.name == name)
}

/// The words the key `name` of `block` takes (empty for other kinds).
pub fn words(block: Block, name: &str) -> &'static [&'static str] {
    match get(block, name).map(|k| k.kind) {
        Some(Kind::Word(w) | Kind::Words(w)) => w,
        _ => &[],
    }
}

/// The key of `block` that an unknown `name` is another name for.
pub fn meant(block: Block, name: &str) -> Option<&'static Key> {
    all().find(|k| k.block == block && k.also.contains(&name))
}

/// The help for an unknown key `name` of `block` (written in a host or a
/// template when `per_host`): the key it is another name for, else the
/// nearest keys, else the list of keys. A near key that may only be written
/// cluster-wide is not offered as a rename in a host (that would trade the
/// error for `misplaced_key`): the help says where it goes instead.
/// `written` is the block's name as the user wrote it (`agent` for
/// [`Block::Follower`]).
pub fn unknown_key_help(block: Block, written: &str, name: &str, per_host: bool) -> Option<String> {
    let fits = |k: &Key| !per_host || k.places.per_host();
    let near: Vec<&'static Key> = match meant(block, name) {
        Some(k) => vec![k],
        None => crate::suggest::nearest(name, names(block))
            .into_iter()
            .filter_map(|n| get(block, n))
            .collect(),
    };
    let free: Vec<&str> = near.iter().filter(|k| fits(k)).map(|k| k.name).collect();
    let free_help = crate::suggest::phrase(&free);
    let Some(wide) = near.iter().find(|k| !fits(k)) else {
        let known: Vec<&str> = of(block).filter(|k| fits(k)).map(|k| k.name).collect();
        return free_help.or_else(|| Some(format!("`{written}` takes: {}", known.join(", "))));
    };
    let pointer = format!(
        "`{}` is cluster-wide: set it in the cluster-wide `{written} {{ … }}` block, outside every host and template",
        wide.name,
    );
    Some(match free_help {
        Some(other) if near.first().map(|k| k.name) == Some(wide.name) => {
            format!("{pointer}; or {other}")
        }
        Some(other) => format!("{other} ({pointer})"),
        None => pointer,
    })
}

/// Unit names mesosc writes itself (an extra service may not take them).
pub const BUILT_IN_UNITS: &[&str] = &[
    "marathon",
    "mesos-agent",
    "mesos-master",
    "owca",
    "zookeeper",
];

/// The reference of every block and key, in Markdown
/// (`docs/src/reference/keys.md`).
pub fn reference() -> String {
    let mut out = String::from(
        "<!-- Generated by mesosc from src/schema/keys.rs; `MESOSC_BLESS=1 cargo test --test keys` rewrites it. -->\n\n\
         # Blocks and keys\n\n\
         Every key of every MCL block: its value, where it may be written, when it takes effect, and its default. \
         \"Cluster-wide only\" keys describe the whole cluster: written in a host or template they are an error. \
         \"Takes effect\" says what must hold for the key to change the output.\n",
    );
    for block in Block::ALL {
        let _ = write!(out, "\n## `{}`\n\n", block.name());
        out.push_str("| key | value | where | takes effect | default | what it is |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for key in of(block) {
            let name = if key.label {
                format!("`{} \"label\"`", key.name)
            } else {
                format!("`{}`", key.name)
            };
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} | {} | {} |",
                key.kind.describe(),
                key.places.describe(),
                key.applies.describe(),
                key.default.unwrap_or("—"),
                key.doc
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_has_keys_and_no_key_is_listed_twice() {
        for block in Block::ALL {
            let names = names(block);
            assert!(!names.is_empty(), "{block:?}");
            let mut dedup = names.clone();
            dedup.dedup();
            assert_eq!(names, dedup, "{block:?}");
        }
    }

    #[test]
    fn blocks_index_their_own_keys() {
        for (i, block) in Block::ALL.into_iter().enumerate() {
            assert_eq!(block as usize, i);
            assert!(of(block).all(|k| k.block == block));
            assert_eq!(
                of(block).count(),
                all().filter(|k| k.block == block).count()
            );
        }
    }

    #[test]
    fn only_credential_takes_a_label() {
        let labelled: Vec<_> = all().filter(|k| k.label).map(|k| k.name).collect();
        assert_eq!(labelled, ["credential"]);
    }

    #[test]
    fn cluster_wide_keys_are_the_ensemble_and_the_quorum() {
        let mut wide: Vec<_> = all()
            .filter(|k| !k.places.per_host())
            .map(|k| format!("{}.{}", k.block.name(), k.name))
            .collect();
        wide.sort();
        assert_eq!(
            wide,
            [
                "etcd.discovery",
                "etcd.members",
                "etcd.servers",
                "leader.quorum",
                "zookeeper.chroot",
                "zookeeper.credentials",
                "zookeeper.dns",
                "zookeeper.hosts",
                "zookeeper.marathon_chroot"
            ]
        );
    }

    #[test]
    fn default_ports_come_from_the_constants() {
        assert_eq!(
            get(Block::Leader, "port").and_then(|k| k.default),
            Some("5050")
        );
        assert_eq!(
            get(Block::Follower, "port").and_then(|k| k.default),
            Some("5051")
        );
        assert_eq!(
            get(Block::Marathon, "port").and_then(|k| k.default),
            Some("8080")
        );
        assert_eq!(
            get(Block::Zookeeper, "client_port").and_then(|k| k.default),
            Some("2181")
        );
        assert!(
            get(Block::Zookeeper, "port").is_none(),
            "ZooKeeper's is client_port"
        );
    }

    #[test]
    fn the_reference_has_every_key() {
        let text = reference();
        for key in all() {
            assert!(text.contains(&format!("`{}", key.name)), "{}", key.name);
        }
        assert!(text.contains("| `credential \"label\"` |"));
    }
}
