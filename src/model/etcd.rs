//! CoreOS hosts' etcd, fleet and update settings: `etcd { }`, `fleet { }`
//! and `update { }`, cluster-wide with per-host overrides (like the role
//! blocks), read into [`model::HostCoreos`] and [`model::Etcd`].
//!
//! etcd runs when an `etcd` block is written: on every host, or on the
//! `members` (roles or host names). With every member known, the static
//! bootstrap is derived (`initial-cluster` by host name, and a token from the
//! cluster name and environment); `discovery` replaces it, and `servers`
//! names an etcd these hosts do not run. These settings reach the hosts
//! through the CoreOS cloud-config only. The key names are coreos-cloudinit's
//! (`config/etcd2.go`, `config/fleet.go`, `config/locksmith.go`,
//! `config/update.go` at v1.14.0).

use super::hosts::HostInfo;
use super::{Builder, CoreosError, Ctx, ModelError, Sink};
use crate::model::{self, CloudConfig, EtcdBootstrap, EtcdMember, HostCoreos, Outputs, Role};
use crate::resolve::Resolved;
use crate::resolve::value::{Table, Val, Value};
use crate::schema::keys::{self, Block};
use crate::schema::{ETCD_CLIENT_PORT, ETCD_PEER_PORT};
use crate::span::{Span, Spanned};
use crate::suggest::did_you_mean;

/// The blocks this module reads.
const BLOCKS: [(&str, Block); 3] = [
    ("etcd", Block::Etcd),
    ("fleet", Block::Fleet),
    ("update", Block::Update),
];

const NANOS_PER_MS: u128 = 1_000_000;

/// Every written `name` block: cluster-wide, the overlay's, and in hosts
/// and templates (the second of each pair says whether it is per host).
fn written<'r>(r: &'r Resolved, name: &str) -> Vec<(&'r Table, bool)> {
    let templates = r.templates.values().map(|t| &t.body);
    let templates = templates
        .filter_map(|b| b.peek_table(name))
        .map(|t| (t, true));
    applied(r, name).chain(templates).collect()
}

/// The `name` blocks that apply to some host: cluster-wide, the overlay's,
/// and the hosts' own (which hold the templates they use, merged): a
/// template no host uses applies to none.
fn applied<'r>(r: &'r Resolved, name: &str) -> impl Iterator<Item = (&'r Table, bool)> {
    let wide = r.sections.get(name).into_iter();
    let wide = wide.chain(r.overlay_sections.get(name)).map(|t| (t, false));
    let bodies = (r.hosts.iter()).flat_map(|h| std::iter::once(&h.body).chain(h.overlay.as_ref()));
    wide.chain(bodies.filter_map(|b| b.peek_table(name)).map(|t| (t, true)))
}

impl<E: Sink> Builder<'_, E> {
    /// Reads the CoreOS settings of every host into `hosts` (in `infos`
    /// order) and returns the cluster's etcd, checking both.
    pub(super) fn coreos(
        &mut self,
        ctx: &Ctx,
        outputs: &Outputs,
        infos: &[HostInfo],
        hosts: &mut [model::Host],
    ) -> Option<model::Etcd> {
        self.coreos_keys(ctx.resolved);
        // Without the CoreOS cloud-config nothing here is read: the
        // entries are reported without effect by the usage pass (the
        // schema's reason: they apply with the cloud-config output).
        if outputs.cloud_config != Some(CloudConfig::Coreos) {
            return None;
        }
        let etcd_written = applied(ctx.resolved, "etcd").next().is_some();
        let section = ctx.resolved.section("etcd");
        let servers = self.etcd_servers(&section);
        let discovery = self.discovery(&section);
        let members = match (&servers, etcd_written) {
            (Some(_), _) => {
                self.not_with_servers(&section);
                vec![false; infos.len()]
            }
            (None, true) => self.etcd_members(&section, infos),
            (None, false) => vec![false; infos.len()],
        };
        for ((info, host), &member) in infos.iter().zip(hosts.iter_mut()).zip(&members) {
            host.coreos = Some(Box::new(self.host_coreos(ctx, info, member)));
        }
        let count = members.iter().filter(|m| **m).count();
        if count > 0 {
            self.member_count(count, &section, ctx.cluster_span);
        }
        let etcd = match (servers, discovery) {
            (Some(urls), _) => Some(model::Etcd {
                bootstrap: EtcdBootstrap::External,
                client_urls: urls,
            }),
            _ if count == 0 => None,
            (None, discovery) => Some(derived(ctx, hosts, discovery)),
        };
        self.etcd_needed(ctx, outputs, infos, hosts, etcd.is_some());
        etcd
    }

    /// Unknown keys in every written block, and cluster-wide keys written
    /// in a host or template.
    fn coreos_keys(&mut self, r: &Resolved) {
        for (name, block) in BLOCKS {
            for (t, per_host) in written(r, name) {
                if self.first_time(t.span, "block keys") {
                    self.r().known_keys_at(t, block, per_host);
                    if per_host {
                        self.per_host_keys(t, block);
                    }
                }
            }
        }
    }

    /// `servers = ["http://…"]`: an external etcd's client URLs.
    fn etcd_servers(&mut self, t: &Table) -> Option<Vec<String>> {
        let (items, _) = self.r().list(t, "servers")?;
        let mut out = Vec::new();
        for v in items {
            if let Some(s) = self.url(v, "servers") {
                out.push(s);
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// `discovery = "https://discovery.etcd.io/<token>"`.
    fn discovery(&mut self, t: &Table) -> Option<String> {
        self.url(t.value("discovery")?, "discovery")
    }

    /// An `http://` or `https://` URL string.
    fn url(&mut self, v: &Val, key: &str) -> Option<String> {
        let Value::Str(s) = &v.value else {
            self.r().mismatch("a URL string", v, None);
            return None;
        };
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"));
        let plain = |c: char| !c.is_control() && !c.is_whitespace() && !"\"',\\".contains(c);
        if rest.is_some_and(|r| !r.is_empty() && r.chars().all(plain)) {
            return Some(s.clone());
        }
        self.r().invalid(
            format!("`{key}` takes an http:// or https:// URL without spaces, quotes or commas"),
            "not a URL",
            v.span,
            Some("write it like `\"https://discovery.etcd.io/<token>\"` or `\"http://10.0.0.1:2379\"`".into()),
        );
        None
    }

    /// `servers` describes an etcd these hosts do not run: `members` and
    /// `discovery` beside it would mean nothing.
    fn not_with_servers(&mut self, t: &Table) {
        for key in ["members", "discovery"] {
            if let Some(slot) = t.get(key) {
                self.r().invalid(
                    format!("`{key}` beside `servers`: these hosts run no etcd member"),
                    "members of an etcd these hosts do not run",
                    slot.key_span,
                    Some(format!(
                        "remove `{key}` to use the external etcd, or remove `servers` to run etcd on these hosts"
                    )),
                );
            }
        }
    }

    /// Which hosts are members: `members` (roles or host names), by
    /// default every host.
    fn etcd_members(&mut self, t: &Table, infos: &[HostInfo]) -> Vec<bool> {
        let Some((items, _)) = self.r().list(t, "members") else {
            return vec![true; infos.len()];
        };
        let mut out = vec![false; infos.len()];
        for v in items {
            let (Value::Str(word) | Value::Symbol(word)) = &v.value else {
                self.r().mismatch("a role or a host name", v, None);
                continue;
            };
            let role = Role::from_name(word);
            let mut matched = false;
            for (i, info) in infos.iter().enumerate() {
                if role.is_some_and(|r| info.has(r)) || info.name() == word {
                    out[i] = true;
                    matched = true;
                }
            }
            if !matched && role.is_none() {
                let names = infos
                    .iter()
                    .map(|i| i.name())
                    .chain(keys::ROLE_NAMES.iter().copied());
                let help = did_you_mean(word, names);
                self.r().invalid(
                    format!("`{word}` is neither a role nor a host"),
                    "no such role or host",
                    v.span,
                    help,
                );
            }
        }
        out
    }

    /// The CoreOS settings of one host.
    fn host_coreos(&mut self, ctx: &Ctx, info: &HostInfo, member: bool) -> HostCoreos {
        let etcd = member.then(|| {
            let t = ctx.resolved.section_for(info.decl, "etcd");
            self.member(&t)
        });
        let fleet = ctx.resolved.section_for(info.decl, "fleet");
        let update = ctx.resolved.section_for(info.decl, "update");
        let strategy = self.r().choice(
            &update,
            "reboot_strategy",
            keys::words(Block::Update, "reboot_strategy"),
        );
        let window_start = self.window_start(&update);
        let window_length = self
            .duration(&update, "window_length")
            .map(|d| go_duration(d.node));
        HostCoreos {
            etcd,
            fleet_public_ip: self
                .r()
                .ip(&fleet, "public_ip")
                .map_or(info.address.node, |ip| ip.node),
            fleet_request_timeout: self
                .duration(&fleet, "etcd_request_timeout")
                .map(|d| d.node as f64 / 1e9),
            reboot_strategy: strategy.map_or_else(|| "off".to_owned(), |s| s.node),
            window_start,
            window_length,
        }
    }

    /// An etcd member's ports and timings.
    fn member(&mut self, t: &Table) -> EtcdMember {
        let port = |b: &mut Self, key: &str, default: u16| {
            b.r()
                .port(t, key)
                .map_or((default, t.span), |p| (p.node, p.span))
        };
        let (client_port, client_span) = port(self, "client_port", ETCD_CLIENT_PORT);
        let (peer_port, peer_span) = port(self, "peer_port", ETCD_PEER_PORT);
        EtcdMember {
            client_port,
            peer_port,
            heartbeat_ms: self.millis(t, "heartbeat_interval"),
            election_ms: self.millis(t, "election_timeout"),
            client_span,
            peer_span,
        }
    }

    /// A positive duration.
    fn duration(&mut self, t: &Table, key: &str) -> Option<Spanned<u128>> {
        let v = t.value(key)?;
        match v.value {
            Value::Duration { nanos, .. } if nanos > 0 => Some(Spanned::new(nanos, v.span)),
            Value::Duration { .. } => {
                let help = Some("give a positive duration, such as `2secs`".into());
                self.r()
                    .invalid(format!("`{key}` must be positive"), "zero", v.span, help);
                None
            }
            _ => {
                self.r().mismatch("a duration (`500ms`, `2secs`)", v, None);
                None
            }
        }
    }

    /// A duration in whole milliseconds.
    fn millis(&mut self, t: &Table, key: &str) -> Option<u64> {
        let d = self.duration(t, key)?;
        if d.node.is_multiple_of(NANOS_PER_MS) {
            return u64::try_from(d.node / NANOS_PER_MS).ok();
        }
        let help = Some("etcd takes whole milliseconds: write `100ms`".into());
        self.r().invalid(
            format!("`{key}` must be whole milliseconds"),
            "a fraction of a millisecond",
            d.span,
            help,
        );
        None
    }

    /// locksmith's `window-start`: `[Day ]H:MM` (`config/locksmith.go`'s
    /// pattern).
    fn window_start(&mut self, t: &Table) -> Option<String> {
        let s = self.r().string(t, "window_start")?;
        if valid_window_start(&s.node) {
            return Some(s.node);
        }
        self.r().invalid(
            format!("`{}` is not a reboot window start", s.node),
            "not `[Day ]H:MM`",
            s.span,
            Some(
                "write a time of day, optionally after a weekday: `\"Thu 04:00\"` or `\"04:00\"`"
                    .into(),
            ),
        );
        None
    }

    /// Warns of a member count whose majority cannot survive one failure,
    /// or an even one (`mcl::check::etcd_members`).
    fn member_count(&mut self, n: usize, t: &Table, cluster_span: Span) {
        let span = t.get("members").map_or(
            if t.span.is_detached() {
                cluster_span
            } else {
                t.span
            },
            |s| s.val.span,
        );
        let (message, label, help) = if n < 3 {
            (
                format!(
                    "{n} etcd member{}: one failure loses the majority",
                    if n == 1 { "" } else { "s" }
                ),
                format!("{n} of {n} must be up"),
                "run 3 or 5 members (`members` lists roles or hosts; every host by default)",
            )
        } else if n.is_multiple_of(2) {
            (
                format!("{n} etcd members tolerate no more failures than {}", n - 1),
                format!("a majority is {} of {n}", n / 2 + 1),
                "use an odd number of members",
            )
        } else {
            return;
        };
        self.diags
            .push(ModelError::Coreos(CoreosError::EtcdMembers {
                message,
                span,
                label,
                help: Some(help.into()),
            }));
    }

    /// `etcd-lock` and the fleet output need etcd.
    fn etcd_needed(
        &mut self,
        ctx: &Ctx,
        outputs: &Outputs,
        infos: &[HostInfo],
        hosts: &[model::Host],
        has_etcd: bool,
    ) {
        if has_etcd {
            return;
        }
        let add_etcd = "add `etcd { }` (a member on every host), or `etcd { servers = [\"http://…:2379\"] }` for an etcd these hosts do not run";
        if outputs.fleet {
            let cluster = ctx.resolved.cluster.as_ref().map(|c| &c.body);
            let span = cluster
                .and_then(|b| b.get("outputs"))
                .map_or(ctx.cluster_span, |s| s.val.span);
            self.diags
                .push(ModelError::Coreos(CoreosError::FleetWithoutEtcd {
                    span,
                    help: Some(add_etcd.into()),
                }));
        }
        for (info, host) in infos.iter().zip(hosts) {
            let lock = host
                .coreos
                .as_ref()
                .is_some_and(|c| c.reboot_strategy == "etcd-lock");
            let slot = ctx
                .resolved
                .setting_for(info.decl, "update", &["reboot_strategy"]);
            if let (true, Some(slot)) = (lock, slot)
                && self.first_time(slot.val.span, "etcd-lock")
            {
                self.diags
                    .push(ModelError::Coreos(CoreosError::EtcdLockWithoutEtcd {
                        span: slot.val.span,
                        help: Some(format!(
                            "{add_etcd}; or choose `reboot_strategy = reboot` or `off`"
                        )),
                    }));
            }
        }
    }
}

/// The static bootstrap (or the discovery URL) of the members among `hosts`.
fn derived(ctx: &Ctx, hosts: &[model::Host], discovery: Option<String>) -> model::Etcd {
    let mut members: Vec<(&str, std::net::IpAddr, &EtcdMember)> = hosts
        .iter()
        .filter_map(|h| {
            let m = h.coreos.as_ref()?.etcd.as_ref()?;
            Some((h.name.as_str(), h.address, m))
        })
        .collect();
    members.sort_by(|a, b| a.0.cmp(b.0));
    let client_urls = members.iter().map(|(_, a, m)| m.client_url(*a)).collect();
    let bootstrap = match discovery {
        Some(url) => EtcdBootstrap::Discovery(url),
        None => {
            let peers: Vec<String> = (members.iter())
                .map(|(n, a, m)| format!("{n}={}", m.peer_url(*a)))
                .collect();
            let name = ctx
                .resolved
                .cluster
                .as_ref()
                .map_or("mesos", |c| c.name.node.as_str());
            let token = match &ctx.resolved.environment {
                Some((env, _)) => format!("{name}-{env}"),
                None => name.to_owned(),
            };
            EtcdBootstrap::Static {
                initial_cluster: peers.join(","),
                token,
            }
        }
    };
    model::Etcd {
        bootstrap,
        client_urls,
    }
}

/// A duration as Go's `time.ParseDuration` reads it, in its largest whole
/// unit (`90m`, `2h`, `1500ms`).
fn go_duration(nanos: u128) -> String {
    const UNITS: [(u128, &str); 5] = [
        (3_600_000_000_000, "h"),
        (60_000_000_000, "m"),
        (1_000_000_000, "s"),
        (1_000_000, "ms"),
        (1_000, "us"),
    ];
    for (size, unit) in UNITS {
        if nanos.is_multiple_of(size) {
            return format!("{}{unit}", nanos / size);
        }
    }
    format!("{nanos}ns")
}

/// locksmith's pattern for `window-start` (`config/locksmith.go`, v1.14.0):
/// an optional weekday (`sun`…`sat`, any case) and a space, then `H:MM`
/// with hours 0–23 and minutes 0–59, leading zeros allowed.
fn valid_window_start(s: &str) -> bool {
    const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let time = match s.split_once(' ') {
        Some((day, time)) if DAYS.contains(&day.to_ascii_lowercase().as_str()) => time,
        Some(_) => return false,
        None => s,
    };
    let Some((h, m)) = time.split_once(':') else {
        return false;
    };
    let number = |t: &str, max: u32| {
        !t.is_empty()
            && t.chars().all(|c| c.is_ascii_digit())
            && t.trim_start_matches('0').parse::<u32>().unwrap_or(0) <= max
            && t.trim_start_matches('0').len() <= 2
    };
    number(h, 23) && number(m, 59)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_use_the_largest_whole_unit() {
        assert_eq!(go_duration(3_600_000_000_000), "1h");
        assert_eq!(go_duration(5_400_000_000_000), "90m");
        assert_eq!(go_duration(1_500_000_000), "1500ms");
        assert_eq!(go_duration(30_000_000_000), "30s");
    }

    #[test]
    fn window_starts_follow_locksmiths_pattern() {
        for good in ["04:00", "Thu 04:00", "sun 23:59", "0:0", "004:07"] {
            assert!(valid_window_start(good), "{good}");
        }
        for bad in [
            "24:00",
            "04:60",
            "Thursday 04:00",
            "04",
            "",
            " 04:00",
            "4:5:6",
            "x4:00",
        ] {
            assert!(!valid_window_start(bad), "{bad}");
        }
    }
}
