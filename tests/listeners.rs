//! One answer to "what listens where on a host" (`Cluster::listeners`,
//! `Host::role_listeners`): the README's hosts table, the Deploy section's
//! firewall list and the port check all read it.

use std::path::Path;

use mesosc::files::MemoryFiles;
use mesosc::{Options, check_path};

const CLUSTER: &str = r#"cluster "c" { mesos = "1.11.0" }
host "m" {
  address = "10.0.0.1"
  roles   = [zookeeper, leader, marathon]
  zookeeper { admin_port = 8081 }
  marathon { flags { https_port = 8443 } }
}
host "a" {
  address = "10.0.1.1"
  roles   = [follower]
  follower { resources { ports = [4000..4010] } }
}
service "exporter" { on = [follower]  exec = "/bin/true"  ports = 9100 }
"#;

fn checked(text: &str) -> mesosc::Checked {
    let mut files = MemoryFiles::new();
    files.insert("/l.mcl", text);
    check_path(Path::new("/l.mcl"), &files, &|_| None, &Options::default()).expect("reads")
}

#[test]
fn every_listener_of_a_host_in_role_order() {
    let c = checked(CLUSTER);
    let model = c.model.as_ref().expect("a model");
    let host = |name: &str| model.hosts.iter().find(|h| h.name == name).expect("host");
    let m: Vec<(String, String)> = model
        .listeners(host("m"))
        .iter()
        .map(|l| (l.ports(), l.describe()))
        .collect();
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        m,
        pairs(&[
            ("2181", "ZooKeeper's client port"),
            ("2888", "ZooKeeper's peer port"),
            ("3888", "ZooKeeper's election port"),
            ("8081", "ZooKeeper's AdminServer"),
            ("5050", "the Mesos leader"),
            ("8080", "Marathon's HTTP port"),
            ("8443", "Marathon's HTTPS port"),
        ])
    );
    let a: Vec<(String, String, String)> = model
        .listeners(host("a"))
        .iter()
        .map(|l| (l.ports(), l.describe(), l.settings()[0].join(".")))
        .collect();
    assert_eq!(
        a,
        [
            ("5051".into(), "the Mesos follower".into(), "port".into()),
            (
                "4000-4010".into(),
                "the Mesos follower's task ports".into(),
                "resources.ports".into()
            ),
            ("9100".into(), "service `exporter`".into(), "port".into()),
        ]
    );
    // A host knows its own services' listeners; the cluster adds extra services.
    assert_eq!(host("a").role_listeners().len(), 2);
}

#[test]
fn the_port_check_reads_the_same_listeners() {
    // Marathon's HTTPS port, known only through its flags, collides with a
    // service on the same host: the check sees it because it reads the
    // listener list, and names it as the list describes it.
    let text = CLUSTER.replace(
        "service \"exporter\" { on = [follower]",
        "service \"proxy\" { on = [m]  exec = \"/bin/true\"  ports = 8443 }\nservice \"exporter\" { on = [follower]",
    );
    let c = checked(&text);
    let clash = c
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{d} {:?}",
                miette::Diagnostic::labels(d)
                    .map(|l| l.map(|l| l.label().map(str::to_owned)).collect::<Vec<_>>())
            )
        })
        .find(|d| d.contains("port 8443"))
        .expect("a port clash on 8443");
    assert!(clash.contains("Marathon's HTTPS port"), "{clash}");
}

/// The first port-clash report on `port`, with its labels, and the text
/// under its first label (where it points).
fn clash(text: &str, port: u16) -> Option<(String, String)> {
    let c = checked(text);
    c.diagnostics.iter().find_map(|d| {
        let report = d.to_string();
        if !report.contains(&format!("port {port}")) {
            return None;
        }
        let labels: Vec<miette::LabeledSpan> = miette::Diagnostic::labels(d)?.collect();
        let at = labels
            .iter()
            .map(|l| &text[l.offset()..l.offset() + l.len()]);
        let at: Vec<&str> = at.collect();
        Some((format!("{report} {labels:?}"), at.join(" | ")))
    })
}

const BRIDGED: &str = r#"cluster "c" { mesos = "1.11.0" }
host "m" {
  address = "10.0.0.1"
  roles   = [zookeeper, leader, marathon]
  leader {
    runtime = docker  image = "mesos/mesos-master:1.11.0"
    network = bridge  advertise { port = PORT }
  }
  marathon { runtime = docker  image = "mesosphere/marathon:v1.10.17"  network = bridge }
}
"#;

#[test]
fn a_bridged_leader_listens_on_its_published_port() {
    // The leader binds 5050 inside its container; the host's port is the
    // advertised one that docker publishes, which is what collides.
    let (report, at) = clash(&BRIDGED.replace("PORT", "2181"), 2181)
        .expect("a clash with ZooKeeper's client port");
    assert!(report.contains("the Mesos leader"), "{report}");
    let at: Vec<&str> = at.split(" | ").collect();
    assert!(
        at.contains(&"2181"),
        "points at the advertised port: {report}"
    );
    assert!(clash(&BRIDGED.replace("PORT", "5055"), 2181).is_none());
    let c = checked(&BRIDGED.replace("PORT", "5055"));
    let model = c.model.as_ref().expect("a model");
    let l = model.hosts[0].role_listeners();
    let leader = l
        .iter()
        .find(|l| l.describe() == "the Mesos leader")
        .expect("leader");
    assert_eq!((leader.port, leader.inside), (5055, Some(5050)));
    assert_eq!(leader.ports(), "5055", "one host port, not a range");
}

#[test]
fn a_bridged_marathon_publishes_its_libprocess_port_on_the_host() {
    // 15101 is the libprocess port a bridged Marathon gets when it sets none;
    // a service on that host port collides with what docker publishes.
    let text = format!(
        "{}service \"s\" {{ on = [m]  exec = \"/bin/true\"  ports = 15101 }}\n",
        BRIDGED.replace("PORT", "5050")
    );
    let (report, _) = clash(&text, 15101).expect("a clash on Marathon's libprocess port");
    assert!(report.contains("Marathon's libprocess port"), "{report}");
    let c = checked(&BRIDGED.replace("PORT", "5050"));
    let model = c.model.as_ref().expect("a model");
    let marathon: Vec<(u16, Option<u16>, &str)> = model.hosts[0]
        .role_listeners()
        .iter()
        .filter(|l| l.unit == "marathon.service")
        .map(|l| (l.port, l.inside, l.purpose))
        .collect();
    assert_eq!(
        marathon,
        [
            (8080, Some(8080), "HTTP"),
            (15101, Some(15101), "libprocess")
        ]
    );
}

#[test]
fn a_native_marathon_with_a_fixed_libprocess_port_listens_there() {
    let text = CLUSTER.replace(
        "marathon { flags { https_port = 8443 } }",
        "marathon { advertise { libprocess_port = 5050 } }",
    );
    let (report, at) = clash(&text, 5050).expect("a clash with the leader");
    assert!(report.contains("Marathon's libprocess port"), "{report}");
    assert!(at.contains("5050"), "{at}");
}

#[test]
fn ports_opened_by_zookeeper_settings_are_listeners() {
    // `secureClientPort` (QuorumPeerConfig.java) on the leader's port.
    let text = CLUSTER.replace(
        "zookeeper { admin_port = 8081 }",
        "zookeeper { admin_port = 8081  settings { secureClientPort = 5050 } }",
    );
    let (report, at) = clash(&text, 5050).expect("a clash with the leader");
    assert!(report.contains("ZooKeeper's TLS client port"), "{report}");
    assert_eq!(at.split(" | ").filter(|a| *a == "5050").count(), 1, "{at}");
    // The Prometheus exporter listens on 7000 unless told otherwise.
    let prometheus = "metricsProvider.className = \"org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider\"";
    let text = format!(
        "{}service \"s\" {{ on = [m]  exec = \"/bin/true\"  ports = 7000 }}\n",
        CLUSTER.replace(
            "zookeeper { admin_port = 8081 }",
            &format!("zookeeper {{ admin_port = 8081  settings {{ {prometheus} }} }}"),
        )
    );
    let (report, _) = clash(&text, 7000).expect("a clash with the exporter");
    assert!(
        report.contains("ZooKeeper's Prometheus exporter"),
        "{report}"
    );
    let moved = text.replace(
        prometheus,
        &format!("{prometheus}\n \"metricsProvider.httpPort\" = 7001"),
    );
    assert!(clash(&moved, 7000).is_none());
}

#[test]
fn a_clash_help_names_the_nested_setting_that_moves_the_port() {
    // Marathon's HTTPS port is set in its `flags`, ZooKeeper's TLS port in
    // its `settings`: the help points there, not at a key of the role block.
    let text = format!(
        "{}service \"proxy\" {{ on = [m]  exec = \"/bin/true\"  ports = [8443, 2281] }}\n",
        CLUSTER.replace(
            "zookeeper { admin_port = 8081 }",
            "zookeeper { admin_port = 8081  settings { secureClientPort = 2281 } }",
        )
    );
    let c = checked(&text);
    let helps: Vec<String> = c
        .diagnostics
        .iter()
        .filter_map(|d| miette::Diagnostic::help(d).map(|h| h.to_string()))
        .collect();
    let all = helps.join("\n");
    assert!(
        all.contains("change `https_port` (now 8443) in the `marathon { flags }` block"),
        "{all}"
    );
    assert!(
        all.contains("change `secureClientPort` (now 2281) in the `zookeeper { settings }` block"),
        "{all}"
    );
}
