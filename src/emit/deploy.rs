//! The "Deploy" section of `README.md`: what each host needs, the ports to
//! open, how to copy exactly the files mesosc owns onto a host, the commands
//! that start each wave, and how to verify each service.
//!
//! The facts about runtimes (which JRE a version runs on, which cgroup
//! hierarchy Mesos' isolators know) live here, each with its source.

use std::collections::BTreeMap;

use crate::escape::md;
use crate::model::{self, Host, Role, Run};
use crate::plan::Plan;

use crate::schema::versions::{cgroup_v1_only, jre_major};

/// The data the README template lays out.
pub(crate) struct Deploy {
    /// Whether `hosts/<host>/` overlays are written (the `systemd` output).
    pub systemd: bool,
    /// Whether `cloud-config/<host>.yaml` files are written.
    pub cloud_config: bool,
    /// Hosts with the same needs and ports, one row each.
    pub needs: Vec<NeedsRow>,
    /// `host address` lines, for the copy loop.
    pub hosts: Vec<String>,
    /// Per wave, the commands that start it.
    pub waves: Vec<Vec<String>>,
    /// The commands that check each service answers.
    pub verify: Vec<String>,
}

/// Hosts that need the same things.
pub(crate) struct NeedsRow {
    /// The hosts, comma-separated.
    pub hosts: String,
    /// What they need, `; `-separated.
    pub needs: String,
    /// TCP ports to open, comma-separated.
    pub ports: String,
}

/// The Deploy section's data for `model`.
pub(crate) fn deploy(model: &model::Cluster, plan: &Plan, hosts: &[&Host]) -> Deploy {
    let mut groups: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    for h in hosts {
        let ports = open_ports(model, h);
        groups
            .entry((needs(model, h).join("; "), ports))
            .or_default()
            .push(&h.name);
    }
    let mut needs: Vec<NeedsRow> = groups
        .into_iter()
        .map(|((needs, ports), hosts)| NeedsRow {
            hosts: md(&hosts.join(", ")),
            needs: md(&needs),
            ports,
        })
        .collect();
    needs.sort_by(|a, b| crate::model::natural::natural_cmp(&a.hosts, &b.hosts));
    Deploy {
        systemd: model.outputs.systemd,
        cloud_config: model.outputs.cloud_config.is_some(),
        needs,
        hosts: hosts
            .iter()
            .map(|h| format!("{} {}", h.name, h.address))
            .collect(),
        waves: waves(model, plan),
        verify: hosts.iter().flat_map(|h| verify(model, h)).collect(),
    }
}

/// The TCP ports to open on a host: every listener's, from
/// [`model::Cluster::listeners`].
fn open_ports(model: &model::Cluster, host: &Host) -> String {
    let mut ports: Vec<(u16, String)> = model
        .listeners(host)
        .iter()
        .map(|l| (l.port, l.ports()))
        .collect();
    ports.sort();
    ports.dedup();
    let list: Vec<String> = ports.into_iter().map(|(_, p)| p).collect();
    list.join(", ")
}

/// What a host needs installed for its services.
fn needs(model: &model::Cluster, host: &Host) -> Vec<String> {
    let v = &model.versions;
    let mut out = Vec::new();
    let mut docker = false;
    for role in host.roles() {
        let Some(service) = host.service(role) else {
            continue;
        };
        let version = match role {
            Role::Zookeeper => &v.zookeeper,
            Role::Marathon => &v.marathon,
            Role::Leader | Role::Follower => &v.mesos,
        };
        let program = match role {
            Role::Zookeeper => "ZooKeeper",
            Role::Marathon => "Marathon",
            Role::Leader | Role::Follower => "Mesos",
        };
        let command = match &service.run {
            Run::Native { command } => command,
            Run::Docker(c) => {
                docker = true;
                out.push(format!("image `{}` ({program} {version})", c.image));
                continue;
            }
        };
        let jre = jre_major(role, version)
            .map(|j| format!(", a Java {j} or newer JRE"))
            .unwrap_or_default();
        let what = match role {
            Role::Zookeeper => format!(
                "ZooKeeper {version}: `{}`, `{}`{jre}",
                command,
                super::systemd::ZK_CLASSPATH.replace(':', "`, `")
            ),
            _ => format!("{program} {version}: `{command}`{jre}"),
        };
        out.push(what);
    }
    if let Some(f) = &host.follower {
        let flag = |name: &str| f.flags.get(name).map_or("", |s| s.value.as_str());
        if flag("isolation").contains("cgroups/") && cgroup_v1_only(&v.mesos) {
            out.push(format!(
                "the cgroup v1 hierarchy (Mesos {} has no cgroup v2 support; on a unified-hierarchy \
                 host boot with `systemd.unified_cgroup_hierarchy=0`)",
                v.mesos
            ));
        }
        if flag("containerizers").contains("docker") {
            docker = true;
        }
        if let Some(owca) = &f.owca {
            out.push(format!("OWCA: `{}`", owca.command));
        }
    }
    if docker {
        out.push("docker".to_owned());
    }
    for svc in model
        .services
        .iter()
        .filter(|s| s.hosts.contains(&host.name))
    {
        let program = svc.exec.split_whitespace().next().unwrap_or_default();
        out.push(format!("{}: `{program}`", svc.name));
    }
    out
}

/// Per wave: `docker pull` for the images it runs, then `systemctl
/// daemon-reload` and `enable --now` of its units, host by host.
fn waves(model: &model::Cluster, plan: &Plan) -> Vec<Vec<String>> {
    let by_name: BTreeMap<&str, &Host> = model.hosts.iter().map(|h| (h.name.as_str(), h)).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for wave in &plan.waves {
        let mut units: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for node in wave {
            units
                .entry(node.host.as_str())
                .or_default()
                .push(&node.unit);
        }
        let mut lines = Vec::new();
        for (host, units) in units {
            let Some(h) = by_name.get(host) else {
                continue;
            };
            let pulls: Vec<String> = (units.iter())
                .filter_map(|u| docker_image(h, u))
                .map(|image| format!("docker pull {image} && "))
                .collect();
            lines.push(format!(
                "ssh root@{} '{}systemctl daemon-reload && systemctl enable --now {}'",
                h.address,
                pulls.concat(),
                units.join(" ")
            ));
        }
        out.push(lines);
    }
    let owca: Vec<String> = (model.hosts.iter())
        .filter(|h| h.follower.as_ref().is_some_and(|f| f.owca.is_some()))
        .map(|h| {
            format!(
                "ssh root@{} 'systemctl enable --now owca.service'",
                h.address
            )
        })
        .collect();
    if !owca.is_empty() {
        out.push(owca);
    }
    out
}

/// The image a docker unit of `host` runs.
fn docker_image<'a>(host: &'a Host, unit: &str) -> Option<&'a str> {
    let role = Role::ALL.into_iter().find(|r| r.unit() == unit)?;
    let service = host.service(role)?;
    service.container().map(|c| c.image.as_str())
}

/// The commands that show each service of `host` answering.
fn verify(model: &model::Cluster, host: &Host) -> Vec<String> {
    let mut out = Vec::new();
    let reach = |s: &model::Service| {
        let (address, port) = s
            .advertise
            .as_ref()
            .map_or((host.address, s.port), |a| (a.ip, a.port));
        host_port(address, port)
    };
    if let Some(zk) = &host.zookeeper {
        let at = reach(&zk.service);
        let (address, port) = at.rsplit_once(':').unwrap_or((&at, ""));
        out.push(format!(
            "echo ruok | nc {} {port}   # imok",
            address.trim_matches(['[', ']'])
        ));
        if let Some(p) = zk.admin_port {
            out.push(format!(
                "curl -fsS http://{}/commands/ruok",
                host_port(host.address, p)
            ));
        }
    }
    if let Some(l) = &host.leader {
        let at = reach(&l.service);
        out.push(format!("curl -fsS http://{at}/master/health"));
        let readonly = l
            .flags
            .get("authenticate_http_readonly")
            .is_some_and(|s| s.value == "true");
        // With `--authenticate_http_readonly`, `/state` takes HTTP basic
        // authentication against the `--credentials` file (1.11.0
        // `src/master/master.cpp`, `initializeHttpAuthenticators(…,
        // credentials)`): any framework principal does.
        match model.auth.credentials.iter().next().filter(|_| readonly) {
            // The secret is on the leader: read it there.
            Some((principal, secret)) => out.push(format!(
                "ssh root@{} 'curl -fsS -u \"{principal}:$(cat {secret})\" http://{at}/master/state' | head -c 200",
                host.address
            )),
            None => out.push(format!("curl -fsS http://{at}/master/state | head -c 200")),
        }
    }
    if let Some(f) = &host.follower {
        out.push(format!(
            "curl -fsS 'http://{}/slave(1)/health'",
            reach(&f.service)
        ));
    }
    if let Some(m) = &host.marathon {
        let at = reach(&m.service);
        out.push(format!("curl -fsS http://{at}/ping   # pong"));
        out.push(format!("curl -fsS http://{at}/v2/leader"));
    }
    out
}

/// `address:port`, with an IPv6 address in brackets.
fn host_port(address: std::net::IpAddr, port: u16) -> String {
    match address {
        std::net::IpAddr::V6(a) => format!("[{a}]:{port}"),
        std::net::IpAddr::V4(a) => format!("{a}:{port}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Version;

    fn v(text: &str) -> Version {
        Version::parse(text).expect("a version")
    }

    #[test]
    fn jre_majors_follow_the_sources() {
        assert_eq!(jre_major(Role::Zookeeper, &v("3.5.3")), Some(7));
        assert_eq!(jre_major(Role::Zookeeper, &v("3.5.4")), Some(8));
        assert_eq!(jre_major(Role::Zookeeper, &v("3.9.5")), Some(8));
        assert_eq!(jre_major(Role::Marathon, &v("0.10.2")), Some(6));
        assert_eq!(jre_major(Role::Marathon, &v("0.11.0")), Some(8));
        assert_eq!(jre_major(Role::Marathon, &v("1.10.26")), Some(8));
        assert_eq!(jre_major(Role::Leader, &v("1.11.0")), None);
        assert_eq!(jre_major(Role::Follower, &v("1.11.0")), None);
    }

    #[test]
    fn cgroup_v1_up_to_1_11() {
        assert!(cgroup_v1_only(&v("1.11.0")));
        assert!(cgroup_v1_only(&v("1.12.0-dev")));
        assert!(!cgroup_v1_only(&v("1.12.0")));
    }

    #[test]
    fn addresses_in_commands() {
        let v6: std::net::IpAddr = "fd00::1".parse().expect("v6");
        let v4: std::net::IpAddr = "10.0.0.1".parse().expect("v4");
        assert_eq!(host_port(v6, 80), "[fd00::1]:80");
        assert_eq!(host_port(v4, 80), "10.0.0.1:80");
    }
}
