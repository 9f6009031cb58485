//! Hosts: addresses, roles, the ZooKeeper ensemble and its URLs, and the
//! assembly of the whole model.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::{Builder, Ctx};
use crate::model::{self, Role, ZkMember, Zookeeper};
use crate::resolve::CheckError;
use crate::resolve::value::{Slot, Table, Value};
use crate::resolve::{HostDecl, Resolved};
use crate::schema::keys;
use crate::span::{Span, Spanned};
use crate::suggest::did_you_mean;

/// What is known of a host before its services are built.
pub(crate) struct HostInfo<'r> {
    pub(crate) decl: &'r HostDecl,
    resolved: &'r Resolved,
    pub(crate) address: Spanned<IpAddr>,
    pub(crate) roles: Vec<Spanned<Role>>,
    /// The host's DNS name (`hostname = "…"`), every program's `--hostname`.
    pub(crate) hostname: Option<Spanned<String>>,
}

impl<'r> HostInfo<'r> {
    pub(crate) fn has(&self, role: Role) -> bool {
        self.roles.iter().any(|r| r.node == role)
    }

    /// The merged block of a role (all layers applied), made when asked
    /// and not kept: held for every host at once, the copies were a fifth
    /// of a large check's memory.
    pub(crate) fn section(&self, role: Role) -> std::borrow::Cow<'r, Table> {
        self.resolved.section_for(self.decl, role.name())
    }

    /// The setting at `path` of a role the host has, as the merged block
    /// holds it (see [`Resolved::setting_for`]).
    pub(crate) fn setting(&self, role: Role, path: &[&str]) -> Option<&'r Slot> {
        if !self.has(role) {
            return None;
        }
        self.resolved.setting_for(self.decl, role.name(), path)
    }

    pub(crate) fn name(&self) -> &str {
        &self.decl.name.node
    }

    /// Where the role was given, for labels.
    pub(crate) fn role_span(&self, role: Role) -> Span {
        self.roles
            .iter()
            .find(|r| r.node == role)
            .map_or(self.decl.name.span, |r| r.span)
    }
}

impl<E: super::Sink> Builder<'_, E> {
    pub(super) fn cluster(
        &mut self,
        ctx: &Ctx,
        name: &str,
        source: &str,
        outputs: model::Outputs,
    ) -> Option<model::Cluster> {
        self.block_keys(ctx);
        self.unselected_overlays(ctx);
        let infos: Vec<HostInfo> = ctx
            .resolved
            .hosts
            .iter()
            .filter_map(|h| self.host_info(ctx.resolved, h))
            .collect();
        self.unique_addresses(&infos);
        self.ipv4_for_mesos(&infos);
        let zookeeper = self.ensemble(ctx, &infos);
        let zk_section = ctx.resolved.section("zookeeper");
        let chroot = self.chroot(&zk_section, "chroot", "/mesos");
        let marathon_chroot = self.chroot(&zk_section, "marathon_chroot", "/marathon");
        let mesos_zk = zk_url(&zookeeper, &chroot);
        let marathon_zk = zk_url(&zookeeper, &marathon_chroot);
        let mut auth = self.auth(ctx);
        let marathon = infos.iter().any(|h| h.has(Role::Marathon));
        auth.zookeeper = self.zookeeper_credentials(ctx, marathon);
        let urls = Urls {
            mesos_zk: &mesos_zk,
            marathon_zk: &marathon_zk,
        };
        let leaders = infos.iter().filter(|h| h.has(Role::Leader)).count();
        let mut hosts: Vec<model::Host> = infos
            .iter()
            .map(|info| self.host(ctx, info, &zookeeper, &urls, &auth, leaders))
            .collect();
        standalone(&zookeeper, &mut hosts);
        let services = self.extra_services(ctx, &infos, &mut hosts);
        let etcd = self.coreos(ctx, &outputs, &infos, &mut hosts);
        for (info, host) in infos.iter().zip(&hosts) {
            self.ports(ctx, info, host);
        }
        // Names are unique (a repeated host stops the check before the model),
        // so an unstable sort orders them the same, in place.
        hosts.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        Some(model::Cluster {
            name: name.to_string(),
            source: source.to_string(),
            versions: ctx.versions.clone(),
            outputs,
            environment: ctx.resolved.environment.as_ref().map(|(n, _)| n.clone()),
            hosts,
            zookeeper,
            mesos_zk,
            marathon_zk,
            auth,
            services,
            etcd,
        })
    }

    fn host_info<'r>(
        &mut self,
        resolved: &'r Resolved,
        decl: &'r HostDecl,
    ) -> Option<HostInfo<'r>> {
        let table = decl.effective();
        self.r().known_keys(&table, keys::Block::Host);
        let block = format!("host `{}`", decl.name.node);
        let address = match table.get("address") {
            Some(_) => self.r().ip(&table, "address"),
            None => {
                self.missing(
                    &block,
                    "address",
                    decl.name.span,
                    "add `address = \"10.0.0.1\"`",
                );
                None
            }
        };
        let roles = self.roles(&table, decl, &block);
        let hostname = self.hostname(&table);
        let (address, roles) = (address?, roles?);
        Some(HostInfo {
            decl,
            resolved,
            address,
            roles,
            hostname,
        })
    }

    /// `hostname = "m1.example.com"`: a DNS name (letters, digits, `-` and
    /// `.`), as Mesos' and Marathon's `--hostname` take it.
    fn hostname(&mut self, table: &Table) -> Option<Spanned<String>> {
        let name = self.r().string(table, "hostname")?;
        if crate::schema::is_hostname(&name.node) {
            return Some(name);
        }
        self.r().invalid(
            format!("`{}` is not a DNS name", name.node),
            "not a host name",
            name.span,
            Some("write the host's fully qualified name, such as `\"m1.example.com\"`".into()),
        );
        None
    }

    fn missing(&mut self, block: &str, key: &str, span: Span, help: &str) {
        self.diags.push(CheckError::MissingSetting {
            key: key.into(),
            block: block.into(),
            span,
            help: Some(help.into()),
        });
    }

    fn roles(&mut self, table: &Table, decl: &HostDecl, block: &str) -> Option<Vec<Spanned<Role>>> {
        let Some((items, span)) = self.r().list(table, "roles") else {
            let (follower, leader) = (
                self.say(Role::Follower, decl.span),
                self.say(Role::Leader, decl.span),
            );
            self.missing(
                block,
                "roles",
                decl.name.span,
                &format!("add `roles = [{follower}]` (or {leader}, zookeeper, marathon)"),
            );
            return None;
        };
        let mut roles: Vec<Spanned<Role>> = Vec::new();
        for v in items {
            let (Value::Symbol(word) | Value::Str(word)) = &v.value else {
                self.r().mismatch("a role", v, None);
                continue;
            };
            match Role::from_name(word) {
                Some(role) if !roles.iter().any(|r| r.node == role) => {
                    roles.push(Spanned::new(role, v.span))
                }
                Some(_) => {}
                None => self.diags.push(CheckError::UnknownRole {
                    role: word.clone(),
                    span: v.span,
                    help: did_you_mean(word, keys::ROLE_NAMES.iter().copied())
                        .or_else(|| Some(format!("roles are {}", self.all_roles(v.span)))),
                }),
            }
        }
        if items.is_empty() {
            self.diags.push(CheckError::NoRoles {
                host: decl.name.node.clone(),
                span,
                roles: self.all_roles(span),
            });
            return None;
        }
        roles.sort_by_key(|r| r.node);
        Some(roles)
    }

    /// Mesos cannot run on IPv6: libprocess accepts only an IPv4 `--ip`
    /// (`3rdparty/libprocess/src/process.cpp`, `net::IP` checked for
    /// `AF_INET`), and the ZooKeeper C client bundled with Mesos cannot parse
    /// a bracketed IPv6 server in `zk://`. So a host with a Mesos role, or a
    /// managed ZooKeeper server of a cluster that has one, needs an IPv4
    /// address.
    fn ipv4_for_mesos(&mut self, infos: &[HostInfo]) {
        let mesos =
            |h: &HostInfo| h.has(Role::Leader) || h.has(Role::Follower) || h.has(Role::Marathon);
        let any_mesos = infos.iter().any(mesos);
        for info in infos.iter().filter(|h| h.address.node.is_ipv6()) {
            let why = if mesos(info) {
                "Mesos and Marathon bind only IPv4 addresses (libprocess)"
            } else if any_mesos && info.has(Role::Zookeeper) {
                "Mesos' ZooKeeper client cannot reach an IPv6 server in `zk://`"
            } else {
                continue;
            };
            self.diags.push(super::ModelError::Ipv6Address {
                host: info.name().to_string(),
                why: why.into(),
                span: info.address.span,
            });
        }
    }

    fn unique_addresses(&mut self, infos: &[HostInfo]) {
        let mut seen: BTreeMap<IpAddr, &HostInfo> = BTreeMap::new();
        for info in infos {
            if let Some(first) = seen.get(&info.address.node) {
                self.diags.push(CheckError::DuplicateAddress {
                    address: info.address.node.to_string(),
                    first: first.address.span,
                    first_host: first.name().into(),
                    second: info.address.span,
                    second_host: info.name().into(),
                });
            } else {
                seen.insert(info.address.node, info);
            }
        }
    }

    /// A znode path setting (absolute, no trailing `/`).
    fn chroot(&mut self, t: &Table, key: &str, default: &str) -> String {
        let Some(s) = self.r().string(t, key) else {
            return default.into();
        };
        let valid = s.node.starts_with('/')
            && s.node.len() > 1
            && !s.node.ends_with('/')
            && !s.node.contains("//");
        // ZooKeeper refuses relative segments in a path
        // (`PathUtils.validatePath`: "relative paths not allowed"), and so
        // Mesos' `zk://` chroot.
        let relative = s.node.split('/').any(|seg| seg == "." || seg == "..");
        if !valid || relative {
            let help = relative.then(|| {
                format!("ZooKeeper allows no `.` or `..` segment in a znode path; write it out, such as `{default}`")
            });
            self.r().invalid(
                format!("`{key}` must be an absolute znode path such as `{default}`"),
                "not a znode path",
                s.span,
                help,
            );
            return default.into();
        }
        s.node
    }

    /// The ensemble: managed (hosts with the `zookeeper` role) or external.
    fn ensemble(&mut self, ctx: &Ctx, infos: &[HostInfo]) -> Zookeeper {
        let section = ctx.resolved.section("zookeeper");
        let external = self.external_zookeeper(&section);
        let members: Vec<&HostInfo> = infos.iter().filter(|h| h.has(Role::Zookeeper)).collect();
        if let Some(hosts) = external {
            if let Some(m) = members.first() {
                self.r().invalid(
                    "hosts have the `zookeeper` role, but `zookeeper` names an external ensemble"
                        .into(),
                    "external ensemble",
                    match section.peek("dns") {
                        Some(dns) => dns.origin.span,
                        None => super::read::slot_span(&section, "hosts"),
                    },
                    Some(format!(
                        "remove the `zookeeper` role from `{}` or the external ensemble",
                        m.name()
                    )),
                );
            }
            return Zookeeper::External { hosts };
        }
        let servers = self.zk_members(ctx, &members);
        Zookeeper::Managed { servers }
    }

    fn external_zookeeper(&mut self, section: &Table) -> Option<Vec<String>> {
        if let Some(dns) = self.r().string(section, "dns") {
            let port = self
                .r()
                .port(section, "client_port")
                .map_or(crate::schema::ZK_CLIENT_PORT, |p| p.node);
            return Some(vec![format!("{}:{port}", dns.node)]);
        }
        let (items, _) = self.r().list(section, "hosts")?;
        let mut hosts = Vec::new();
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        for v in items {
            match &v.value {
                Value::Str(s) if valid_host_port(s) => {
                    // Host names are case-insensitive (DNS).
                    if let Some(first) = seen.get(&s.to_ascii_lowercase()) {
                        self.diags.push(super::ModelError::DuplicateZookeeperHost {
                            server: s.clone(),
                            first: *first,
                            second: v.span,
                        });
                        continue;
                    }
                    seen.insert(s.to_ascii_lowercase(), v.span);
                    hosts.push(s.clone());
                }
                Value::Str(s) => self.r().invalid(
                    format!("`{s}` is not `host:port`"),
                    "expected host:port",
                    v.span,
                    Some("write each server as \"zk1.example.com:2181\"".into()),
                ),
                _ => self.r().mismatch("a \"host:port\" string", v, None),
            }
        }
        // A majority of an even ensemble tolerates no more failures than
        // one fewer server, as for a managed one (`even_quorum`).
        if !hosts.is_empty() && hosts.len().is_multiple_of(2) {
            let labels = seen
                .iter()
                .map(|(h, span)| miette::LabeledSpan::new_with_span(Some(format!("`{h}`")), *span))
                .collect();
            self.diags.push(super::ModelError::EvenQuorum {
                what: "external ZooKeeper servers".into(),
                count: hosts.len(),
                less: hosts.len() - 1,
                hosts: labels,
            });
        }
        Some(hosts)
    }

    /// The ensemble's servers, sorted by id. An explicit `id` is kept (two
    /// hosts with one id are an error at both places); the other hosts get
    /// the smallest free ids in the order of their names, so the ids do not
    /// depend on the order of the host blocks in the file.
    fn zk_members(&mut self, ctx: &Ctx, members: &[&HostInfo]) -> Vec<ZkMember> {
        let mut by_name: Vec<&HostInfo> = members.to_vec();
        by_name.sort_by(|a, b| a.name().cmp(b.name()));
        let sections: Vec<_> = by_name
            .iter()
            .map(|info| ctx.resolved.section_for(info.decl, "zookeeper"))
            .collect();
        let explicit: Vec<Option<crate::span::Spanned<i64>>> = sections
            .iter()
            .map(|t| self.r().int(t, "id", 1, 255))
            .collect();
        let mut used: BTreeMap<u32, (Span, &str)> = BTreeMap::new();
        for (info, id) in by_name.iter().zip(&explicit) {
            let Some(id) = id else { continue };
            let n = id.node as u32;
            if let Some((first, first_host)) = used.get(&n).copied() {
                let help = if first == id.span {
                    Some("this one `id` applies to several hosts: set `id` in each host's own `zookeeper { }` block".into())
                } else {
                    Some("give each ZooKeeper host its own id, or leave `id` out to have one assigned".into())
                };
                self.diags.push(super::ModelError::DuplicateZookeeperId {
                    id: n,
                    first,
                    first_host: first_host.to_string(),
                    second: id.span,
                    second_host: info.name().to_string(),
                    help,
                });
                continue;
            }
            used.insert(n, (id.span, info.name()));
        }
        let taken: std::collections::BTreeSet<u32> = used.keys().copied().collect();
        let mut free = (1..).filter(|n| !taken.contains(n));
        let mut servers = Vec::with_capacity(members.len());
        for ((info, t), id) in by_name.iter().zip(&sections).zip(&explicit) {
            let id = match id {
                Some(id) => id.node as u32,
                None => free.next().unwrap_or(u32::MAX),
            };
            let ports = self.zk_ports(t);
            servers.push(ZkMember {
                host: info.name().to_string(),
                address: info.address.node,
                id,
                client_port: ports.0,
                peer_port: ports.1,
                election_port: ports.2,
                observer: is_observer(t),
            });
        }
        servers.sort_by_key(|s| s.id);
        servers
    }

    /// Client, peer and election ports of a ZooKeeper section.
    pub(crate) fn zk_ports(&mut self, t: &Table) -> (u16, u16, u16) {
        let client = self
            .r()
            .port(t, "client_port")
            .map_or(crate::schema::ZK_CLIENT_PORT, |p| p.node);
        let peer = self
            .r()
            .port(t, "peer_port")
            .map_or(crate::schema::ZK_QUORUM_PORT, |p| p.node);
        let election = self
            .r()
            .port(t, "election_port")
            .map_or(crate::schema::ZK_ELECTION_PORT, |p| p.node);
        (client, peer, election)
    }
}

/// Whether a ZooKeeper section makes its server an observer
/// (`settings { peerType = "observer" }`, case-insensitive as
/// `QuorumPeerConfig.java` reads it).
fn is_observer(t: &Table) -> bool {
    t.get("settings")
        .and_then(|s| match &s.val.value {
            Value::Table(settings) => settings.value("peerType")?.value.scalar_text(),
            _ => None,
        })
        .is_some_and(|v| v.eq_ignore_ascii_case("observer"))
}

fn valid_host_port(s: &str) -> bool {
    let Some((host, port)) = s.rsplit_once(':') else {
        return false;
    };
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && port.parse::<u16>().is_ok_and(|p| p > 0)
}

/// `zk://h1:2181,h2:2181/path`, hosts in id order.
fn zk_url(zk: &Zookeeper, path: &str) -> String {
    let hosts: Vec<String> = match zk {
        Zookeeper::Managed { servers } => servers
            .iter()
            .map(|s| host_port(s.address, s.client_port))
            .collect(),
        Zookeeper::External { hosts } => hosts.clone(),
    };
    format!("zk://{}{path}", hosts.join(","))
}

/// A single leader without any ZooKeeper runs standalone, as Mesos'
/// getting-started guide does: `src/master/main.cpp` (1.11.0) then uses the
/// standalone contender and detector and a local replicated log (no
/// `--quorum`), and agents find it at `--master=HOST:PORT` (the agent's flag
/// takes `host:port`, `src/slave/flags.cpp`). So the leader gets no `--zk`
/// and no `--quorum`, and followers its address and libprocess port (the
/// advertised ones when it is bridged). `checks` warns about it.
fn standalone(zookeeper: &Zookeeper, hosts: &mut [model::Host]) {
    let no_zookeeper = matches!(zookeeper, Zookeeper::Managed { servers } if servers.is_empty());
    let mut leaders = hosts.iter().filter(|h| h.leader.is_some());
    let (Some(leader), None) = (leaders.next(), leaders.next()) else {
        return;
    };
    if !no_zookeeper {
        return;
    }
    let service = &leader.leader.as_ref().map(|l| &l.service);
    let Some(service) = service else { return };
    let (ip, port) = service
        .advertise
        .as_ref()
        .map_or((leader.address, service.port), |a| (a.ip, a.port));
    let master = host_port(ip, port);
    for host in hosts.iter_mut() {
        if let Some(l) = host.leader.as_mut() {
            l.flags.remove("zk");
            l.flags.remove("quorum");
        }
        if let Some(f) = host.follower.as_mut() {
            f.flags
                .insert("master".into(), model::Setting::derived(master.clone()));
        }
    }
}

/// `address:port`, with IPv6 addresses in brackets.
pub(crate) fn host_port(address: IpAddr, port: u16) -> String {
    match address {
        IpAddr::V4(a) => format!("{a}:{port}"),
        IpAddr::V6(a) => format!("[{a}]:{port}"),
    }
}

/// The `zk://` URLs every service needs.
pub(crate) struct Urls<'a> {
    pub(crate) mesos_zk: &'a str,
    pub(crate) marathon_zk: &'a str,
}
