//! `cloud-config/<host>.yaml`: a host's whole user-data, carrying every
//! file mesosc makes for that host (the same files as its `hosts/<host>/`
//! overlay, whether or not the `systemd` output writes that overlay).
//!
//! Line 1 is `#cloud-config` (cloud-init and coreos-cloudinit read nothing
//! else as cloud-config), line 2 the generated-by comment. Every value goes
//! through [`yaml`], so modes are quoted strings (`"0644"`), words YAML 1.1
//! reads as booleans are quoted (`"off"`), and file contents are literal block
//! scalars. Two flavours (`cloud_config = coreos | cloud-init`):
//!
//! - **coreos**, CoreOS Container Linux' layout (coreos-cloudinit v1.14.0,
//!   `config/*.go`): `hostname`; `coreos.units`: `etcd2.service` on an etcd
//!   member and `fleet.service` when the cluster has etcd (CoreOS ships both
//!   units; `command: start`), then one entry per unit of the host in rollout
//!   order (`name`, `enable: true` so it comes back after a reboot,
//!   `command: start`, `content`), except with the `fleet` output, where
//!   fleet starts the services from `fleet/` and the machine only gets the
//!   files their units read (a unit started here too would run each service
//!   twice); `coreos.etcd2` on a member (name, client and peer URLs on the
//!   host's address, the static bootstrap or the discovery URL, timings);
//!   `coreos.fleet` (`public-ip`, the machine metadata of
//!   [`super::fleet::machine_metadata`], the etcd servers, the request
//!   timeout); `coreos.locksmith` (the etcd endpoints for `etcd-lock`, the
//!   reboot window); `coreos.update.reboot-strategy` (`"off"` unless
//!   `update { reboot_strategy }` says, because an automatic update reboot
//!   takes down a ZooKeeper server or a leader without regard for quorum);
//!   and `write_files` for every other file (env files, zoo.cfg, myid,
//!   OWCA's config).
//! - **cloud-init**, for Debian and Ubuntu: `hostname`; `write_files` for every
//!   file, units included (under `/etc/systemd/system/`); and `runcmd`:
//!   `systemctl daemon-reload`, then `systemctl enable --now <unit>` for each
//!   unit in rollout order (the plan's waves; units outside the plan, such as
//!   OWCA's, last). Commands are argument lists, so no shell reads them.
//!
//! Every file is written with its mode and `owner: root:root`.
//!
//! mesosc checks the `coreos:` block itself, since cloud-init ignores unknown
//! top-level keys and coreos-cloudinit cannot be run here:
//! [`check_coreos_block`] holds the documented keys of each part of it as
//! data.

use std::collections::HashMap;
use std::ops::Bound;

use rayon::prelude::*;
use yaml_rust2::{Yaml, YamlLoader};

use super::yaml::{self, Node};
use super::{Emitter, FileEntry, FileKind, FileSet, fleet, systemd};
use crate::model::{self, CloudConfig, ETCD_UNIT, FLEET_UNIT, Host};
use crate::plan::Plan;

/// The folder of the hosts' cloud-configs, beside (never inside) the
/// `hosts/<host>/` root-filesystem overlays: copying an overlay to `/` must
/// not drop the user-data at `/cloud-config.yaml`.
pub const CLOUD_CONFIG_DIR: &str = "cloud-config";

/// The path of `host`'s cloud-config in the output folder.
pub fn cloud_config_path(host: &str) -> String {
    format!("{CLOUD_CONFIG_DIR}/{host}.yaml")
}

/// Adds every host's cloud-config in `flavour`, carrying its files from
/// `host_files`.
pub(crate) fn emit(
    model: &model::Cluster,
    plan: &Plan,
    flavour: CloudConfig,
    host_files: &FileSet,
    out: &mut Emitter,
) {
    // Each unit's place in the rollout, looked up once rather than by a scan
    // of every wave per unit (quadratic in the host count).
    let mut positions: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, n) in plan.waves.iter().flatten().enumerate() {
        positions
            .entry((n.host.as_str(), n.unit.as_str()))
            .or_insert(i);
    }
    // Each host's document depends on nothing but the model and the host
    // files: rendered in parallel, added in host order.
    let header = out.header("#");
    let texts: Vec<String> = model
        .hosts
        .par_iter()
        .map(|host| {
            let files = files_of(host_files, &host.name);
            let units = units_in_order(&positions, host, &files);
            let root = match flavour {
                CloudConfig::Coreos => coreos(model, host, &files, &units),
                CloudConfig::CloudInit => cloud_init(host, &files, &units),
            };
            yaml::document(&["#cloud-config", &header], &root)
        })
        .collect();
    for (host, text) in model.hosts.iter().zip(texts) {
        let path = cloud_config_path(&host.name);
        out.add_owned(&host.name, path, FileKind::CloudConfig, text);
    }
}

/// A file of a host: its absolute path on the host, and its entry.
type HostFile<'a> = (String, &'a FileEntry);

/// The files of `host`, by absolute path on the host, sorted.
fn files_of<'a>(files: &'a FileSet, host: &str) -> Vec<HostFile<'a>> {
    let prefix = format!("hosts/{host}/");
    // Paths are sorted, so a host's files are one range from its prefix.
    files
        .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
        .map_while(|(path, entry)| {
            let rest = path.strip_prefix(&prefix)?;
            Some((format!("/{rest}"), entry))
        })
        .collect()
}

/// Whether a file is a unit in systemd's folder.
fn is_unit(path: &str, entry: &FileEntry) -> bool {
    entry.kind == FileKind::SystemdUnit && unit_name(path).is_some()
}

fn unit_name(path: &str) -> Option<&str> {
    path.strip_prefix(systemd::UNIT_DIR)?.strip_prefix('/')
}

/// The host's unit names in rollout order: as the plan's waves list them,
/// then units the plan does not know, by name.
fn units_in_order(
    positions: &HashMap<(&str, &str), usize>,
    host: &Host,
    files: &[HostFile<'_>],
) -> Vec<String> {
    let mut named: Vec<String> = files
        .iter()
        .filter(|(p, e)| is_unit(p, e))
        .filter_map(|(p, _)| unit_name(p).map(str::to_owned))
        .collect();
    let position = |unit: &str| {
        positions
            .get(&(host.name.as_str(), unit))
            .copied()
            .unwrap_or(usize::MAX)
    };
    named.sort_by_key(|u| (position(u), u.clone()));
    named
}

/// A `write_files` entry.
fn write_file(path: &str, entry: &FileEntry) -> Node {
    Node::map([
        ("path", Node::str(path)),
        ("permissions", Node::str(format!("{:04o}", entry.mode))),
        ("owner", Node::str("root:root")),
        ("content", Node::Text(entry.content.clone())),
    ])
}

/// The coreos flavour.
fn coreos(model: &model::Cluster, host: &Host, files: &[HostFile<'_>], units: &[String]) -> Node {
    let settings = host.coreos.as_deref();
    // etcd and fleet first, each by the unit CoreOS ships (configured by
    // the `etcd2` and `fleet` parts below); then, without the fleet output,
    // the host's own units. With it, fleet starts the services: their units
    // are fleet's (`fleet/`), and this machine only gets the files they read.
    let member = settings.is_some_and(|c| c.etcd.is_some());
    let mut entries = Vec::new();
    for (unit, on) in [(ETCD_UNIT, member), (FLEET_UNIT, model.etcd.is_some())] {
        if on {
            entries.push(Node::map([
                ("name", Node::str(unit)),
                ("command", Node::str("start")),
            ]));
        }
    }
    let started = if model.outputs.fleet { &[][..] } else { units };
    entries.extend(started.iter().filter_map(|name| {
        let (_, entry) = files.iter().find(|(p, _)| unit_name(p) == Some(name))?;
        Some(Node::map([
            ("name", Node::str(name)),
            ("enable", Node::Bool(true)),
            ("command", Node::str("start")),
            ("content", Node::Text(entry.content.clone())),
        ]))
    }));
    let mut block = vec![("units".to_owned(), Node::Seq(entries))];
    if let (Some(m), Some(etcd)) = (settings.and_then(|c| c.etcd.as_ref()), &model.etcd) {
        block.push(("etcd2".into(), etcd2(host, m, etcd)));
    }
    block.push(("fleet".into(), fleet_part(model, host, settings)));
    let strategy = settings.map_or("off", |c| c.reboot_strategy.as_str());
    if let Some(lock) = settings.and_then(|c| locksmith(model, c)) {
        block.push(("locksmith".into(), lock));
    }
    block.push((
        "update".into(),
        Node::map([("reboot-strategy", Node::str(strategy))]),
    ));
    let others = files
        .iter()
        .filter(|(p, e)| !is_unit(p, e))
        .map(|(p, e)| write_file(p, e));
    Node::map([
        ("hostname", Node::str(&host.name)),
        ("coreos", Node::Map(block)),
        ("write_files", Node::Seq(others.collect())),
    ])
}

/// `coreos.etcd2` of a member: its name and URLs (clients and peers on the
/// host's address), and the static bootstrap or the discovery URL.
fn etcd2(host: &Host, m: &model::EtcdMember, etcd: &model::Etcd) -> Node {
    let client = m.client_url(host.address);
    let peer = m.peer_url(host.address);
    let mut map = vec![
        ("name", Node::str(&host.name)),
        ("advertise-client-urls", Node::str(&client)),
        ("listen-client-urls", Node::str(&client)),
        ("initial-advertise-peer-urls", Node::str(&peer)),
        ("listen-peer-urls", Node::str(&peer)),
    ];
    match &etcd.bootstrap {
        model::EtcdBootstrap::Static {
            initial_cluster,
            token,
        } => {
            map.push(("initial-cluster", Node::str(initial_cluster)));
            map.push(("initial-cluster-token", Node::str(token)));
            map.push(("initial-cluster-state", Node::str("new")));
        }
        model::EtcdBootstrap::Discovery(url) => map.push(("discovery", Node::str(url))),
        model::EtcdBootstrap::External => {}
    }
    let ms = |v: Option<u64>| v.map(|v| Node::Int(i64::try_from(v).unwrap_or(i64::MAX)));
    if let Some(v) = ms(m.heartbeat_ms) {
        map.push(("heartbeat-interval", v));
    }
    if let Some(v) = ms(m.election_ms) {
        map.push(("election-timeout", v));
    }
    Node::map(map)
}

/// `coreos.fleet`: the machine's public IP and metadata (see
/// [`fleet::machine_metadata`]), and the etcd it uses.
fn fleet_part(model: &model::Cluster, host: &Host, settings: Option<&model::HostCoreos>) -> Node {
    let ip = settings.map_or(host.address, |c| c.fleet_public_ip);
    let meta = fleet::metadata_string(&fleet::machine_metadata(host));
    let mut map = vec![
        ("public-ip", Node::str(ip.to_string())),
        ("metadata", Node::str(meta)),
    ];
    if let Some(etcd) = &model.etcd {
        map.push(("etcd-servers", Node::str(etcd.client_urls.join(","))));
    }
    if let Some(t) = settings.and_then(|c| c.fleet_request_timeout) {
        map.push(("etcd-request-timeout", Node::Float(t)));
    }
    Node::map(map)
}

/// `coreos.locksmith` when the host reboots by `etcd-lock` or has a reboot
/// window: the etcd endpoints (locksmith splits the list at commas,
/// `locksmithctl/locksmithctl.go` v0.6.2) and the window.
fn locksmith(model: &model::Cluster, c: &model::HostCoreos) -> Option<Node> {
    let mut map = Vec::new();
    if let (Some(etcd), "etcd-lock") = (&model.etcd, c.reboot_strategy.as_str()) {
        map.push(("endpoint", Node::str(etcd.client_urls.join(","))));
    }
    if let Some(start) = &c.window_start {
        map.push(("window-start", Node::str(start)));
    }
    if let Some(length) = &c.window_length {
        map.push(("window-length", Node::str(length)));
    }
    (!map.is_empty()).then(|| Node::map(map))
}

/// The cloud-init flavour.
fn cloud_init(host: &Host, files: &[HostFile<'_>], units: &[String]) -> Node {
    let written = files.iter().map(|(p, e)| write_file(p, e));
    let mut runcmd = vec![Node::Flow(vec!["systemctl".into(), "daemon-reload".into()])];
    runcmd.extend(units.iter().map(|u| {
        Node::Flow(vec![
            "systemctl".into(),
            "enable".into(),
            "--now".into(),
            u.clone(),
        ])
    }));
    Node::map([
        ("hostname", Node::str(&host.name)),
        ("write_files", Node::Seq(written.collect())),
        ("runcmd", Node::Seq(runcmd)),
    ])
}

/// The documented keys of CoreOS cloud-config's `coreos:` block, by part,
/// as CoreOS' docs spell them (coreos-cloudinit's `config/*.go`).
pub const COREOS_KEYS: &[(&str, &[&str])] = &[
    (
        "etcd2",
        &[
            "advertise-client-urls",
            "ca-file",
            "cert-file",
            "client-cert-auth",
            "cors",
            "data-dir",
            "debug",
            "discovery",
            "discovery-fallback",
            "discovery-proxy",
            "discovery-srv",
            "election-timeout",
            "enable-pprof",
            "force-new-cluster",
            "heartbeat-interval",
            "initial-advertise-peer-urls",
            "initial-cluster",
            "initial-cluster-state",
            "initial-cluster-token",
            "key-file",
            "listen-client-urls",
            "listen-peer-urls",
            "log-package-levels",
            "max-snapshots",
            "max-wals",
            "name",
            "peer-ca-file",
            "peer-cert-file",
            "peer-client-cert-auth",
            "peer-key-file",
            "peer-trusted-ca-file",
            "proxy",
            "proxy-dial-timeout",
            "proxy-failure-wait",
            "proxy-read-timeout",
            "proxy-refresh-interval",
            "proxy-write-timeout",
            "snapshot-count",
            "strict-reconfig-check",
            "trusted-ca-file",
            "wal-dir",
        ],
    ),
    (
        "flannel",
        &[
            "etcd-cafile",
            "etcd-certfile",
            "etcd-endpoints",
            "etcd-keyfile",
            "etcd-prefix",
            "interface",
            "ip-masq",
            "public-ip",
            "subnet-file",
        ],
    ),
    (
        "fleet",
        &[
            "agent-ttl",
            "authorized-keys-file",
            "disable-engine",
            "engine-reconcile-interval",
            "etcd-cafile",
            "etcd-certfile",
            "etcd-key-prefix",
            "etcd-keyfile",
            "etcd-password",
            "etcd-request-timeout",
            "etcd-servers",
            "etcd-username",
            "metadata",
            "public-ip",
            "token-limit",
            "verbosity",
            "verify-units",
        ],
    ),
    (
        "locksmith",
        &[
            "endpoint",
            "etcd-cafile",
            "etcd-certfile",
            "etcd-keyfile",
            "etcd-password",
            "etcd-username",
            "group",
            "window-length",
            "window-start",
        ],
    ),
    (
        "oem",
        &["bug-report-url", "home-url", "id", "name", "version-id"],
    ),
    ("update", &["group", "reboot-strategy", "server"]),
    (
        "units",
        &[
            "command", "content", "drop-ins", "enable", "mask", "name", "runtime",
        ],
    ),
];

// The values `update.reboot-strategy` takes (`config/update.go`, v1.14.0).
use crate::schema::keys::REBOOT_STRATEGIES;
/// The values of a unit's `command`.
const UNIT_COMMANDS: [&str; 7] = [
    "start",
    "stop",
    "restart",
    "reload",
    "try-restart",
    "reload-or-restart",
    "reload-or-try-restart",
];

/// Checks the `coreos:` block of a cloud-config document against
/// [`COREOS_KEYS`]: every key is a documented one in its documented
/// spelling (coreos-cloudinit also reads `_` for `-`, but mesosc keeps to the
/// docs), `units` is a list of maps with a `name`, a unit's `command` and
/// `update.reboot-strategy` have known values, and each part is a map. A
/// document without a `coreos:` block passes. Returns every problem found.
pub fn check_coreos_block(yaml: &str) -> Result<(), Vec<String>> {
    let docs = YamlLoader::load_from_str(yaml).map_err(|e| vec![format!("not YAML: {e}")])?;
    let mut errors = Vec::new();
    let Some(root) = docs.first() else {
        return Ok(());
    };
    match &root["coreos"] {
        Yaml::BadValue | Yaml::Null => {}
        Yaml::Hash(block) => {
            for (key, value) in block {
                check_part(key.as_str().unwrap_or("?"), value, &mut errors);
            }
        }
        _ => errors.push("`coreos` is not a map".to_owned()),
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// One part of the `coreos:` block.
fn check_part(part: &str, value: &Yaml, errors: &mut Vec<String>) {
    let Some(keys) = COREOS_KEYS
        .iter()
        .find(|(p, _)| *p == part)
        .map(|(_, k)| *k)
    else {
        errors.push(unknown("coreos", part, COREOS_KEYS.iter().map(|(p, _)| *p)));
        return;
    };
    if part == "units" {
        let Yaml::Array(units) = value else {
            errors.push("`coreos.units` is not a list".to_owned());
            return;
        };
        for (i, unit) in units.iter().enumerate() {
            check_map(&format!("coreos.units[{i}]"), unit, keys, errors);
            if unit["name"].as_str().is_none() {
                errors.push(format!("`coreos.units[{i}]` has no `name`"));
            }
            check_value(
                &format!("coreos.units[{i}].command"),
                &unit["command"],
                &UNIT_COMMANDS,
                errors,
            );
        }
        return;
    }
    check_map(&format!("coreos.{part}"), value, keys, errors);
    if part == "update" {
        check_value(
            "coreos.update.reboot-strategy",
            &value["reboot-strategy"],
            REBOOT_STRATEGIES,
            errors,
        );
    }
}

/// A map whose keys must be among `keys`.
fn check_map(at: &str, value: &Yaml, keys: &[&str], errors: &mut Vec<String>) {
    let Yaml::Hash(map) = value else {
        errors.push(format!("`{at}` is not a map"));
        return;
    };
    for key in map.keys() {
        let name = key.as_str().unwrap_or("?");
        if !keys.contains(&name) {
            errors.push(unknown(at, name, keys.iter().copied()));
        }
    }
}

/// A string value, when present, must be one of `allowed`.
fn check_value(at: &str, value: &Yaml, allowed: &[&str], errors: &mut Vec<String>) {
    match value {
        Yaml::BadValue => {}
        Yaml::String(s) if allowed.contains(&s.as_str()) => {}
        other => errors.push(format!(
            "`{at}` is {other:?}; expected one of {} as a string",
            allowed.join(", ")
        )),
    }
}

/// "unknown key" with the documented spelling when only `_`/`-` differ.
fn unknown<'a>(at: &str, key: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    let dashed = key.replace('_', "-");
    if known.contains(&dashed.as_str()) {
        return format!("`{at}.{key}`: write `{dashed}`, as CoreOS documents it");
    }
    let hint = crate::suggest::did_you_mean(key, known.iter().copied()).unwrap_or_default();
    format!("unknown key `{key}` in `{at}` {hint}")
        .trim_end()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "#cloud-config\ncoreos:\n  units:\n    - name: a.service\n      command: start\n  update:\n    reboot-strategy: \"off\"\n";

    #[test]
    fn documented_keys_pass() {
        assert_eq!(check_coreos_block(GOOD), Ok(()));
    }

    #[test]
    fn misspelled_keys_are_rejected() {
        let bad = GOOD.replace("units:", "unit:");
        assert!(check_coreos_block(&bad).is_err_and(|e| e[0].contains("`unit`")));
        let bad = GOOD.replace("reboot-strategy", "reboot_strategy");
        assert!(check_coreos_block(&bad).is_err_and(|e| e[0].contains("reboot-strategy")));
    }

    /// The documented keys are coreos-cloudinit's own: the `yaml` tags of
    /// its structs (`data/coreos-cloudinit/*.tsv`, from `config/*.go` at
    /// v1.14.0), written with `-` as CoreOS' docs do.
    #[test]
    fn the_keys_are_coreos_cloudinits_struct_tags() {
        let tables = [
            (
                "etcd2",
                include_str!("../../data/coreos-cloudinit/etcd2.tsv"),
            ),
            (
                "fleet",
                include_str!("../../data/coreos-cloudinit/fleet.tsv"),
            ),
            (
                "locksmith",
                include_str!("../../data/coreos-cloudinit/locksmith.tsv"),
            ),
            (
                "update",
                include_str!("../../data/coreos-cloudinit/update.tsv"),
            ),
        ];
        for (part, table) in tables {
            let mut tags: Vec<String> = table
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .map(|l| l.split('\t').next().unwrap_or_default().replace('_', "-"))
                .collect();
            tags.sort();
            let keys = COREOS_KEYS
                .iter()
                .find(|(p, _)| *p == part)
                .map(|(_, k)| *k);
            assert_eq!(
                keys,
                Some(&tags.iter().map(String::as_str).collect::<Vec<_>>()[..]),
                "{part}"
            );
        }
    }

    #[test]
    fn bad_values_are_rejected() {
        assert!(check_coreos_block(&GOOD.replace("\"off\"", "never")).is_err());
        assert!(check_coreos_block(&GOOD.replace("command: start", "command: go")).is_err());
    }
}
