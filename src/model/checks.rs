//! Whole-cluster checks and the structured settings behind them: resources,
//! the `owca` profile, authentication, topology (leaders, quorum, ZooKeeper)
//! and the ports of every host.

use std::collections::BTreeMap;

use super::hosts::HostInfo;
use super::read::slot_span;
use super::{Builder, Ctx, ModelError};
use crate::model::{self, Auth, Owca, Role, Setting, Zookeeper};
use crate::resolve::CheckError;
use crate::resolve::value::{Origin, Table, Val, Value};
use crate::schema::keys;
use crate::schema::{self, ResourceValue};
use crate::span::Span;
use crate::suggest::did_you_mean;

/// A compiled `resources { }` block: Mesos' text form, the offered port
/// ranges (if given), and where the block was written.
pub(super) type Structured = (String, Option<Vec<(u64, u64)>>, Option<Origin>);

/// Profiles MCL knows.
const PROFILES: &[&str] = &["owca"];

/// What the `owca` profile needs of a follower (Intel OWCA's Mesos setup).
const OWCA_FLAGS: &[(&str, &str)] = &[
    ("containerizers", "mesos"),
    ("isolation", "cgroups/cpu,cgroups/perf_event"),
    ("perf_events", "cycles"),
    ("perf_interval", "360days"),
];

impl<E: super::Sink> Builder<'_, E> {
    /// Compiles `resources { cpus = 8  mem = 16GB  ports = [31000..32000] }`
    /// to Mesos' text form; also returns the offered port ranges, if given.
    pub(super) fn structured_resources(&mut self, block: &Table) -> Structured {
        let mut parts = Vec::new();
        let mut ports = None;
        for slot in block.entries() {
            let report = self.first_time(slot.val.span, "resource");
            let Some(value) = self.resource_value(&slot.key, &slot.val, report) else {
                continue;
            };
            if let ("ports", ResourceValue::Ranges(r)) = (slot.key.as_str(), &value) {
                ports = Some(r.clone());
            }
            if report {
                self.resource_name(&slot.key, slot.key_span);
            }
            parts.push(schema::Resource {
                name: slot.key.clone(),
                role: None,
                value,
            });
        }
        let origin = block.slots.first().map(|s| s.origin.clone());
        (schema::format_resources(&parts), ports, origin)
    }

    fn resource_value(&mut self, key: &str, val: &Val, report: bool) -> Option<ResourceValue> {
        let bad = |b: &mut Self, message: String, help: &str| {
            if report {
                b.diags.push(ModelError::InvalidResources {
                    what: "resources".into(),
                    message,
                    span: val.span,
                    help: Some(help.into()),
                });
            }
            None
        };
        match &val.value {
            Value::Int(i) if *i >= 0 => Some(ResourceValue::Scalar(*i as f64)),
            Value::Bytes { bytes, .. } if bytes % (1 << 20) == 0 => {
                Some(ResourceValue::Scalar((bytes >> 20) as f64))
            }
            Value::Bytes { text, .. } => bad(
                self,
                format!("`{text}` is not a whole number of megabytes"),
                "Mesos counts mem and disk in MB",
            ),
            Value::Str(s) => match s.parse::<f64>() {
                Ok(f) if f >= 0.0 && f.is_finite() => Some(ResourceValue::Scalar(f)),
                _ => bad(
                    self,
                    format!("`{s}` is not a number"),
                    "write a number, e.g. `cpus = 8` or `cpus = \"0.5\"`",
                ),
            },
            Value::Range(..) | Value::List(_) => self.ranges_or_set(key, val, report),
            _ => bad(
                self,
                format!("`{key}` needs a number, a size, ranges or a set"),
                "e.g. `cpus = 8`, `mem = 16GB`, `ports = [31000..32000]`",
            ),
        }
    }

    fn ranges_or_set(&mut self, key: &str, val: &Val, report: bool) -> Option<ResourceValue> {
        let items = match &val.value {
            Value::List(items) => items.clone(),
            _ => vec![val.clone()],
        };
        if items.iter().all(|v| matches!(v.value, Value::Str(_))) && !items.is_empty() {
            let set = items.iter().filter_map(|v| v.value.scalar_text()).collect();
            return Some(ResourceValue::Set(set));
        }
        let mut ranges = Vec::new();
        for v in &items {
            match v.value {
                Value::Range(a, b) if a >= 0 => ranges.push((a as u64, b as u64)),
                Value::Int(n) if n >= 0 => ranges.push((n as u64, n as u64)),
                _ => {
                    if report {
                        self.diags.push(ModelError::InvalidResources {
                            what: "resources".into(),
                            message: format!("`{key}` mixes ranges with other values"),
                            span: v.span,
                            help: Some("write ranges as `[31000..32000, 33000..34000]`".into()),
                        });
                    }
                    return None;
                }
            }
        }
        let text = schema::format_ranges(&ranges);
        match schema::parse_ranges(&text) {
            Ok(r) => Some(ResourceValue::Ranges(r)),
            Err(e) => {
                if report {
                    self.diags.push(ModelError::InvalidResources {
                        what: "resources".into(),
                        message: e.message,
                        span: val.span,
                        help: e.help,
                    });
                }
                None
            }
        }
    }

    /// Warns about a custom resource name close to a predefined one (`cpu`).
    fn resource_name(&mut self, name: &str, span: Span) {
        if schema::KNOWN_RESOURCE_NAMES.contains(&name) {
            return;
        }
        if let Some(help) = did_you_mean(name, schema::KNOWN_RESOURCE_NAMES) {
            self.diags.push(ModelError::UnknownResource {
                name: name.into(),
                span,
                help: Some(help),
            });
        }
    }

    /// The offered ports of a raw `resources` flag (already syntax-checked).
    pub(super) fn raw_resources(&mut self, setting: &Setting) -> Option<Vec<(u64, u64)>> {
        let resources = schema::parse_resources(&setting.value).ok()?;
        let span = setting.origin.as_ref().map_or(Span::DETACHED, |o| o.span);
        if self.first_time(span, "resource names") {
            for r in &resources {
                self.resource_name(&r.name, span);
            }
        }
        resources
            .iter()
            .find_map(|r| match (&r.name[..], &r.value) {
                ("ports", ResourceValue::Ranges(ranges)) => Some(ranges.clone()),
                _ => None,
            })
    }

    /// Applies `profiles = [owca]`: sets the flags OWCA needs and reports
    /// conflicts with the user's own; returns the OWCA agent's config.
    pub(super) fn profiles(
        &mut self,
        ctx: &Ctx,
        t: &Table,
        flags: &mut BTreeMap<String, Setting>,
        info: &HostInfo,
        port: u16,
    ) -> Option<Owca> {
        let (items, _) = self.r().list(t, "profiles")?;
        let mut owca_span = None;
        for v in items {
            match &v.value {
                Value::Symbol(p) | Value::Str(p) if PROFILES.contains(&p.as_str()) => {
                    owca_span = Some(v.span)
                }
                Value::Symbol(p) | Value::Str(p) => {
                    if self.first_time(v.span, "profile") {
                        self.diags.push(ModelError::UnknownProfile {
                            name: p.clone(),
                            span: v.span,
                            help: did_you_mean(p, PROFILES.iter().copied())
                                .or_else(|| Some(format!("profiles: {}", PROFILES.join(", ")))),
                        });
                    }
                }
                _ => self.r().mismatch("a profile name", v, None),
            }
        }
        let span = owca_span?;
        let report = self.first_time(span, "owca");
        if report && ctx.versions.mesos < crate::schema::versions::OWCA_MIN_MESOS {
            self.diags.push(ModelError::ProfileVersion {
                profile: "owca".into(),
                program: "Mesos".into(),
                needs: crate::schema::versions::OWCA_MIN_MESOS.to_string(),
                span,
            });
        }
        for (flag, needs) in OWCA_FLAGS {
            self.profile_flag(flags, flag, needs, span, report);
        }
        Some(self.owca(ctx, info, port))
    }

    fn profile_flag(
        &mut self,
        flags: &mut BTreeMap<String, Setting>,
        flag: &str,
        needs: &str,
        span: Span,
        report: bool,
    ) {
        let Some(user) = flags.get(flag) else {
            flags.insert(flag.into(), Setting::derived(needs));
            return;
        };
        let missing: Vec<&str> = if flag == "isolation" {
            let have: Vec<&str> = user.value.split(',').map(str::trim).collect();
            needs.split(',').filter(|n| !have.contains(n)).collect()
        } else if flag == "perf_interval" {
            let same = schema::parse_mesos_duration(&user.value).ok()
                == schema::parse_mesos_duration(needs).ok();
            if same { vec![] } else { vec![needs] }
        } else if user.value == needs {
            vec![]
        } else {
            vec![needs]
        };
        if missing.is_empty() || !report {
            return;
        }
        let help = if flag == "isolation" {
            Some(format!(
                "add {} to `isolation`",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ))
        } else {
            Some(format!(
                "remove `{flag}` and let the profile set it, or set it to `{needs}`"
            ))
        };
        self.diags.push(ModelError::ProfileConflict {
            profile: "owca".into(),
            flag: flag.into(),
            needs: needs.into(),
            span: user.origin.as_ref().map_or(Span::DETACHED, |o| o.span),
            given: user.value.clone(),
            profile_span: span,
            help,
        });
    }

    fn owca(&mut self, ctx: &Ctx, info: &HostInfo, port: u16) -> Owca {
        let t = ctx.resolved.section_for(info.decl, "owca");
        if self.first_time(t.span, "owca keys") {
            self.r().known_keys(&t, keys::Block::Owca);
        }
        let endpoint = self.r().string(&t, "endpoint").map(|s| s.node);
        Owca {
            endpoint: endpoint.unwrap_or_else(|| {
                format!(
                    "http://{}",
                    super::hosts::host_port(info.address.node, port)
                )
            }),
            ssl_verify: self.r().bool(&t, "ssl_verify").is_some_and(|b| b.node),
            timeout: self
                .r()
                .int(&t, "timeout", 1, 3600)
                .map_or(5, |i| i.node as u64),
            command: self
                .r()
                .path(&t, "command")
                .map_or_else(|| "/usr/bin/owca".into(), |p| p.node),
        }
    }

    /// Reads the `auth` block.
    pub(super) fn auth(&mut self, ctx: &Ctx) -> Auth {
        let t = ctx.resolved.section("auth");
        self.r().known_keys(&t, keys::Block::Auth);
        let mut auth = Auth {
            frameworks: self.r().bool(&t, "frameworks").is_some_and(|b| b.node),
            followers: self.r().bool(&t, "followers").is_some_and(|b| b.node),
            ..Auth::default()
        };
        // Credentials go into the masters' `--credentials` when either
        // switch is on; the agents' principal and secret when `followers`
        // is. What does not apply is not read (model/usage.rs reports it).
        let credentials = match auth.frameworks || auth.followers {
            true => t.all("credential").collect(),
            false => Vec::new(),
        };
        for slot in credentials {
            let Some(principal) = slot.label.clone() else {
                self.r().invalid("a credential needs a principal".into(), "no principal", slot.key_span, Some("write `credential \"marathon\" { secret = file(\"/etc/mesos/secrets/marathon\") }`".into()));
                continue;
            };
            self.principal(&principal, slot.key_span);
            let Value::Table(c) = &slot.val.value else {
                continue;
            };
            if let Some(path) = self.secret(c, "secret", slot.key_span) {
                auth.credentials.insert(principal, path);
            }
        }
        if auth.frameworks && auth.credentials.is_empty() {
            self.diags.push(ModelError::AuthMissingCredential {
                span: slot_span(&t, "frameworks"),
            });
        }
        if !auth.followers {
            return auth;
        }
        let follower = self.r().string(&t, "follower_principal");
        if let Some(p) = &follower {
            self.principal(&p.node, p.span);
        }
        auth.follower_principal = follower.map(|s| s.node);
        if t.get("follower_secret").is_some() {
            auth.follower_secret = self.secret(&t, "follower_secret", t.span);
        }
        if auth.follower_secret.is_none() && t.get("follower_secret").is_none() {
            let span = slot_span(&t, "followers");
            self.diags.push(ModelError::AuthMissingFollowerSecret {
                span,
                follower: ctx.say(Role::Follower, Span::DETACHED),
            });
        }
        if auth.follower_principal.is_none() {
            auth.follower_principal = Some("follower".into());
        }
        auth
    }

    /// A principal must be one word: the credentials text format splits on
    /// whitespace (`src/credentials/credentials.hpp` before 0.20), and an
    /// empty or blank principal cannot match any framework.
    fn principal(&mut self, principal: &str, span: Span) {
        if principal.is_empty() || principal.contains(|c: char| c.is_whitespace() || c.is_control())
        {
            self.r().invalid(
                format!(
                    "the principal `{}` is empty or holds whitespace",
                    principal.escape_debug()
                ),
                "not one word",
                span,
                Some("write the principal as one word, such as \"marathon\"".into()),
            );
        }
    }

    /// A secret: `file("/path")`; a literal string is an error.
    /// `zookeeper { credentials = file(…) }`: the digest credentials Mesos
    /// and Marathon present to ZooKeeper. Marathon authenticates to
    /// ZooKeeper from 1.3.0 (`MarathonModule.scala`, digest `AuthInfo` from
    /// the `--zk` URL); an older one would ignore them.
    pub(super) fn zookeeper_credentials(&mut self, ctx: &Ctx, marathon: bool) -> Option<String> {
        let t = ctx.resolved.section("zookeeper");
        let v = t.value("credentials")?;
        let path = match &v.value {
            Value::File(path) => path.clone(),
            Value::Str(_) | Value::Int(_) | Value::Symbol(_) => {
                self.diags.push(ModelError::LiteralSecret { span: v.span });
                return None;
            }
            _ => {
                self.r().mismatch("`file(\"/path\")`", v, None);
                return None;
            }
        };
        let since = crate::schema::Version::new(1, 3, 0);
        if marathon && ctx.versions.marathon < since {
            self.r().invalid(
                format!(
                    "Marathon {} does not authenticate to ZooKeeper",
                    ctx.versions.marathon
                ),
                "needs Marathon 1.3.0 or newer",
                v.span,
                Some("Marathon reads digest credentials from `--zk` from 1.3.0 on (MarathonModule.scala): declare `marathon = \"1.3.0\"` or newer".into()),
            );
        }
        Some(path)
    }

    fn secret(&mut self, t: &Table, key: &str, missing_span: Span) -> Option<String> {
        let Some(v) = t.value(key) else {
            self.diags.push(CheckError::MissingSetting {
                key: key.into(),
                block: "the credential".into(),
                span: missing_span,
                help: Some("reference the secret's file on the host: `secret = file(\"/etc/mesos/secrets/…\")`".into()),
            });
            return None;
        };
        match &v.value {
            Value::File(path) => Some(path.clone()),
            Value::Str(_) | Value::Int(_) | Value::Symbol(_) => {
                self.diags.push(ModelError::LiteralSecret { span: v.span });
                None
            }
            _ => {
                self.r().mismatch("`file(\"/path\")`", v, None);
                None
            }
        }
    }

    /// Topology checks over the finished model.
    pub(super) fn checks(&mut self, ctx: &Ctx, c: &model::Cluster) {
        let leaders: Vec<&model::Host> = c.hosts.iter().filter(|h| h.leader.is_some()).collect();
        let needs_leader = c
            .hosts
            .iter()
            .find(|h| h.follower.is_some() || h.marathon.is_some());
        let leader = ctx.say(Role::Leader, Span::DETACHED);
        match (leaders.len(), needs_leader) {
            (0, Some(h)) if h.marathon.is_some() && h.follower.is_none() => {
                let span = h.span;
                self.diags
                    .push(ModelError::MarathonWithoutLeader { span, leader })
            }
            (0, _) => self.diags.push(ModelError::NoLeader {
                span: ctx.cluster_span,
                leader,
            }),
            (1, _) => self.diags.push(ModelError::SingleLeader {
                span: leaders[0].span,
                leader: ctx.say(Role::Leader, leaders[0].span),
            }),
            (n, _) if n.is_multiple_of(2) => self.even(&format!("{leader}s"), &leaders),
            _ => {}
        }
        self.quorum(ctx, leaders.len());
        if let Zookeeper::Managed { servers } = &c.zookeeper {
            let zk: Vec<&model::Host> = c.hosts.iter().filter(|h| h.zookeeper.is_some()).collect();
            // Observers do not vote: only the others make the majority.
            let voters: Vec<&model::Host> = zk
                .iter()
                .copied()
                .filter(|h| servers.iter().any(|s| s.host == h.name && !s.observer))
                .collect();
            if servers.is_empty() {
                // One leader runs standalone (hosts.rs `standalone`);
                // Marathon keeps its state in ZooKeeper and cannot.
                match leaders.as_slice() {
                    [] => {}
                    [l] => self.diags.push(ModelError::StandaloneMaster {
                        span: l.span,
                        leader: ctx.say(Role::Leader, l.span),
                        follower: ctx.say(Role::Follower, Span::DETACHED),
                    }),
                    [l, ..] => self.diags.push(ModelError::NoZookeeper {
                        span: l.span,
                        leader: ctx.say(Role::Leader, l.span),
                    }),
                }
                if let Some(m) = c.hosts.iter().find(|h| h.marathon.is_some()) {
                    self.diags
                        .push(ModelError::MarathonWithoutZookeeper { span: m.span });
                }
            } else if zk.len() > 255 {
                let host = &servers[255].host;
                let span = c
                    .hosts
                    .iter()
                    .find(|h| &h.name == host)
                    .map_or(ctx.cluster_span, |h| h.span);
                self.diags.push(ModelError::TooManyZookeepers {
                    count: zk.len(),
                    span,
                });
            } else if voters.len().is_multiple_of(2) && !voters.is_empty() {
                self.even("ZooKeeper servers", &voters);
            }
        }
    }

    fn even(&mut self, what: &str, hosts: &[&model::Host]) {
        let labels = hosts
            .iter()
            .map(|h| miette::LabeledSpan::new_with_span(Some(format!("`{}`", h.name)), h.span))
            .collect();
        self.diags.push(ModelError::EvenQuorum {
            what: what.into(),
            count: hosts.len(),
            less: hosts.len() - 1,
            hosts: labels,
        });
    }

    /// An explicit `quorum` must be floor(n/2)+1.
    fn quorum(&mut self, ctx: &Ctx, leaders: usize) {
        let section = ctx.resolved.section("leader");
        let Some(v) = section.value("quorum") else {
            return;
        };
        if matches!(v.value, Value::Auto) || leaders == 0 {
            return;
        }
        let Some(q) = self.r().int_val(v, "quorum", 1, 1 << 20) else {
            return;
        };
        let computed = leaders / 2 + 1;
        // Any strict majority works (3 of 3 during a quorum change); fewer
        // would let two groups each think they hold the log, more can never
        // be reached.
        let given = q.node as usize;
        if given < computed || given > leaders {
            let leader = ctx.say(Role::Leader, q.span);
            let help = format!(
                "with {leaders} {leader}s the replicated log needs a majority, {computed} to {leaders}; write `quorum = {computed}` or `quorum = auto`"
            );
            self.diags.push(ModelError::QuorumNotMajority {
                given: q.node,
                leaders,
                leader,
                help,
                span: q.span,
                computed,
            });
        }
    }

    /// Every listener of a host on its own port, and offered ports free of them.
    pub(super) fn ports(&mut self, ctx: &Ctx, info: &HostInfo, host: &model::Host) {
        let mut listeners: Vec<(u16, String, Span)> = Vec::new();
        // How each port can be moved, by the listener's span: `set` a key
        // that is at its default, `change` one the file sets (the help never
        // asks to set the key that causes the clash).
        let mut moves: BTreeMap<(Span, String), String> = BTreeMap::new();
        // The first of the listener's settings the user wrote, if any.
        let written = |role: Role, l: &model::Listener| {
            (l.settings().iter().copied()).find_map(|path| Some((path, info.setting(role, path)?)))
        };
        // What listens here comes from the model's one answer
        // (`Host::role_listeners`); the check adds where each port is set.
        for l in host.role_listeners() {
            if let Some(span) = etcd_span(host, &l) {
                let key = if l.purpose == "client" {
                    "client_port"
                } else {
                    "peer_port"
                };
                let change = format!("change `{key}` (now {}) in the `etcd` block", l.port);
                moves.insert((span, l.describe()), change);
                listeners.push((l.port, l.describe(), span));
                continue;
            }
            let Some(role) = l.role else { continue };
            let word = ctx.say(role, info.role_span(role));
            if l.purpose == "tasks" {
                continue; // ranges: `offered_ports` checks them
            }
            let written = written(role, &l);
            // Where the port is set, else (a default) its block, or for an
            // AdminServer turned on in `settings`, that setting.
            let default_span = || match (&host.zookeeper, l.purpose) {
                (Some(zk), "admin") => zk
                    .config
                    .get("admin.enableServer")
                    .and_then(|s| s.origin.as_ref())
                    .map_or_else(|| info.role_span(role), |o| o.span),
                _ => info.role_span(role),
            };
            let span = written.map_or_else(default_span, |(_, s)| s.val.span);
            let path = written.map(|(path, _)| path);
            moves.insert((span, l.describe_as(word)), port_move(word, &l, path));
            listeners.push((l.port, l.describe_as(word), span));
        }
        for s in &host.services {
            let svc = ctx.resolved.services.iter().find(|d| &d.name.node == s);
            // `ports = 5050` is read as `[5050]`, like every list setting.
            let ports = svc
                .and_then(|svc| svc.body.value("ports"))
                .map(|v| match &v.value {
                    Value::List(items) => items.as_slice(),
                    _ => std::slice::from_ref(v),
                });
            if let Some(ports) = ports {
                for p in ports {
                    if let Value::Int(n) = p.value {
                        moves.insert(
                            (p.span, format!("service `{s}`")),
                            format!("change `ports` of service `{s}`"),
                        );
                        listeners.push((n as u16, format!("service `{s}`"), p.span));
                    }
                }
            }
        }
        self.distinct_ports(host, &listeners, &moves);
        if let Some(f) = &host.follower {
            let follower = ctx.say(Role::Follower, info.role_span(Role::Follower));
            self.offered_ports(info, host, f, &listeners, follower);
        }
    }

    fn distinct_ports(
        &mut self,
        host: &model::Host,
        listeners: &[(u16, String, Span)],
        moves: &BTreeMap<(Span, String), String>,
    ) {
        let mut seen: BTreeMap<u16, &(u16, String, Span)> = BTreeMap::new();
        for l in listeners {
            match seen.get(&l.0) {
                Some(first) => {
                    let options: Vec<&str> = [l, *first]
                        .iter()
                        .filter_map(|x| moves.get(&(x.2, x.1.clone())).map(String::as_str))
                        .collect();
                    let help = match options.as_slice() {
                        [] => format!("give {} another port", l.1),
                        [one] => format!("give one of them another port: {one}"),
                        [a, b, ..] if a == b => format!("give one of them another port: {a}"),
                        [a, b, ..] => format!("give one of them another port: {a}, or {b}"),
                    };
                    self.diags.push(ModelError::PortConflict {
                        host: host.name.clone(),
                        port: l.0,
                        first: first.2,
                        first_what: first.1.clone(),
                        second: l.2,
                        second_what: l.1.clone(),
                        help: Some(help),
                    });
                }
                None => {
                    seen.insert(l.0, l);
                }
            }
        }
    }

    fn offered_ports(
        &mut self,
        info: &HostInfo,
        host: &model::Host,
        f: &model::Follower,
        listeners: &[(u16, String, Span)],
        follower: &'static str,
    ) {
        let span_of = |role: Role, path: &[&str]| info.setting(role, path).map(|s| s.val.span);
        let range_span = span_of(Role::Follower, &["resources", "ports"])
            .or_else(|| span_of(Role::Follower, &["flags", "resources"]))
            .unwrap_or(info.role_span(Role::Follower));
        for (port, what, span) in listeners {
            let p = u64::from(*port);
            if f.offered_ports.iter().any(|(a, b)| (*a..=*b).contains(&p)) {
                self.diags.push(ModelError::OfferedPortConflict {
                    host: host.name.clone(),
                    port: *port,
                    what: what.clone(),
                    range: range_span,
                    listener: *span,
                    follower,
                });
            }
        }
        let work_dir =
            |flags: &BTreeMap<String, Setting>| flags.get("work_dir").map(|s| s.value.clone());
        if let (Some(l), Some(fo)) = (&host.leader, &host.follower)
            && let Some(dir) = work_dir(&fo.flags)
            && work_dir(&l.flags).as_ref() == Some(&dir)
        {
            self.diags.push(ModelError::SharedWorkDir {
                host: host.name.clone(),
                dir,
                first: span_of(Role::Leader, &["work_dir"]).unwrap_or(info.role_span(Role::Leader)),
                second: span_of(Role::Follower, &["work_dir"])
                    .unwrap_or(info.role_span(Role::Follower)),
            });
        }
    }
}

/// How a built-in listener's port is moved: the setting that decides it
/// ([`model::Listener::settings`]), in its role's block or the block inside
/// it (`marathon { flags }`); `change` it when the file sets it (`written`),
/// `set` it when the port is a default (ZooKeeper's AdminServer turned on in
/// `settings` listens on 8080). `block` is the role's block as the user
/// names it.
fn port_move(block: &str, l: &model::Listener, written: Option<&[&str]>) -> String {
    let path = written.unwrap_or(l.settings()[0]);
    let (key, within) = path
        .split_last()
        .map_or(("port", &[][..]), |(k, w)| (*k, w));
    let block = match within {
        [] => block.to_owned(),
        inner => format!("{block} {{ {} }}", inner.join(" { ")),
    };
    match (written.is_some(), l.purpose) {
        (true, _) => format!("change `{key}` (now {}) in the `{block}` block", l.port),
        (false, "admin") => format!(
            "set `admin_port` in the `{block}` block (the AdminServer listens on 8080 by default)"
        ),
        (false, _) => format!(
            "set `{key}` in the `{block}` block (now the default, {})",
            l.port
        ),
    }
}

/// Where an etcd member's port was set, for an etcd listener of `host`.
fn etcd_span(host: &model::Host, l: &model::Listener) -> Option<Span> {
    let e = host.coreos.as_ref()?.etcd.as_ref()?;
    match (l.unit.as_str(), l.purpose) {
        (model::ETCD_UNIT, "client") => Some(e.client_span),
        (model::ETCD_UNIT, "peer") => Some(e.peer_span),
        _ => None,
    }
}
