//! The typed cluster model: what a checked `.mcl` means.
//!
//! Built by `check::model` from a [`Resolved`](crate::resolve::Resolved)
//! description. Everything here is resolved and typed: hosts have addresses,
//! every service instance has its ports and directories, defaults are filled
//! in, and each program's complete flag set (the flags mesosc derives and the
//! user's own, already checked against the flag tables) is ready to be written.
//! Collections are ordered (`Vec` in a documented order, `BTreeMap`), so every
//! later stage is deterministic.

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::resolve::value::Origin;
pub use crate::schema::Role;
use crate::schema::Version;
use crate::span::Span;

/// A whole cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// The cluster's name (`cluster "thegrid"`); Mesos' `--cluster`.
    pub name: String,
    /// The main source file's name as given on the command line, for headers.
    pub source: String,
    /// Target versions, which selected the flag tables.
    pub versions: Versions,
    /// What to generate.
    pub outputs: Outputs,
    /// The applied environment overlay, if any.
    pub environment: Option<String>,
    /// Hosts, sorted by name.
    pub hosts: Vec<Host>,
    /// The ZooKeeper ensemble the cluster uses.
    pub zookeeper: Zookeeper,
    /// The `zk://…` URL of Mesos (leaders' `--zk`, followers' `--master`).
    pub mesos_zk: String,
    /// The `zk://…` URL of Marathon's state (`--zk`).
    pub marathon_zk: String,
    /// Authentication.
    pub auth: Auth,
    /// Extra services, sorted by name.
    pub services: Vec<ExtraService>,
    /// The etcd cluster of CoreOS hosts (their cloud-config's `coreos`
    /// flavour), when an `etcd` block asks for one.
    pub etcd: Option<super::Etcd>,
}

/// Target versions of the three programs.
#[derive(Clone, Debug, PartialEq)]
pub struct Versions {
    /// Mesos (required in `cluster { mesos = "…" }`).
    pub mesos: Version,
    /// Marathon (default: the newest in the tables).
    pub marathon: Version,
    /// ZooKeeper (default: the newest in the tables).
    pub zookeeper: Version,
}

/// The artifacts a build writes besides the always-written ones.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Outputs {
    /// systemd units and env files under `hosts/<host>/etc/`.
    pub systemd: bool,
    /// fleet units under `fleet/`.
    pub fleet: bool,
    /// A `cloud-config/<host>.yaml` per host, in this flavour.
    pub cloud_config: Option<CloudConfig>,
}

/// The flavour of generated cloud-config.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CloudConfig {
    /// CoreOS: `coreos.units`, `coreos.fleet.metadata`, `write_files`.
    Coreos,
    /// Standard cloud-init: `write_files` and `runcmd`.
    CloudInit,
}

/// One host.
#[derive(Clone, Debug, PartialEq)]
pub struct Host {
    /// The host name (a DNS label).
    pub name: String,
    /// Where the host name was written.
    pub span: Span,
    /// Its address.
    pub address: IpAddr,
    /// fleet machine metadata (`fleet { metadata { … } }`), besides the roles.
    pub fleet_metadata: BTreeMap<String, String>,
    /// The ZooKeeper server on this host. (Each service is boxed: a host
    /// has one or two of the four, and at 10,000 hosts the empty slots were
    /// 5 MB.)
    pub zookeeper: Option<Box<ZkServer>>,
    /// The Mesos master on this host.
    pub leader: Option<Box<Leader>>,
    /// The Mesos agent on this host.
    pub follower: Option<Box<Follower>>,
    /// Marathon on this host.
    pub marathon: Option<Box<Marathon>>,
    /// Names of the extra services placed on this host, sorted.
    pub services: Vec<String>,
    /// Its etcd member, fleet and update settings, with the CoreOS
    /// cloud-config (`None` otherwise).
    pub coreos: Option<Box<super::HostCoreos>>,
}

impl Host {
    /// The roles this host has, in dependency order.
    pub fn roles(&self) -> Vec<Role> {
        let mut r = Vec::new();
        if self.zookeeper.is_some() {
            r.push(Role::Zookeeper);
        }
        if self.leader.is_some() {
            r.push(Role::Leader);
        }
        if self.follower.is_some() {
            r.push(Role::Follower);
        }
        if self.marathon.is_some() {
            r.push(Role::Marathon);
        }
        r
    }

    /// The common settings of the service of a role on this host.
    pub fn service(&self, role: Role) -> Option<&Service> {
        match role {
            Role::Zookeeper => self.zookeeper.as_ref().map(|s| &s.service),
            Role::Leader => self.leader.as_ref().map(|s| &s.service),
            Role::Follower => self.follower.as_ref().map(|s| &s.service),
            Role::Marathon => self.marathon.as_ref().map(|s| &s.service),
        }
    }
}

/// How a service runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Runtime {
    /// The package's binary, run by systemd.
    Native,
    /// A container, run by `docker run` under systemd.
    Docker,
}

/// A container's network mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Network {
    /// `--net=host`.
    Host,
    /// `--net=bridge`, with advertised addresses.
    Bridge,
}

/// Settings every service has. Only what applies is carried: a native
/// service has a binary and no image, a container an image, a network and
/// the folders it mounts, and nothing a program never reads has a field to
/// sit in (issue "nothing silently ignored": emitters match [`Run`]
/// exhaustively, so a new field cannot be dropped without the compiler
/// noticing).
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The main listening port.
    pub port: u16,
    /// How it runs: the binary, or the container.
    pub run: Run,
    /// What it advertises to peers: a Mesos daemon's `advertise_ip` and
    /// `advertise_port` flags (any runtime), Marathon's fixed libprocess
    /// port (any runtime) and, bridged, its advertised address.
    pub advertise: Option<Advertise>,
    /// libprocess TLS (`tls { }`; masters, agents and Marathon).
    pub tls: Option<Tls>,
}

impl Service {
    /// The container, when the service runs in one.
    pub fn container(&self) -> Option<&Container> {
        match &self.run {
            Run::Native { .. } => None,
            Run::Docker(c) => Some(c),
        }
    }

    /// Whether it runs in a container on a bridge network (its ports are
    /// published by docker, and it binds every address of its namespace).
    pub fn bridged(&self) -> bool {
        self.container()
            .is_some_and(|c| c.network == Network::Bridge)
    }
}

/// How a service runs (the `runtime` key), with what applies to each way.
#[derive(Clone, Debug, PartialEq)]
pub enum Run {
    /// The package's binary, run by systemd.
    Native {
        /// The binary (e.g. `/usr/sbin/mesos-master`): `command`, or the
        /// role's default (`schema::Role::default_command`).
        command: String,
    },
    /// A container, run by `docker run` under systemd.
    Docker(Container),
}

/// A service's container.
#[derive(Clone, Debug, PartialEq)]
pub struct Container {
    /// The image.
    pub image: String,
    /// Its network.
    pub network: Network,
    /// The state folder, mounted read-write at the same path (Mesos
    /// `--work_dir`, ZooKeeper's `dataDir`, Marathon's `work_dir`).
    pub work_dir: String,
    /// The log folder, when logs go to files, mounted the same way (Mesos
    /// `--log_dir`, the ZooKeeper image's `ZOO_LOG_DIR`).
    pub log_dir: Option<String>,
}

/// The files of libprocess TLS, all secrets on the host: the unit gets
/// `LIBPROCESS_SSL_ENABLED`, `…_CERT_FILE`, `…_KEY_FILE` and `…_CA_FILE`
/// (`SSL_*` below Mesos 1.0, `crate::schema::versions::ssl_prefix`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tls {
    /// The certificate (PEM).
    pub cert: String,
    /// Its private key (PEM).
    pub key: String,
    /// The CA certificate peers are verified against, when given.
    pub ca: Option<String>,
    /// The variables' prefix at the declared Mesos (`LIBPROCESS_SSL_`, or
    /// `SSL_` below 1.0).
    pub prefix: &'static str,
}

impl Tls {
    /// The variables libprocess reads (`openssl.cpp`: `enabled`,
    /// `cert_file`, `key_file`, `ca_file`).
    pub fn vars(&self) -> Vec<(String, String)> {
        let mut out = vec![
            (format!("{}ENABLED", self.prefix), "true".to_owned()),
            (format!("{}CERT_FILE", self.prefix), self.cert.clone()),
            (format!("{}KEY_FILE", self.prefix), self.key.clone()),
        ];
        if let Some(ca) = &self.ca {
            out.push((format!("{}CA_FILE", self.prefix), ca.clone()));
        }
        out
    }

    /// The files, for the secrets list.
    pub fn files(&self) -> Vec<String> {
        let mut out = vec![self.cert.clone(), self.key.clone()];
        out.extend(self.ca.clone());
        out
    }
}

/// What a bridged container advertises (`LIBPROCESS_ADVERTISE_*`, and
/// `MESOS_ADVERTISE_*` for masters and agents).
///
/// For a master or agent, `port` is the host port of its libprocess port
/// (`--port`, which `src/master/main.cpp` and `src/slave/main.cpp` copy into
/// `LIBPROCESS_PORT`). For Marathon, whose HTTP port is not its libprocess
/// port, `libprocess_port` is the fixed port libprocess binds
/// (`LIBPROCESS_PORT`; random when unset, `3rdparty/libprocess/src/process.cpp`)
/// and `port` the one masters use to reach it (by default the same).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Advertise {
    /// The address peers should use.
    pub ip: IpAddr,
    /// The port peers should use.
    pub port: u16,
    /// Marathon's libprocess port (`LIBPROCESS_PORT`).
    pub libprocess_port: Option<u16>,
}

/// The libprocess port of a bridged Marathon that sets none (DC/OS runs
/// Marathon's libprocess on 15101).
pub const MARATHON_LIBPROCESS_PORT: u16 = 15101;

/// A flag (or zoo.cfg key) to write, with where its value came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// The value as the program reads it.
    pub value: String,
    /// Where the user set it; `None` for values mesosc derived (boxed: most
    /// flags are derived, and every agent has a dozen).
    pub origin: Option<Box<Origin>>,
}

impl Setting {
    /// A value mesosc derived.
    pub fn derived(value: impl Into<String>) -> Self {
        Setting {
            value: value.into(),
            origin: None,
        }
    }
}

/// A ZooKeeper server.
#[derive(Clone, Debug, PartialEq)]
pub struct ZkServer {
    /// Common settings (`port` is the client port, `work_dir` is `dataDir`).
    pub service: Service,
    /// The server id: `myid` and `server.N`.
    pub id: u32,
    /// The quorum (peer) port.
    pub peer_port: u16,
    /// The leader-election port.
    pub election_port: u16,
    /// The AdminServer's port, when it is enabled.
    pub admin_port: Option<u16>,
    /// Every zoo.cfg line except `server.N`, sorted by key: derived ones
    /// (`tickTime`, `dataDir`, `clientPort`, …) and the user's `settings { }`.
    pub config: BTreeMap<String, Setting>,
    /// JVM system properties (`-Dname=value`) for `[jvm]` settings.
    pub jvm_properties: BTreeMap<String, Setting>,
}

/// A Mesos master.
#[derive(Clone, Debug, PartialEq)]
pub struct Leader {
    /// Common settings.
    pub service: Service,
    /// Every flag, by flag name: derived and the user's.
    pub flags: BTreeMap<String, Setting>,
    /// Paths of secrets this master reads (credentials file).
    pub secrets: Vec<String>,
}

/// A Mesos agent.
#[derive(Clone, Debug, PartialEq)]
pub struct Follower {
    /// Common settings.
    pub service: Service,
    /// Every flag, by flag name: derived and the user's.
    pub flags: BTreeMap<String, Setting>,
    /// The port ranges this agent offers to tasks.
    pub offered_ports: Vec<(u64, u64)>,
    /// Paths of secrets this agent reads (its credential).
    pub secrets: Vec<String>,
    /// The OWCA agent beside this follower, with the `owca` profile.
    pub owca: Option<Owca>,
}

/// Intel's OWCA agent config for one follower.
#[derive(Clone, Debug, PartialEq)]
pub struct Owca {
    /// `mesos_agent_endpoint`.
    pub endpoint: String,
    /// `ssl_verify`.
    pub ssl_verify: bool,
    /// `timeout` in seconds.
    pub timeout: u64,
    /// The binary the unit runs.
    pub command: String,
}

/// Marathon.
#[derive(Clone, Debug, PartialEq)]
pub struct Marathon {
    /// Common settings (`port` is the HTTP port).
    pub service: Service,
    /// Every option, by name: derived and the user's. A `flag`-typed option is
    /// present with an empty value when on.
    pub flags: BTreeMap<String, Setting>,
    /// Paths of secrets Marathon reads.
    pub secrets: Vec<String>,
    /// Variables its unit sets from secret files at start, `(name, file)`
    /// (`ssl_keystore_password = file(…)` → `MESOSPHERE_KEYSTORE_PASS`).
    pub secret_env: Vec<(String, String)>,
}

/// The ZooKeeper ensemble.
#[derive(Clone, Debug, PartialEq)]
pub enum Zookeeper {
    /// Servers on hosts of this cluster (the `zookeeper` role), by id.
    Managed {
        /// `(host name, address, id, client port, peer port, election port)`, sorted by id.
        servers: Vec<ZkMember>,
    },
    /// An ensemble this file does not manage: `host:port` strings.
    External {
        /// The servers, as written.
        hosts: Vec<String>,
    },
}

/// One server of a managed ensemble, as every host sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ZkMember {
    /// The host's name.
    pub host: String,
    /// Its address.
    pub address: IpAddr,
    /// Its id.
    pub id: u32,
    /// Client port.
    pub client_port: u16,
    /// Quorum port.
    pub peer_port: u16,
    /// Election port.
    pub election_port: u16,
    /// An observer (`settings { peerType = "observer" }`): it serves clients
    /// but does not vote, so it does not count in the majority.
    pub observer: bool,
}

/// Authentication between frameworks, agents and masters.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Auth {
    /// `--authenticate_frameworks` on leaders.
    pub frameworks: bool,
    /// `--authenticate_agents` on leaders.
    pub followers: bool,
    /// Framework credentials: principal → path of the secret on the leaders.
    pub credentials: BTreeMap<String, String>,
    /// The principal followers authenticate as.
    pub follower_principal: Option<String>,
    /// The path of the followers' secret.
    pub follower_secret: Option<String>,
    /// The file holding `user:password` that Mesos and Marathon present to
    /// ZooKeeper (digest; `zookeeper { credentials = file(…) }`). The units
    /// assemble the `zk://user:password@…` URLs from it when they start.
    pub zookeeper: Option<String>,
}

impl Auth {
    /// The principals and secret files a master's `--credentials` holds:
    /// every framework credential and the followers' own, when any
    /// authentication is on; empty otherwise. The master's secrets list, its
    /// unit's assembly and the README's secrets table all come from here.
    pub fn master_credentials(&self) -> Vec<(&str, &str)> {
        if !(self.frameworks || self.followers) {
            return Vec::new();
        }
        let mut pairs: BTreeMap<&str, &str> = self
            .credentials
            .iter()
            .map(|(p, s)| (p.as_str(), s.as_str()))
            .collect();
        if let Some(pair) = self.agent_credential() {
            pairs.insert(pair.0, pair.1);
        }
        pairs.into_iter().collect()
    }

    /// The principal and secret file of an agent's `--credential`, when
    /// followers authenticate.
    pub fn agent_credential(&self) -> Option<(&str, &str)> {
        match (
            self.followers,
            &self.follower_principal,
            &self.follower_secret,
        ) {
            (true, Some(p), Some(s)) => Some((p.as_str(), s.as_str())),
            _ => None,
        }
    }
}

impl Host {
    /// Every secret file the services of this host read, with the unit that
    /// reads it, sorted by path: what the operator must provision here.
    pub fn secret_files(&self) -> Vec<(&str, &'static str)> {
        let lists = [
            self.leader.as_ref().map(|l| (&l.secrets, Role::Leader)),
            self.follower.as_ref().map(|f| (&f.secrets, Role::Follower)),
            self.marathon.as_ref().map(|m| (&m.secrets, Role::Marathon)),
        ];
        let mut out: Vec<(&str, &'static str)> = lists
            .into_iter()
            .flatten()
            .flat_map(|(paths, role)| paths.iter().map(move |p| (p.as_str(), role.unit())))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// An extra service (`service "name" { … }`).
#[derive(Clone, Debug, PartialEq)]
pub struct ExtraService {
    /// The service name; its unit is `<name>.service`.
    pub name: String,
    /// Where the name was written.
    pub span: Span,
    /// Hosts it runs on, sorted.
    pub hosts: Vec<String>,
    /// Units it starts after, as written (`mesos-master`, another service's name).
    pub after: Vec<(String, Span)>,
    /// The command line.
    pub exec: String,
    /// A description for the unit.
    pub description: String,
    /// Ports it listens on (for the port-collision check and the README).
    pub ports: Vec<u16>,
}

/// Where a leader's unit assembles the credentials file (`--credentials`)
/// from the secret files when it starts; secrets never enter generated files.
pub const MASTER_CREDENTIALS: &str = "/run/mesos-master/credentials";

/// Where a follower's unit assembles its credential file (`--credential`).
pub const AGENT_CREDENTIAL: &str = "/run/mesos-agent/credential";

/// Where a leader's unit writes its `zk://user:password@…` URL when ZooKeeper
/// takes credentials; `--zk=file://` reads it (stout's `flags/fetch.hpp`;
/// `zookeeper/url.hpp` trims it and takes the credentials before the `@`).
pub const MASTER_ZK_URL: &str = "/run/mesos-master/zk";

/// Where a follower's unit writes the same URL, for `--master=file://`.
pub const AGENT_ZK_URL: &str = "/run/mesos-agent/zk";

/// Where Marathon's unit writes the variables that carry secrets:
/// `MARATHON_ZK` and `MARATHON_MASTER` with the ZooKeeper credentials
/// (Marathon has no file option for them and reads them only from the URLs,
/// `ZookeeperConf.scala`), and the `MESOSPHERE_*` fallbacks of secret-valued
/// options given as `file()` (`HttpConf.scala`). They reach it from this
/// runtime file, never from a generated env file.
pub const MARATHON_SECRETS_ENV: &str = "/run/marathon/secrets.env";

/// One thing that listens on a host: which service, on which TCP ports.
///
/// [`Cluster::listeners`] is the one place that says what listens where;
/// the port check, the generated README's hosts table, its firewall lists
/// and the `-p` options of bridged containers all read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listener {
    /// The systemd unit of the service (`zookeeper.service`, `<name>.service`).
    pub unit: String,
    /// The role, for the four built-in services.
    pub role: Option<Role>,
    /// What the socket is for, for people (`client`, `quorum`, `HTTP`, `tasks`).
    pub purpose: &'static str,
    /// The first port on the host.
    pub port: u16,
    /// The last port (equal to `port` for one port; a range for the task
    /// ports a follower offers).
    pub last: u16,
    /// For a port docker publishes from a bridged container: the port the
    /// program binds inside the container (`docker run -p ADDR:port:inside`).
    /// `None` when the program binds the host's port itself.
    pub inside: Option<u16>,
}

impl Host {
    /// What the four built-in services of this host listen on, in role
    /// order: the part of [`Cluster::listeners`] a host knows by itself
    /// (the port check reads it while extra services are still being built).
    /// Ports are the host's: a bridged container's published ports, not the
    /// ones it binds inside.
    pub fn role_listeners(&self) -> Vec<Listener> {
        let mut out = Vec::new();
        if let Some(zk) = &self.zookeeper {
            zk_listeners(zk, &mut out);
        }
        if let Some(l) = &self.leader {
            out.push(libprocess_listener(&l.service, Role::Leader));
        }
        if let Some(f) = &self.follower {
            out.push(libprocess_listener(&f.service, Role::Follower));
            let (unit, role) = (Role::Follower.unit(), Some(Role::Follower));
            for &(first, last) in &f.offered_ports {
                let clamp = |p: u64| u16::try_from(p).unwrap_or(u16::MAX);
                out.push(Listener {
                    last: clamp(last),
                    ..Listener::one(unit, role, "tasks", clamp(first))
                });
            }
        }
        if let Some(m) = &self.marathon {
            marathon_listeners(m, &mut out);
        }
        // An etcd member (CoreOS): its client and peer ports.
        if let Some(e) = self.coreos.as_ref().and_then(|c| c.etcd.as_ref()) {
            out.push(Listener::one(
                super::ETCD_UNIT,
                None,
                "client",
                e.client_port,
            ));
            out.push(Listener::one(super::ETCD_UNIT, None, "peer", e.peer_port));
        }
        out
    }
}

/// ZooKeeper's client, quorum and election ports, its AdminServer, and the
/// ports its `settings` open: `secureClientPort` (`QuorumPeerConfig.java`)
/// and the Prometheus exporter's `metricsProvider.httpPort`, 7000 unless set
/// (`PrometheusMetricsProvider.java`, 3.6.0 on). A bridged server publishes
/// each on the same port.
fn zk_listeners(zk: &ZkServer, out: &mut Vec<Listener>) {
    let setting = |key: &str| zk.config.get(key).and_then(|s| s.value.trim().parse().ok());
    let prometheus = zk
        .config
        .get("metricsProvider.className")
        .is_some_and(|s| s.value.trim().ends_with(".PrometheusMetricsProvider"));
    let mut ports = vec![
        ("client", Some(zk.service.port)),
        ("quorum", Some(zk.peer_port)),
        ("election", Some(zk.election_port)),
        ("admin", zk.admin_port),
        ("secure client", setting("secureClientPort")),
    ];
    if prometheus {
        let metrics = setting("metricsProvider.httpPort").unwrap_or(crate::schema::ZK_METRICS_PORT);
        ports.push(("metrics", Some(metrics)));
    }
    let bridged = zk.service.bridged();
    for (purpose, port) in ports {
        if let Some(port) = port {
            out.push(Listener {
                inside: bridged.then_some(port),
                ..Listener::one(Role::Zookeeper.unit(), Some(Role::Zookeeper), purpose, port)
            });
        }
    }
}

/// A master's or agent's one port (`--port`, its libprocess port): on the
/// host network the port itself; bridged, the advertised host port that
/// docker publishes to it.
fn libprocess_listener(service: &Service, role: Role) -> Listener {
    let listener = Listener::one(role.unit(), Some(role), "HTTP", service.port);
    match (service.bridged(), &service.advertise) {
        (true, Some(a)) => Listener {
            port: a.port,
            last: a.port,
            inside: Some(service.port),
            ..listener
        },
        _ => listener,
    }
}

/// Marathon's HTTP port (and HTTPS port when set), and its libprocess port
/// when fixed (`LIBPROCESS_PORT`, written in every runtime): bridged, the
/// advertised host port published to it.
fn marathon_listeners(m: &Marathon, out: &mut Vec<Listener>) {
    let (unit, role) = (Role::Marathon.unit(), Some(Role::Marathon));
    let bridged = m.service.bridged();
    let published = |purpose, port| Listener {
        inside: bridged.then_some(port),
        ..Listener::one(unit, role, purpose, port)
    };
    out.push(published("HTTP", m.service.port));
    if let Some(p) = m.https_port() {
        out.push(published("HTTPS", p));
    }
    let advertise = m.service.advertise.as_ref();
    if let Some((a, lp)) = advertise.and_then(|a| Some((a, a.libprocess_port?))) {
        out.push(match bridged {
            true => Listener {
                inside: Some(lp),
                ..Listener::one(unit, role, "libprocess", a.port)
            },
            false => Listener::one(unit, role, "libprocess", lp),
        });
    }
}

impl Listener {
    /// Where, in its role's block, the setting that decides this port is
    /// written: the first of these paths the user wrote (the port check
    /// points there, else at the role block).
    pub fn settings(&self) -> &'static [&'static [&'static str]] {
        match (self.purpose, self.inside.is_some()) {
            ("client", _) => &[&["client_port"]],
            ("quorum", _) => &[&["peer_port"]],
            ("election", _) => &[&["election_port"]],
            ("peer", _) => &[&["peer_port"]],
            ("admin", _) => &[&["admin_port"], &["settings", "admin.serverPort"]],
            ("secure client", _) => &[&["settings", "secureClientPort"]],
            ("metrics", _) => &[
                &["settings", "metricsProvider.httpPort"],
                &["settings", "metricsProvider.className"],
            ],
            ("HTTPS", _) => &[&["flags", "https_port"]],
            ("tasks", _) => &[&["resources", "ports"], &["resources"]],
            ("libprocess", true) => &[&["advertise", "port"], &["advertise", "libprocess_port"]],
            ("libprocess", false) => &[&["advertise", "libprocess_port"]],
            ("HTTP", true) if self.role != Some(Role::Marathon) => {
                &[&["advertise", "port"], &["port"]]
            }
            _ => &[&["port"]],
        }
    }

    /// How a report names it, with the canonical role names: "ZooKeeper's
    /// client port", "the Mesos leader" (messages use
    /// [`Listener::describe_as`] with the user's word).
    pub fn describe(&self) -> String {
        self.describe_as(self.role.map_or("", Role::name))
    }

    /// [`Listener::describe`] with `word` for its role, the user's word for
    /// it (`agent` or `follower`).
    pub fn describe_as(&self, word: &str) -> String {
        match (self.role, self.purpose) {
            (Some(Role::Zookeeper), "client") => "ZooKeeper's client port".into(),
            (Some(Role::Zookeeper), "quorum") => "ZooKeeper's peer port".into(),
            (Some(Role::Zookeeper), "election") => "ZooKeeper's election port".into(),
            (Some(Role::Zookeeper), "secure client") => "ZooKeeper's TLS client port".into(),
            (Some(Role::Zookeeper), "metrics") => "ZooKeeper's Prometheus exporter".into(),
            (Some(Role::Zookeeper), _) => "ZooKeeper's AdminServer".into(),
            (Some(Role::Leader | Role::Follower), "tasks") => {
                format!("the Mesos {word}'s task ports")
            }
            (Some(Role::Leader | Role::Follower), _) => format!("the Mesos {word}"),
            (Some(Role::Marathon), p) => format!("Marathon's {p} port"),
            (None, p) if self.unit == super::ETCD_UNIT => format!("etcd's {p} port"),
            (None, _) => format!("service `{}`", self.unit.trim_end_matches(".service")),
        }
    }

    fn one(unit: &str, role: Option<Role>, purpose: &'static str, port: u16) -> Self {
        Listener {
            unit: unit.to_owned(),
            role,
            purpose,
            port,
            last: port,
            inside: None,
        }
    }

    /// `2181` or `31000-32000`.
    pub fn ports(&self) -> String {
        if self.last == self.port {
            self.port.to_string()
        } else {
            format!("{}-{}", self.port, self.last)
        }
    }
}

impl Cluster {
    /// Everything that listens on `host`, in role order, then extra
    /// services by name: [`Host::role_listeners`] (ZooKeeper's client, quorum
    /// and election ports and those its settings open, the leader's and
    /// follower's libprocess port, the task ports the follower offers, since
    /// tasks bind them, Marathon's HTTP, HTTPS and libprocess ports), and
    /// each extra service's `ports`.
    pub fn listeners(&self, host: &Host) -> Vec<Listener> {
        let mut out = host.role_listeners();
        for svc in self
            .services
            .iter()
            .filter(|s| s.hosts.contains(&host.name))
        {
            let unit = format!("{}.service", svc.name);
            for &p in &svc.ports {
                out.push(Listener::one(&unit, None, "", p));
            }
        }
        out
    }
}

impl Marathon {
    /// The HTTPS port, when `https_port` is set.
    pub fn https_port(&self) -> Option<u16> {
        self.flags
            .get("https_port")
            .and_then(|s| s.value.parse().ok())
    }
}
