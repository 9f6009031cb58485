//! One service instance per (host, role): common settings with defaults,
//! and each program's complete flag set (derived flags plus checked user flags).

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::hosts::{HostInfo, Urls};
use super::{Builder, Ctx};
use crate::model::{
    self, AGENT_CREDENTIAL, AGENT_ZK_URL, Advertise, Auth, MASTER_CREDENTIALS, MASTER_ZK_URL,
    Network, Role, Runtime, Setting, Zookeeper,
};
use crate::resolve::CheckError;
use crate::resolve::value::{Table, Value};
use crate::schema::{Program, keys, versions};

/// The folders a service's program writes on the host, as read for its
/// role and runtime: Mesos's `--work_dir` and `--log_dir`, ZooKeeper's
/// `dataDir` (and, in a container, its log folder), a container's mounts.
struct Dirs {
    /// The state folder.
    work_dir: String,
    /// The log folder, where it applies and is set.
    log_dir: Option<String>,
}

/// Built-in defaults of one role (from `schema::Role`).
struct Defaults {
    port: u16,
    work_dir: &'static str,
    command: &'static str,
}

fn defaults(role: Role, mesos: &crate::schema::Version) -> Defaults {
    Defaults {
        port: role.default_port(),
        work_dir: role.default_work_dir(),
        command: role.default_command(mesos),
    }
}

impl<E: super::Sink> Builder<'_, E> {
    /// Builds a host's services.
    pub(super) fn host(
        &mut self,
        ctx: &Ctx,
        info: &HostInfo,
        zk: &Zookeeper,
        urls: &Urls,
        auth: &Auth,
        leaders: usize,
    ) -> model::Host {
        let mut host = model::Host {
            name: info.name().to_string(),
            span: info.decl.name.span,
            address: info.address.node,
            // fleet metadata reaches the machines through the CoreOS
            // cloud-config (`coreos.fleet.metadata`): read only then.
            fleet_metadata: match ctx.fleet {
                true => self.fleet_metadata(&ctx.resolved.section_for(info.decl, "fleet")),
                false => BTreeMap::new(),
            },
            zookeeper: None,
            leader: None,
            follower: None,
            marathon: None,
            services: Vec::new(),
            coreos: None,
        };
        for role in info.roles.iter().map(|r| r.node) {
            let t = &*info.section(role);
            let (service, dirs) = self.common(ctx, t, role, info.address.node);
            match role {
                Role::Zookeeper => {
                    host.zookeeper = self
                        .zk_server(ctx, t, (service, dirs), info, zk)
                        .map(Box::new)
                }
                Role::Leader => {
                    host.leader = Some(Box::new(self.leader(
                        ctx,
                        t,
                        (service, dirs),
                        info,
                        urls,
                        auth,
                        leaders,
                    )))
                }
                Role::Follower => {
                    host.follower = Some(Box::new(self.follower(
                        ctx,
                        t,
                        (service, dirs),
                        info,
                        urls,
                        auth,
                    )))
                }
                Role::Marathon => {
                    host.marathon = Some(Box::new(self.marathon(ctx, t, service, info, urls, auth)))
                }
            }
        }
        host
    }

    /// Reports unknown keys in every role block as written: cluster-wide,
    /// overlays, templates and hosts (whether or not any host uses it).
    pub(super) fn block_keys(&mut self, ctx: &Ctx) {
        let r = ctx.resolved;
        let bodies = r
            .hosts
            .iter()
            .flat_map(|h| std::iter::once(&h.body).chain(h.overlay.as_ref()));
        let bodies = bodies.chain(r.templates.values().map(|t| &t.body));
        for role in Role::ALL {
            let block = keys::Block::of_role(role);
            let written = r
                .sections
                .get(role.name())
                .into_iter()
                .chain(r.overlay_sections.get(role.name()));
            // Flags are checked as written too, whether or not a host with
            // the role reads them (`marathon { flags { … } }` with no
            // Marathon host is still checked, and reported as without effect).
            let (program, flags) = super::overlays::flags_of(role);
            for t in written {
                if self.first_time(t.span, "block keys") {
                    self.r().known_keys(t, block);
                    if let Some(f) = t.peek_table(flags) {
                        self.check_flags(ctx, program, f);
                    }
                }
            }
            for t in bodies.clone().filter_map(|b| b.peek_table(role.name())) {
                if self.first_time(t.span, "block keys") {
                    self.r().known_keys_at(t, block, true);
                    self.per_host_keys(t, block);
                    if let Some(f) = t.peek_table(flags) {
                        self.check_flags(ctx, program, f);
                    }
                }
            }
        }
    }

    /// Reports the keys of a host's or a template's `block` that may only be
    /// written cluster-wide (the schema's [`keys::Places::ClusterWide`]).
    pub(super) fn per_host_keys(&mut self, t: &Table, block: keys::Block) {
        for slot in &t.slots {
            let Some(key) = keys::get(block, &slot.key) else {
                continue;
            };
            if key.places.per_host() || !self.first_time(slot.key_span, "per-host key") {
                continue;
            }
            let written = self.words.word_at(block.name(), slot.key_span);
            self.diags.push(CheckError::MisplacedKey {
                key: slot.key.clone(),
                block: written.into(),
                span: slot.key_span,
                entry: slot.origin.span,
                place: slot.origin.layer.to_string(),
                help: Some(format!(
                    "move `{}` to the cluster-wide `{written} {{ … }}` block (outside every host and template)",
                    slot.key,
                )),
            });
        }
    }

    /// A role's service on a host, and the folders its program writes.
    fn common(
        &mut self,
        ctx: &Ctx,
        t: &Table,
        role: Role,
        address: IpAddr,
    ) -> (model::Service, Dirs) {
        let d = defaults(role, &ctx.versions.mesos);
        let port_key = if role == Role::Zookeeper {
            "client_port"
        } else {
            "port"
        };
        let runtime = if t.get("runtime").is_some() {
            self.runtime(t)
        } else {
            ctx.runtime
        };
        // Only what applies is read: an entry no read marks is reported as
        // having no effect (model/usage.rs), with the schema's reason.
        let docker = runtime == Runtime::Docker;
        let network = match docker
            .then(|| {
                self.r()
                    .choice(t, "network", keys::words(keys::Block::Leader, "network"))
            })
            .flatten()
        {
            Some(n) if n.node == "bridge" => Network::Bridge,
            _ => Network::Host,
        };
        let port = self.r().port(t, port_key).map_or(d.port, |p| p.node);
        let image = match docker {
            true => self.r().string(t, "image").map(|s| s.node),
            false => None,
        }
        .unwrap_or_default();
        if docker && image.is_empty() && self.first_time(t.span, "image") {
            let word = ctx.say(role, t.span);
            self.r().invalid(
                format!("the `{word}` service runs in docker but has no `image`"),
                "docker runtime",
                match t.peek("runtime") {
                    Some(r) => r.origin.span,
                    None => ctx.runtime_span,
                },
                Some(format!("add `image = \"…\"` to the `{word}` block")),
            );
        }
        // Mesos takes both directories as flags and ZooKeeper its data
        // directory in zoo.cfg; Marathon has neither, and ZooKeeper's log
        // directory is the container's ZOO_LOG_DIR: only containers mount them.
        let mesos = matches!(role, Role::Leader | Role::Follower);
        let work_dir = match docker || role != Role::Marathon {
            true => self.r().path(t, "work_dir").map(|p| p.node),
            false => None,
        };
        let dirs = Dirs {
            work_dir: work_dir.unwrap_or_else(|| d.work_dir.to_string()),
            log_dir: match docker || mesos {
                true => self.r().path(t, "log_dir").map(|p| p.node),
                false => None,
            },
        };
        let run = match docker {
            false => model::Run::Native {
                command: self
                    .r()
                    .path(t, "command")
                    .map_or_else(|| d.command.to_string(), |p| p.node),
            },
            true => model::Run::Docker(model::Container {
                image,
                network,
                work_dir: dirs.work_dir.clone(),
                log_dir: dirs.log_dir.clone(),
            }),
        };
        let service = model::Service {
            port,
            run,
            advertise: self.advertise(t, role, runtime, network, address, port),
            tls: if role == Role::Zookeeper {
                None
            } else {
                self.tls(ctx, t)
            },
        };
        (service, dirs)
    }

    /// What a service advertises. Mesos daemons take `advertise_ip` and
    /// `advertise_port` as flags in any runtime; Marathon's address and port
    /// go into `LIBPROCESS_ADVERTISE_*` of a bridged container only, and its
    /// `libprocess_port` into `LIBPROCESS_PORT` everywhere; ZooKeeper
    /// advertises nothing. What does not apply is not read.
    fn advertise(
        &mut self,
        t: &Table,
        role: Role,
        runtime: Runtime,
        network: Network,
        address: IpAddr,
        port: u16,
    ) -> Option<Advertise> {
        if role == Role::Zookeeper {
            return None;
        }
        let a = self.r().table(t, "advertise");
        if network == Network::Host && a.is_none() {
            return None;
        }
        let empty = Table::default();
        let a = a.unwrap_or(&empty);
        let bridged = runtime == Runtime::Docker && network == Network::Bridge;
        let libprocess_port = self.r().port(a, "libprocess_port");
        let libprocess_port = match (role, libprocess_port) {
            // Marathon: a fixed libprocess port, so it can be published.
            (Role::Marathon, Some(p)) => Some(p.node),
            (Role::Marathon, None) if network == Network::Bridge => {
                Some(model::MARATHON_LIBPROCESS_PORT)
            }
            (Role::Leader | Role::Follower, Some(p)) => {
                if self.first_time(p.span, "libprocess_port") {
                    self.diags.push(super::ModelError::NoEffect {
                        message: format!(
                            "`libprocess_port` has no effect on a {}: its libprocess port is `port`",
                            self.say(role, p.span)
                        ),
                        span: p.span,
                        entry: super::read::slot_entry(a, "libprocess_port"),
                        help: Some(
                            "Mesos sets LIBPROCESS_PORT from --port (src/master/main.cpp, src/slave/main.cpp): remove `libprocess_port`, and set `port` (and `advertise { port }` for the host side) instead".into(),
                        ),
                    });
                }
                None
            }
            _ => None,
        };
        // Marathon advertises its libprocess port, not its HTTP port.
        let default_port = match (role, libprocess_port) {
            (Role::Marathon, Some(p)) => p,
            _ => port,
        };
        if role == Role::Marathon && !bridged {
            return Some(Advertise {
                ip: address,
                port: default_port,
                libprocess_port,
            });
        }
        let ip = self.r().ip(a, "ip");
        let advertised = self.r().port(a, "port");
        // A Mesos daemon on the host network advertises only what is
        // written: a block holding nothing it reads adds no flags.
        if network == Network::Host && ip.is_none() && advertised.is_none() {
            return None;
        }
        Some(Advertise {
            ip: ip.map_or(address, |ip| ip.node),
            port: advertised.map_or(default_port, |p| p.node),
            libprocess_port,
        })
    }

    /// `tls { cert key ca }`: libprocess TLS, with every file a secret.
    /// Mesos has it from 0.23.0, and only when built with `--enable-ssl`
    /// (`3rdparty/libprocess/src/openssl.cpp`): a warning says so.
    fn tls(&mut self, ctx: &Ctx, t: &Table) -> Option<model::Tls> {
        let block = self.r().table(t, "tls")?;
        let report = self.first_time(block.span, "tls");
        if report {
            self.r().known_keys(block, keys::Block::Tls);
        }
        let file = |b: &mut Self, key: &str| -> Option<String> {
            let v = block.value(key)?;
            match &v.value {
                Value::File(path) => Some(path.clone()),
                _ if !report => None,
                Value::Str(_) | Value::Int(_) | Value::Symbol(_) => {
                    b.diags
                        .push(super::ModelError::LiteralSecret { span: v.span });
                    None
                }
                _ => {
                    b.r().mismatch("`file(\"/path\")`", v, None);
                    None
                }
            }
        };
        let (cert, key, ca) = (file(self, "cert"), file(self, "key"), file(self, "ca"));
        let Some(prefix) = versions::ssl_prefix(&ctx.versions.mesos) else {
            if report {
                self.r().invalid(
                    format!("Mesos {} has no TLS", ctx.versions.mesos),
                    "libprocess TLS needs Mesos 0.23.0",
                    block.span,
                    Some("declare `mesos = \"1.0.0\"` or newer (openssl.cpp in libprocess)".into()),
                );
            }
            return None;
        };
        if report {
            for (k, present) in [("cert", cert.is_some()), ("key", key.is_some())] {
                if !present && block.value(k).is_none() {
                    self.diags.push(CheckError::MissingSetting {
                        key: k.into(),
                        block: "the `tls` block".into(),
                        span: block.span,
                        help: Some(format!("add `{k} = file(\"/etc/mesos/tls/{k}.pem\")`")),
                    });
                }
            }
            self.diags.push(super::ModelError::PlatformFlag {
                name: "tls".into(),
                condition: "when Mesos (and Marathon's libmesos) is built with `--enable-ssl`"
                    .into(),
                span: block.span,
                help: Some("other builds ignore the TLS variables and talk plain TCP".into()),
            });
        }
        Some(model::Tls {
            cert: cert?,
            key: key?,
            ca,
            prefix,
        })
    }

    /// `fleet { metadata { } }`, cluster-wide and the host's own merged
    /// (the keys of every `fleet` block are checked with etcd's and
    /// update's, in `etcd.rs`).
    fn fleet_metadata(&mut self, fleet: &Table) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Some(meta) = self.r().table(fleet, "metadata") else {
            return out;
        };
        for slot in meta.entries() {
            let Some(v) = slot.val.value.scalar_text() else {
                self.r().mismatch("a scalar value", &slot.val, None);
                continue;
            };
            if let Some((message, span)) = fleet_metadata_problem(&slot.key, &v, slot) {
                let help = Some("fleet metadata is `key=value` pairs joined by `,`; mesosc sets `host` and `role-<role>` itself".into());
                self.r()
                    .invalid(message, "not usable as fleet metadata", span, help);
                continue;
            }
            out.insert(slot.key.clone(), v);
        }
        out
    }

    fn zk_server(
        &mut self,
        ctx: &Ctx,
        t: &Table,
        (service, dirs): (model::Service, Dirs),
        info: &HostInfo,
        zk: &Zookeeper,
    ) -> Option<model::ZkServer> {
        let Zookeeper::Managed { servers } = zk else {
            return None;
        };
        let me = servers.iter().find(|s| s.host == info.name())?;
        let admin_port = self.r().port(t, "admin_port").map(|p| p.node);
        let mut config: BTreeMap<String, Setting> = BTreeMap::new();
        let derived = |v: String| Setting::derived(v);
        config.insert("tickTime".into(), derived("2000".into()));
        config.insert("initLimit".into(), derived("10".into()));
        config.insert("syncLimit".into(), derived("5".into()));
        config.insert(
            "4lw.commands.whitelist".into(),
            derived("srvr,ruok,mntr".into()),
        );
        if ctx.versions.zookeeper >= versions::ZK_AUTOPURGE_SINCE {
            for (key, value) in versions::ZK_AUTOPURGE {
                config.insert(key.into(), derived(value.into()));
            }
        }
        config.insert("dataDir".into(), derived(dirs.work_dir));
        config.insert("clientPort".into(), derived(service.port.to_string()));
        let bind = match service.bridged() {
            true => "0.0.0.0".to_string(),
            false => info.address.node.to_string(),
        };
        config.insert("clientPortAddress".into(), derived(bind.clone()));
        if service.bridged() {
            // In a bridged container the peers' addresses are not local.
            config.insert("quorumListenOnAllIPs".into(), derived("true".into()));
        }

        match admin_port {
            Some(p) => {
                config.insert("admin.enableServer".into(), derived("true".into()));
                config.insert("admin.serverPort".into(), derived(p.to_string()));
                config.insert("admin.serverAddress".into(), derived(bind.clone()));
            }
            None => {
                config.insert("admin.enableServer".into(), derived("false".into()));
            }
        }
        let mut user = BTreeMap::new();
        if let Some(settings) = self.r().table(t, "settings") {
            self.user_flags(ctx, Program::ZooKeeper, settings, &mut user);
        }
        let mut jvm_properties = BTreeMap::new();
        for (key, setting) in user {
            let flag = crate::schema::table(Program::ZooKeeper).get(&key);
            match flag
                .filter(|f| f.jvm_only())
                .and_then(|f| f.system_property())
            {
                Some(property) => {
                    jvm_properties.insert(property, setting);
                }
                None => {
                    config.insert(key, setting);
                }
            }
        }
        self.rules(Program::ZooKeeper, &config);
        self.derived_versions(ctx, Program::ZooKeeper, &config);
        // ZooKeeper has no secrets list; its settings name no secret files.
        self.flag_secrets.clear();
        Some(model::ZkServer {
            service,
            id: me.id,
            peer_port: me.peer_port,
            election_port: me.election_port,
            admin_port: zk_admin_port(admin_port, &config),
            config,
            jvm_properties,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn leader(
        &mut self,
        ctx: &Ctx,
        t: &Table,
        (service, dirs): (model::Service, Dirs),
        info: &HostInfo,
        urls: &Urls,
        auth: &Auth,
        leaders: usize,
    ) -> model::Leader {
        let mut flags = mesos_common(&service, &dirs, info.address.node);
        let mut secrets = Vec::new();
        // With ZooKeeper credentials the unit writes the URL that holds them
        // to a runtime file, and `--zk=file://` reads it.
        match &auth.zookeeper {
            Some(secret) => {
                let url = format!("file://{MASTER_ZK_URL}");
                flags.insert("zk".into(), Setting::derived(url));
                secrets.push(secret.clone());
            }
            None => {
                flags.insert("zk".into(), Setting::derived(urls.mesos_zk));
            }
        }
        // Any strict majority is a valid quorum (the operational guide's
        // quorum change runs 3 of 3); checks::quorum reports the others.
        let quorum = match t.value("quorum").map(|v| &v.value) {
            Some(Value::Int(q)) if (*q as usize) > leaders / 2 && (*q as usize) <= leaders => {
                *q as usize
            }
            _ => leaders / 2 + 1,
        };
        flags.insert("quorum".into(), Setting::derived(quorum.to_string()));
        flags.insert(
            "cluster".into(),
            Setting::derived(ctx.resolved.cluster.as_ref().map_or("", |c| &c.name.node)),
        );
        let mesos = &ctx.versions.mesos;
        if auth.frameworks {
            let name = versions::framework_auth_flag(mesos);
            flags.insert(name.into(), Setting::derived("true"));
        }
        if auth.followers {
            let name = versions::agent_auth_flag(mesos);
            flags.insert(name.into(), Setting::derived("true"));
        }
        let credentials = auth.master_credentials();
        if !credentials.is_empty() {
            flags.insert("credentials".into(), Setting::derived(MASTER_CREDENTIALS));
            secrets.extend(credentials.iter().map(|(_, path)| path.to_string()));
        }
        self.host_hostname((ctx, info), Program::Master, t, &mut flags);
        self.rules(Program::Master, &flags);
        self.derived_versions(ctx, Program::Master, &flags);
        secrets.append(&mut self.flag_secrets);
        secrets.extend(service.tls.iter().flat_map(model::Tls::files));
        secrets.sort();
        secrets.dedup();
        model::Leader {
            service,
            flags,
            secrets,
        }
    }

    fn follower(
        &mut self,
        ctx: &Ctx,
        t: &Table,
        (service, dirs): (model::Service, Dirs),
        info: &HostInfo,
        urls: &Urls,
        auth: &Auth,
    ) -> model::Follower {
        let mut flags = mesos_common(&service, &dirs, info.address.node);
        let mut secrets = Vec::new();
        match &auth.zookeeper {
            Some(secret) => {
                let url = format!("file://{AGENT_ZK_URL}");
                flags.insert("master".into(), Setting::derived(url));
                secrets.push(secret.clone());
            }
            None => {
                flags.insert("master".into(), Setting::derived(urls.mesos_zk));
            }
        }
        if let Some((_, secret)) = auth.agent_credential() {
            flags.insert("credential".into(), Setting::derived(AGENT_CREDENTIAL));
            secrets.push(secret.to_owned());
        }
        self.host_hostname((ctx, info), Program::Agent, t, &mut flags);
        self.rules(Program::Agent, &flags);
        self.derived_versions(ctx, Program::Agent, &flags);
        secrets.append(&mut self.flag_secrets);
        secrets.extend(service.tls.iter().flat_map(model::Tls::files));
        let offered_ports = self.resources(t, &mut flags);
        self.attributes(t, &mut flags);
        let owca = self.profiles(ctx, t, &mut flags, info, service.port);
        model::Follower {
            service,
            flags,
            offered_ports,
            secrets,
            owca,
        }
    }

    fn marathon(
        &mut self,
        ctx: &Ctx,
        t: &Table,
        service: model::Service,
        info: &HostInfo,
        urls: &Urls,
        auth: &Auth,
    ) -> model::Marathon {
        let mut flags = BTreeMap::new();
        let mut secrets = Vec::new();
        match &auth.zookeeper {
            // The unit passes both URLs with the credentials as variables
            // from a runtime file (`MARATHON_SECRETS_ENV`).
            Some(secret) => secrets.push(secret.clone()),
            None => {
                flags.insert("master".into(), Setting::derived(urls.mesos_zk));
                flags.insert("zk".into(), Setting::derived(urls.marathon_zk));
            }
        }
        flags.insert(
            "http_port".into(),
            Setting::derived(service.port.to_string()),
        );
        let hostname = info
            .hostname
            .as_ref()
            .map_or_else(|| info.address.node.to_string(), |h| h.node.clone());
        flags.insert("hostname".into(), Setting::derived(hostname));
        if auth.frameworks {
            let principal = auth
                .credentials
                .keys()
                .find(|p| *p == "marathon")
                .or(auth.credentials.keys().next());
            if let Some(principal) = principal {
                // Before 1.3 Marathon authenticates when the principal and
                // secret file are set, and has no toggle (crate::schema::versions).
                if versions::marathon_auth_toggle(&ctx.versions.marathon) {
                    flags.insert("mesos_authentication".into(), Setting::derived(""));
                }
                flags.insert(
                    "mesos_authentication_principal".into(),
                    Setting::derived(principal.clone()),
                );
                let path = auth.credentials[principal].clone();
                flags.insert(
                    "mesos_authentication_secret_file".into(),
                    Setting::derived(path.clone()),
                );
                secrets.push(path);
            }
        }
        if let Some(user) = self.r().table(t, "flags") {
            self.user_flags(ctx, Program::Marathon, user, &mut flags);
        }
        self.rules(Program::Marathon, &flags);
        self.derived_versions(ctx, Program::Marathon, &flags);
        secrets.append(&mut self.flag_secrets);
        secrets.extend(service.tls.iter().flat_map(model::Tls::files));
        let secret_env = std::mem::take(&mut self.secret_env);
        secrets.extend(secret_env.iter().map(|(_, path)| path.clone()));
        model::Marathon {
            service,
            flags,
            secrets,
            secret_env,
        }
    }

    /// A Mesos daemon's user flags, and `--hostname` from the host's
    /// `hostname` (the same name Marathon gets). Writing both is an error:
    /// one host would advertise two names.
    fn host_hostname(
        &mut self,
        (ctx, info): (&Ctx, &HostInfo),
        program: Program,
        t: &Table,
        flags: &mut BTreeMap<String, Setting>,
    ) {
        if let Some(user) = self.r().table(t, "flags") {
            self.user_flags(ctx, program, user, flags);
        }
        let Some(name) = &info.hostname else {
            return;
        };
        if let Some(origin) = flags.get("hostname").and_then(|s| s.origin.as_ref()) {
            if self.first_time(origin.span, "hostname") {
                self.diags.push(super::ModelError::FlagConflict {
                    message: format!(
                        "`hostname` is given twice for {} on `{}`",
                        program.name(),
                        info.name()
                    ),
                    span: origin.span,
                    other: Some(name.span),
                    help: Some(
                        "keep the host's `hostname`: every program on the host advertises it"
                            .into(),
                    ),
                });
            }
            return;
        }
        flags.insert("hostname".into(), Setting::derived(name.node.clone()));
    }

    /// Offered resources: the structured `resources { }` block compiled to
    /// Mesos' text form, or the raw `flags { resources = "…" }`. Returns the
    /// offered port ranges.
    fn resources(&mut self, t: &Table, flags: &mut BTreeMap<String, Setting>) -> Vec<(u64, u64)> {
        let default = vec![(31000, 32000)];
        if let Some(block) = self.r().table(t, "resources") {
            if let Some(raw) = flags.get("resources").and_then(|s| s.origin.as_ref()) {
                self.diags.push(super::ModelError::FlagConflict {
                    message: "resources are given twice".into(),
                    span: block.span,
                    other: Some(raw.span),
                    help: Some(
                        "keep either the `resources { }` block or `flags { resources = … }`".into(),
                    ),
                });
            }
            let (text, ports, origin) = self.structured_resources(block);
            if !text.is_empty() {
                flags.insert(
                    "resources".into(),
                    Setting {
                        value: text,
                        origin: origin.map(Box::new),
                    },
                );
            }
            return ports.unwrap_or(default);
        }
        match flags.get("resources") {
            Some(s) => self.raw_resources(s).unwrap_or(default),
            None => default,
        }
    }

    fn attributes(&mut self, t: &Table, flags: &mut BTreeMap<String, Setting>) {
        let Some(block) = self.r().table(t, "attributes") else {
            return;
        };
        // As for resources: the block would overwrite the raw flag.
        if let Some(raw) = flags.get("attributes").and_then(|s| s.origin.as_ref()) {
            self.diags.push(super::ModelError::FlagConflict {
                message: "attributes are given twice".into(),
                span: block.span,
                other: Some(raw.span),
                help: Some(
                    "keep either the `attributes { }` block or `flags { attributes = … }`".into(),
                ),
            });
        }
        let mut parts: Vec<(String, String)> = Vec::new();
        for slot in block.entries() {
            let value = match &slot.val.value {
                Value::Range(a, b) => Some(format!("[{a}-{b}]")),
                Value::List(_) | Value::Table(_) | Value::File(_) => None,
                other => other.scalar_text(),
            };
            match value {
                Some(v)
                    if !v.is_empty()
                        && !v.contains([';', ':'])
                        && !v.contains(char::is_control) =>
                {
                    parts.push((slot.key.clone(), v))
                }
                _ => {
                    if self.first_time(slot.val.span, "attribute") {
                        self.diags.push(super::ModelError::InvalidResources {
                            what: "attributes".into(),
                            message: format!(
                                "`{}` needs a text, number or range value without `;`, `:` or control characters",
                                slot.key
                            ),
                            span: slot.val.span,
                            help: Some(
                                "write `rack = \"r1\"`, `slots = 4` or `slots = 1..4`".into(),
                            ),
                        });
                    }
                }
            }
        }
        parts.sort();
        if !parts.is_empty() {
            let text: Vec<String> = parts.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
            let origin = t.get("attributes").map(|s| Box::new(s.origin.clone()));
            flags.insert(
                "attributes".into(),
                Setting {
                    value: text.join(";"),
                    origin,
                },
            );
        }
    }
}

/// Flags every Mesos daemon gets from its service settings.
fn mesos_common(
    service: &model::Service,
    dirs: &Dirs,
    address: IpAddr,
) -> BTreeMap<String, Setting> {
    let mut flags = BTreeMap::new();
    flags.insert("port".into(), Setting::derived(service.port.to_string()));
    flags.insert("work_dir".into(), Setting::derived(dirs.work_dir.clone()));
    if let Some(dir) = &dirs.log_dir {
        flags.insert("log_dir".into(), Setting::derived(dir.clone()));
    }
    // A bridged container cannot bind the host's address: it binds every
    // interface of its own namespace and advertises the host's.
    if service.bridged() {
        flags.insert("ip".into(), Setting::derived("0.0.0.0"));
    } else if address.is_ipv4() {
        flags.insert("ip".into(), Setting::derived(address.to_string()));
    }
    if let Some(a) = &service.advertise {
        flags.insert("advertise_ip".into(), Setting::derived(a.ip.to_string()));
        flags.insert(
            "advertise_port".into(),
            Setting::derived(a.port.to_string()),
        );
    }
    flags
}

/// The AdminServer's port: `admin_port`, or ZooKeeper's default 8080 when the
/// user turned the server on through `settings`.
fn zk_admin_port(admin_port: Option<u16>, config: &BTreeMap<String, Setting>) -> Option<u16> {
    if admin_port.is_some() {
        return admin_port;
    }
    let on = config
        .get("admin.enableServer")
        .is_some_and(|s| s.value.eq_ignore_ascii_case("true"));
    on.then_some(crate::schema::ZK_ADMIN_PORT)
}

/// Why a `fleet { metadata { } }` entry cannot be written, and where.
fn fleet_metadata_problem(
    key: &str,
    value: &str,
    slot: &crate::resolve::value::Slot,
) -> Option<(String, crate::span::Span)> {
    if key == "host" || key.starts_with("role-") {
        return Some((
            format!("`{key}` is fleet metadata that mesosc sets itself"),
            slot.key_span,
        ));
    }
    if key.contains([',', '=']) || key.is_empty() {
        return Some((
            format!("the metadata key `{key}` cannot contain `,` or `=`"),
            slot.key_span,
        ));
    }
    if value.contains([',', '=']) || value.is_empty() {
        return Some((
            format!("the metadata value `{value}` cannot be empty or contain `,` or `=`"),
            slot.val.span,
        ));
    }
    None
}
