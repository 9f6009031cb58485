//! fleet units under `fleet/`: the cluster's services for CoreOS' fleet, which
//! schedules systemd units across machines by their `[X-Fleet]` section.
//!
//! # Layout
//!
//! - `zookeeper@.service` and `mesos-master@.service` are templates with one
//!   instance per host, named after the host: `zookeeper@master-01.service`.
//!   `MachineMetadata=host=%i` pins an instance to the machine whose fleet
//!   metadata says `host=<its name>` (fleet expands `%i` in `[X-Fleet]`), and
//!   `MachineMetadata=role-<role>=true` keeps it to a machine of that role.
//!   `Conflicts=<name>@*.service` keeps two instances off one machine, and a
//!   leader has `MachineOf=zookeeper@%i.service` when every leader host runs
//!   ZooKeeper too.
//! - `mesos-agent.service` and `marathon.service` are `Global=true`, one per
//!   machine with `role-follower=true` / `role-marathon=true`; `owca.service`
//!   (the `owca` profile) likewise on the followers that have it (fleet allows
//!   only `MachineMetadata` beside `Global`).
//! - An instance finds its host's config where a host's own units do
//!   (`/etc/mesos/master.env`, `/etc/zookeeper/zoo.cfg`, …): the host's
//!   cloud-config (or the `hosts/<host>/` overlay) puts it there, and the
//!   instance is pinned to that host, so no `%i` is needed in paths.
//! - Ordering on a machine: a template names the units of its own instance
//!   (`After=zookeeper@%i.service`); a global unit, which has no instance,
//!   names them by the machine's host name (`After=mesos-master@%H.service`),
//!   which the cloud-config sets to the host's name. A unit lists every unit
//!   any of its hosts waits for: `Wants=` and `After=` of a unit that is not
//!   on a machine do nothing there.
//!
//! The unit bodies are the systemd units' own rendering (the same
//! `ExecStart=`, `EnvironmentFile=`, …), with those names and an `[X-Fleet]`
//! section at the end. fleet wants instances to be alike; when a host's unit
//! differs from the first host's (a per-host image or command), that host gets
//! its own instance file `<name>@<host>.service` (which `fleetctl` takes over
//! the template), and a global unit lists the hosts it covers.
//!
//! Every machine's fleet metadata ([`machine_metadata`]) is its
//! `fleet { metadata { } }`, plus `host=<name>` and `role-<role>=true` for each
//! role: one key per role, because fleet keeps one value per key. mesosc's
//! keys win over the user's of the same name.
//!
//! fleet/ and the hosts' own units run the same services: a cluster deployed
//! with fleet starts the services from fleet/ only.
//!
//! `[X-Fleet]` is checked by mesosc, as systemd ignores it: every section is
//! built from [`FleetKey`]s, so no other key can be written, and
//! [`check_fleet_unit`] checks a unit's text the way fleet reads it.

use std::collections::{BTreeMap, BTreeSet};

use super::{Emitter, FileKind, FileSet};
use crate::model::{self, Host, Role};
use crate::plan::Plan;

/// A key of fleet's `[X-Fleet]` section (fleet's `job/job.go`; the deprecated
/// `X-Condition*` spellings are left out).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FleetKey {
    /// `MachineID`: the machine with this machine id.
    MachineId,
    /// `MachineOf`: the machine that runs this unit.
    MachineOf,
    /// `MachineMetadata`: machines with this `key=value` in their metadata.
    MachineMetadata,
    /// `Conflicts`: never beside units matching this glob.
    Conflicts,
    /// `Global`: on every eligible machine.
    Global,
    /// `Replaces`: take the place of this unit.
    Replaces,
}

impl FleetKey {
    /// Every key fleet knows.
    pub const ALL: [FleetKey; 6] = [
        FleetKey::MachineId,
        FleetKey::MachineOf,
        FleetKey::MachineMetadata,
        FleetKey::Conflicts,
        FleetKey::Global,
        FleetKey::Replaces,
    ];

    /// The key as written in a unit file.
    pub fn name(self) -> &'static str {
        match self {
            FleetKey::MachineId => "MachineID",
            FleetKey::MachineOf => "MachineOf",
            FleetKey::MachineMetadata => "MachineMetadata",
            FleetKey::Conflicts => "Conflicts",
            FleetKey::Global => "Global",
            FleetKey::Replaces => "Replaces",
        }
    }

    /// The key of a name, exactly as fleet spells it.
    pub fn from_name(name: &str) -> Option<FleetKey> {
        FleetKey::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// An `[X-Fleet]` section (with its header line), one `Key=value` line per
/// entry, in the given order.
pub fn x_fleet_section(entries: &[(FleetKey, String)]) -> String {
    let mut out = String::from("[X-Fleet]\n");
    for (key, value) in entries {
        out.push_str(key.name());
        out.push('=');
        out.push_str(&value.replace(['\n', '\r'], " "));
        out.push('\n');
    }
    out
}

/// Checks the `[X-Fleet]` section of a unit's text as fleet reads it: every
/// key is a [`FleetKey`], every value is set, `MachineMetadata` values are
/// `key=value` pairs, `Global` is a boolean and stands only beside
/// `MachineMetadata`, and there is at most one such section. Returns every
/// problem found, one a line.
pub fn check_fleet_unit(text: &str) -> Result<(), String> {
    let mut errors = Vec::new();
    let entries = x_fleet_entries(text, &mut errors);
    for (line, key, value) in &entries {
        match FleetKey::from_name(key) {
            None => errors.push(format!(
                "line {line}: unknown [X-Fleet] key `{key}`; fleet knows {}",
                known_keys()
            )),
            Some(_) if value.trim().is_empty() => {
                errors.push(format!("line {line}: `{key}` has no value"))
            }
            Some(FleetKey::MachineMetadata) => check_metadata(*line, value, &mut errors),
            Some(FleetKey::Global) if truthy(value).is_none() => {
                errors.push(format!("line {line}: `Global={value}` is not a boolean"))
            }
            Some(_) => {}
        }
    }
    let global = entries
        .iter()
        .any(|(_, k, v)| k == "Global" && truthy(v) == Some(true));
    for (line, key, _) in &entries {
        if global && key != "Global" && key != "MachineMetadata" {
            errors.push(format!(
                "line {line}: `{key}` beside `Global=true`; fleet allows only MachineMetadata there"
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn known_keys() -> String {
    let names: Vec<&str> = FleetKey::ALL.iter().map(|k| k.name()).collect();
    names.join(", ")
}

/// `(line number, key, value)` of every setting in `[X-Fleet]`.
fn x_fleet_entries(text: &str, errors: &mut Vec<String>) -> Vec<(usize, String, String)> {
    let mut entries = Vec::new();
    let mut in_fleet = false;
    let mut sections = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with('[') {
            in_fleet = line == "[X-Fleet]";
            sections += usize::from(in_fleet);
            if in_fleet && sections == 2 {
                errors.push(format!("line {}: a second [X-Fleet] section", i + 1));
            }
            continue;
        }
        if !in_fleet {
            continue;
        }
        match line.split_once('=') {
            Some((k, v)) => entries.push((i + 1, k.trim().to_owned(), v.trim().to_owned())),
            None => errors.push(format!("line {}: `{line}` is not `Key=value`", i + 1)),
        }
    }
    entries
}

/// fleet's reading of a boolean (`job.go`, `isTruthyValue`, and its falsy
/// counterparts).
fn truthy(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" | "t" => Some(true),
        "false" | "no" | "0" | "off" | "f" => Some(false),
        _ => None,
    }
}

/// Each whitespace-separated word (quotes removed) must be `key=value` with
/// both sides set: fleet drops any other silently.
fn check_metadata(line: usize, value: &str, errors: &mut Vec<String>) {
    for word in value.split_whitespace() {
        let pair = word.trim_matches('"');
        let ok = matches!(pair.split('=').collect::<Vec<_>>()[..], [k, v] if !k.is_empty() && !v.is_empty());
        if !ok {
            errors.push(format!(
                "line {line}: MachineMetadata `{pair}` is not `key=value`"
            ));
        }
    }
}

/// How fleet places a service.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// A template with one instance per host.
    Template,
    /// `Global=true`.
    Global,
}

/// What a fleet service runs.
#[derive(Clone, Copy)]
enum What<'a> {
    /// A role's service.
    Role(Role),
    /// OWCA beside a follower.
    Owca,
    /// An extra service.
    Extra(&'a model::ExtraService),
}

/// One service of fleet/: its unit name without `.service`, what it runs,
/// how it is placed, and its hosts.
struct Service<'a> {
    base: String,
    what: What<'a>,
    placement: Placement,
    hosts: Vec<&'a Host>,
}

impl Service<'_> {
    /// The role whose metadata key marks its machines, if any.
    fn role(&self) -> Option<Role> {
        match self.what {
            What::Role(role) => Some(role),
            What::Owca => Some(Role::Follower),
            What::Extra(_) => None,
        }
    }
}

/// Adds the fleet units of every service the cluster runs.
pub(crate) fn emit(model: &model::Cluster, plan: &Plan, out: &mut Emitter) {
    for service in services(model) {
        let deps = fleet_deps(plan, &service);
        let bodies: Vec<(&Host, String)> = service
            .hosts
            .iter()
            .map(|h| (*h, body(model, &service, h, &deps, out)))
            .collect();
        let Some((_, main)) = bodies.first() else {
            continue;
        };
        let (same, other): (Vec<_>, Vec<_>) = bodies.iter().partition(|(_, b)| b == main);
        let main_hosts: Vec<&str> = same.iter().map(|(h, _)| h.name.as_str()).collect();
        let all_alike = other.is_empty();
        let section = x_fleet(model, &service, &deps, &main_hosts, all_alike);
        let name = match service.placement {
            Placement::Template => format!("{}@.service", service.base),
            Placement::Global => format!("{}.service", service.base),
        };
        out.add(
            None,
            &format!("fleet/{name}"),
            FileKind::FleetUnit,
            unit(main, &section),
        );
        for (host, text) in other {
            let section = x_fleet(model, &service, &deps, &[], false);
            let path = format!("fleet/{}@{}.service", service.base, host.name);
            out.add(None, &path, FileKind::FleetUnit, unit(text, &section));
        }
    }
}

/// The fleet units to start, wave by wave, for README.md: the rollout
/// plan's waves with each service under the name fleet knows it by
/// (`files` holds what [`emit`] wrote). A template's instance starts in its
/// host's wave, and so does a host's own instance of a global unit; a
/// global unit, which fleet starts on all its machines at once, starts in
/// the last wave of any host it covers. OWCA, not a node of the plan,
/// starts with its host's agent. Waves left empty are dropped.
pub(crate) fn start_waves(
    model: &model::Cluster,
    plan: &Plan,
    files: &FileSet,
) -> Vec<Vec<String>> {
    let mut wave_of: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (i, wave) in plan.waves.iter().enumerate() {
        for node in wave {
            wave_of.insert((node.host.as_str(), node.unit.as_str()), i);
        }
    }
    let mut waves: Vec<BTreeSet<String>> = vec![BTreeSet::new(); plan.waves.len()];
    for service in services(model) {
        let own = format!("{}.service", service.base);
        let planned = match service.what {
            What::Owca => Role::Follower.unit(),
            _ => own.as_str(),
        };
        let mut global_wave = None;
        for host in &service.hosts {
            let Some(&wave) = wave_of.get(&(host.name.as_str(), planned)) else {
                continue;
            };
            let instance = format!("{}@{}.service", service.base, host.name);
            let own_file = files.contains_key(&format!("fleet/{instance}"));
            if service.placement == Placement::Template || own_file {
                waves[wave].insert(instance);
            } else {
                global_wave = global_wave.max(Some(wave));
            }
        }
        if let Some(wave) = global_wave {
            waves[wave].insert(own);
        }
    }
    waves
        .into_iter()
        .filter(|w| !w.is_empty())
        .map(|w| w.into_iter().collect())
        .collect()
}

/// The services of fleet/: the roles in role order, OWCA, then the extra
/// services by name.
fn services(model: &model::Cluster) -> Vec<Service<'_>> {
    let mut list = Vec::new();
    let hosts_where = |keep: &dyn Fn(&Host) -> bool| -> Vec<&Host> {
        model.hosts.iter().filter(|h| keep(h)).collect()
    };
    for role in Role::ALL {
        let placement = match role {
            Role::Zookeeper | Role::Leader => Placement::Template,
            Role::Follower | Role::Marathon => Placement::Global,
        };
        let hosts = hosts_where(&|h| h.roles().contains(&role));
        add(&mut list, role.unit(), What::Role(role), placement, hosts);
    }
    let owca = hosts_where(&|h| h.follower.as_ref().is_some_and(|f| f.owca.is_some()));
    add(
        &mut list,
        super::owca::OWCA_UNIT,
        What::Owca,
        Placement::Global,
        owca,
    );
    for svc in &model.services {
        let hosts = hosts_where(&|h| svc.hosts.contains(&h.name));
        add(
            &mut list,
            &svc.name,
            What::Extra(svc),
            Placement::Global,
            hosts,
        );
    }
    list
}

/// Adds a service to `list` when it runs on any host.
fn add<'a>(
    list: &mut Vec<Service<'a>>,
    unit: &str,
    what: What<'a>,
    placement: Placement,
    hosts: Vec<&'a Host>,
) {
    if !hosts.is_empty() {
        let base = unit.trim_end_matches(".service").to_owned();
        list.push(Service {
            base,
            what,
            placement,
            hosts,
        });
    }
}

/// The base name of a role's fleet unit, when that role is a template.
fn template_of(unit: &str) -> Option<&'static str> {
    [Role::Zookeeper, Role::Leader]
        .into_iter()
        .find(|r| r.unit() == unit)
        .map(|r| r.unit().trim_end_matches(".service"))
}

/// The units a service's fleet unit starts after: every local dependency of
/// any of its hosts, templates named by instance (`%i` from a template, the
/// host name `%H` from a global unit).
fn fleet_deps(plan: &Plan, service: &Service<'_>) -> Vec<String> {
    let spec = match service.placement {
        Placement::Template => "%i",
        Placement::Global => "%H",
    };
    let own = format!("{}.service", service.base);
    let mut deps = BTreeSet::new();
    for host in &service.hosts {
        let local = match service.what {
            What::Owca => vec![Role::Follower.unit().to_owned()],
            _ => plan.local_deps(&host.name, &own),
        };
        for dep in local {
            deps.insert(match template_of(&dep) {
                Some(base) => format!("{base}@{spec}.service"),
                None => dep,
            });
        }
    }
    deps.into_iter().collect()
}

/// The systemd part of a service's unit for `host`.
fn body(
    model: &model::Cluster,
    service: &Service<'_>,
    host: &Host,
    deps: &[String],
    out: &Emitter,
) -> String {
    match service.what {
        What::Owca => {
            let owca = host.follower.as_ref().and_then(|f| f.owca.as_ref());
            owca.map_or_else(String::new, |o| super::owca::unit(model, o, deps, out))
        }
        What::Extra(svc) => super::systemd::extra_unit_text(svc, deps, out),
        What::Role(role) => {
            let label = match service.placement {
                Placement::Template => "%i",
                Placement::Global => "",
            };
            super::systemd::role_unit(model, host, role, deps, label, out)
        }
    }
}

/// The `[X-Fleet]` entries of a service's unit. `hosts` are the hosts a
/// global unit covers when it does not cover every host of its role.
fn x_fleet(
    model: &model::Cluster,
    service: &Service<'_>,
    deps: &[String],
    hosts: &[&str],
    all_alike: bool,
) -> String {
    let role_key = service.role().map(|r| format!("role-{}=true", r.name()));
    let mut entries = Vec::new();
    if service.placement == Placement::Global && !hosts.is_empty() {
        entries.push((FleetKey::Global, "true".to_owned()));
        entries.extend(role_key.map(|k| (FleetKey::MachineMetadata, k)));
        // The machines the role key (or, without one, the cluster) holds.
        let covered = service.role().map_or(model.hosts.len(), |role| {
            let has = |h: &&model::Host| h.roles().contains(&role);
            model.hosts.iter().filter(has).count()
        });
        if !all_alike || covered != hosts.len() {
            for h in hosts {
                entries.push((FleetKey::MachineMetadata, format!("host={h}")));
            }
        }
        return x_fleet_section(&entries);
    }
    entries.push((FleetKey::MachineMetadata, "host=%i".to_owned()));
    entries.extend(role_key.map(|k| (FleetKey::MachineMetadata, k)));
    entries.push((FleetKey::Conflicts, format!("{}@*.service", service.base)));
    let every_host_has = |unit: &str| {
        service
            .hosts
            .iter()
            .all(|h| h.roles().iter().any(|r| r.unit() == unit))
    };
    for dep in deps {
        if let Some(local) = dep.strip_suffix("@%i.service")
            && every_host_has(&format!("{local}.service"))
        {
            entries.push((FleetKey::MachineOf, dep.clone()));
        }
    }
    x_fleet_section(&entries)
}

/// A systemd unit's text with an `[X-Fleet]` section after it.
fn unit(body: &str, section: &str) -> String {
    format!("{body}\n{section}")
}

/// The fleet metadata of a machine: its `fleet { metadata { } }`, then
/// `host=<name>` and `role-<role>=true` per role (see the module docs).
pub fn machine_metadata(host: &Host) -> BTreeMap<String, String> {
    let mut meta = host.fleet_metadata.clone();
    meta.insert("host".to_owned(), host.name.clone());
    for role in host.roles() {
        meta.insert(format!("role-{}", role.name()), "true".to_owned());
    }
    meta
}

/// The metadata as fleet's `metadata` setting: `k=v,k=v`, sorted by key.
pub fn metadata_string(meta: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = meta.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_hold_only_fleet_keys() {
        let text = x_fleet_section(&[(FleetKey::Global, "true".into())]);
        assert_eq!(text, "[X-Fleet]\nGlobal=true\n");
        assert!(check_fleet_unit(&text).is_ok());
    }

    #[test]
    fn a_misspelled_key_is_rejected() {
        let err = check_fleet_unit("[Unit]\nDescription=x\n\n[X-Fleet]\nMachineMetdata=a=b\n");
        assert!(err.is_err_and(|e| e.contains("MachineMetdata")));
    }

    #[test]
    fn global_stands_only_beside_metadata() {
        let text = "[X-Fleet]\nGlobal=true\nConflicts=a@*.service\n";
        assert!(check_fleet_unit(text).is_err());
    }

    #[test]
    fn metadata_must_be_pairs() {
        assert!(check_fleet_unit("[X-Fleet]\nMachineMetadata=role\n").is_err());
        assert!(check_fleet_unit("[X-Fleet]\nMachineMetadata=\"a=b\" \"c=d\"\n").is_ok());
    }
}
