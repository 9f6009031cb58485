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
    let a: Vec<(String, String, &str)> = model
        .listeners(host("a"))
        .iter()
        .map(|l| (l.ports(), l.describe(), l.key()))
        .collect();
    assert_eq!(
        a,
        [
            ("5051".into(), "the Mesos follower".into(), "port"),
            (
                "4000-4010".into(),
                "the Mesos follower's task ports".into(),
                "resources"
            ),
            ("9100".into(), "service `exporter`".into(), "port"),
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
