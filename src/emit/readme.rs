//! `README.md`: the cluster at a glance, for people: hosts, the dependency
//! graph (Mermaid), the rollout plan, how to start the cluster with fleet
//! (when `fleet/` is written), and the secrets to provision per host.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;

use super::{Emitter, FileKind, render};
use crate::escape::md;
use crate::model::{self, Host};
use crate::plan::Plan;

/// The mode a secret file must have: read-only for its owner, root, which
/// the generated units run as.
pub const SECRET_MODE: &str = "0400";

/// `README.md`.
#[derive(Template)]
#[template(path = "README.md", config = "src/emit/askama.toml")]
struct Readme {
    header: String,
    cluster: String,
    source: String,
    version: String,
    hosts: Vec<HostRow>,
    mermaid: String,
    waves: Vec<String>,
    /// One `fleetctl start` line per wave, when `fleet/` is written.
    fleet: Option<Vec<String>>,
    secrets: Vec<HostSecrets>,
    /// How CoreOS hosts boot, with the CoreOS cloud-config.
    coreos: Option<CoreosBoot>,
    secret_mode: &'static str,
    deploy: super::deploy::Deploy,
}

struct HostRow {
    name: String,
    address: String,
    roles: String,
    ports: String,
}

struct HostSecrets {
    host: String,
    rows: Vec<SecretRow>,
}

#[derive(PartialEq, Eq)]
struct SecretRow {
    path: String,
    readers: String,
}

/// Adds README.md; `fleet_waves` are the fleet units to start, wave by wave,
/// when `fleet/` is written.
pub(crate) fn emit(
    model: &model::Cluster,
    plan: &Plan,
    fleet_waves: Option<&[Vec<String>]>,
    out: &mut Emitter,
) {
    let mut hosts: Vec<&Host> = model.hosts.iter().collect();
    hosts.sort_by(|a, b| crate::model::natural::natural_cmp(&a.name, &b.name));
    let readme = Readme {
        header: format!("<!-- {} -->", out.generated_by()),
        cluster: md(&model.name),
        source: md(&out.source),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        hosts: hosts.iter().map(|h| host_row(model, h)).collect(),
        mermaid: plan.grouped_mermaid().trim_end().to_owned(),
        waves: (plan.waves.iter().enumerate())
            .map(|(i, wave)| format!("{}. {}", i + 1, wave_line(wave)))
            .collect(),
        fleet: fleet_waves.map(|waves| {
            (waves.iter())
                .map(|units| format!("fleetctl start {}", units.join(" ")))
                .collect()
        }),
        secrets: grouped_secrets(&hosts),
        coreos: (model.outputs.cloud_config == Some(model::CloudConfig::Coreos))
            .then(|| coreos_boot(model, &hosts)),
        secret_mode: SECRET_MODE,
        deploy: super::deploy::deploy(model, plan, &hosts),
    };
    out.add(None, "README.md", FileKind::Readme, render(&readme));
}

fn host_row(model: &model::Cluster, host: &Host) -> HostRow {
    let mut roles: Vec<String> = host.roles().iter().map(|r| r.name().to_owned()).collect();
    roles.extend(
        (model.services.iter())
            .filter(|s| s.hosts.contains(&host.name))
            .map(|s| s.name.clone()),
    );
    // One group per service, from the one list of what listens where.
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for l in model.listeners(host) {
        let name = l.role.map_or_else(
            || l.unit.trim_end_matches(".service").to_owned(),
            |r| r.name().to_owned(),
        );
        let port = match l.purpose {
            "" | "HTTP" => l.ports(),
            purpose => format!("{} ({purpose})", l.ports()),
        };
        match groups.last_mut() {
            Some((last, ports)) if *last == name => ports.push(port),
            _ => groups.push((name, vec![port])),
        }
    }
    let ports: Vec<String> = (groups.into_iter())
        .map(|(name, ports)| format!("{name} {}", ports.join(", ")))
        .collect();
    HostRow {
        name: md(&host.name),
        address: host.address.to_string(),
        roles: md(&roles.join(", ")),
        ports: md(&ports.join("; ")),
    }
}

/// A wave for people: the hosts that start the same units share one entry
/// (`` `mesos-agent.service` on agent-1 … agent-12 (12 hosts) ``).
fn wave_line(wave: &[crate::plan::NodeRef]) -> String {
    let mut by_host: Vec<(&str, Vec<&str>)> = Vec::new();
    for n in wave {
        match by_host.last_mut() {
            Some((host, units)) if *host == n.host => units.push(&n.unit),
            _ => by_host.push((&n.host, vec![&n.unit])),
        }
    }
    let mut groups: Vec<(Vec<&str>, Vec<String>)> = Vec::new();
    for (host, units) in by_host {
        match groups.iter_mut().find(|(u, _)| *u == units) {
            Some((_, hosts)) => hosts.push(host.to_owned()),
            None => groups.push((units, vec![host.to_owned()])),
        }
    }
    let entries: Vec<String> = (groups.into_iter())
        .map(|(units, hosts)| {
            let units: Vec<String> = units.iter().map(|u| format!("`{}`", md(u))).collect();
            let on = match hosts.len() {
                1 => md(&hosts[0]),
                n => format!("{} ({n} hosts)", md(&crate::plan::host_list(&hosts))),
            };
            format!("{} on {on}", units.join(", "))
        })
        .collect();
    entries.join("; ")
}

/// The secrets tables: hosts whose secret files and readers are the same
/// share one table, titled with all their names.
fn grouped_secrets(hosts: &[&Host]) -> Vec<HostSecrets> {
    let mut groups: Vec<(Vec<String>, HostSecrets)> = Vec::new();
    for h in hosts {
        let Some(one) = host_secrets(h) else {
            continue;
        };
        match groups.iter_mut().find(|(_, g)| g.rows == one.rows) {
            Some((names, _)) => names.push(h.name.clone()),
            None => groups.push((vec![h.name.clone()], one)),
        }
    }
    (groups.into_iter())
        .map(|(names, mut g)| {
            if names.len() > 1 {
                let list = crate::plan::host_list(&names);
                g.host = md(&format!("{list} ({} hosts)", names.len()));
            }
            g
        })
        .collect()
}

/// The secret files of a host and the units that read them; `None` when it
/// has none.
fn host_secrets(host: &Host) -> Option<HostSecrets> {
    let mut by_path: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (path, unit) in host.secret_files() {
        by_path.entry(path).or_default().insert(unit);
    }
    if by_path.is_empty() {
        return None;
    }
    let rows = by_path
        .into_iter()
        .map(|(path, readers)| SecretRow {
            path: md(path),
            readers: readers.into_iter().collect::<Vec<_>>().join(", "),
        })
        .collect();
    Some(HostSecrets {
        host: md(&host.name),
        rows,
    })
}

/// The "Booting CoreOS hosts" part of the Deploy section.
struct CoreosBoot {
    /// Whether the cloud-configs start etcd2 and fleet.
    etcd: bool,
    /// In which order to boot, and when etcd serves.
    order: String,
    /// Commands that show etcd and fleet up.
    checks: Vec<String>,
}

fn coreos_boot(model: &model::Cluster, hosts: &[&Host]) -> CoreosBoot {
    let members: Vec<&str> = (hosts.iter())
        .filter(|h| h.coreos.as_ref().is_some_and(|c| c.etcd.is_some()))
        .map(|h| h.name.as_str())
        .collect();
    let Some(etcd) = &model.etcd else {
        return CoreosBoot {
            etcd: false,
            order: "No `etcd` block is declared, so no host runs etcd or fleet; boot the hosts in any order.".into(),
            checks: Vec::new(),
        };
    };
    let n = members.len();
    let quorum = format!("etcd serves once {} of its {n} members are up", n / 2 + 1);
    let list = md(&members.join(", "));
    let then = if n < hosts.len() {
        " Then boot the other hosts."
    } else {
        ""
    };
    let order = match &etcd.bootstrap {
        model::EtcdBootstrap::Static { .. } => format!(
            "Boot the etcd members ({list}) first, together: each finds the others from the `initial-cluster` its cloud-config lists, and {quorum}.{then}"
        ),
        model::EtcdBootstrap::Discovery(_) => format!(
            "Boot the etcd members ({list}) first: they find each other through the discovery URL, which serves one bootstrap only (get a fresh one to build a new cluster), and {quorum}.{then}"
        ),
        model::EtcdBootstrap::External => "The hosts use an etcd they do not run (`etcd { servers }`): it must serve before they boot.".into(),
    };
    let endpoints = etcd.client_urls.join(",");
    let mut checks = vec![format!(
        "ETCDCTL_API=2 etcdctl --endpoints {endpoints} cluster-health"
    )];
    checks.push("fleetctl list-machines    # on any host: every host, with its metadata".into());
    let order = if model.outputs.fleet {
        format!(
            "{order} Once etcd reports a healthy cluster and fleet lists every machine, start the fleet units (above):"
        )
    } else {
        format!("{order} etcd and fleet are up when:")
    };
    CoreosBoot {
        etcd: true,
        order,
        checks,
    }
}
