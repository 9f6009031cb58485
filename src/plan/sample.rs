//! A small cluster built by hand, shared by the tests of `plan`, `emit` and
//! `output`: three control hosts with ZooKeeper, a leader and Marathon, two
//! followers, a managed ensemble, authentication on, and one extra service.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use crate::model::*;
use crate::schema::Version;
use crate::span::Span;

const MESOS_ZK: &str = "zk://10.10.0.11:2181,10.10.0.12:2181,10.10.0.13:2181/mesos";
const MARATHON_ZK: &str = "zk://10.10.0.11:2181,10.10.0.12:2181,10.10.0.13:2181/marathon";

fn ip(a: u8, b: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(10, 10, a, b))
}

fn settings(pairs: &[(&str, &str)]) -> BTreeMap<String, Setting> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Setting::derived(*v)))
        .collect()
}

/// A native, host-networked service.
pub(crate) fn service(port: u16, command: &str) -> Service {
    Service {
        port,
        run: Run::Native {
            command: command.to_owned(),
        },
        advertise: None,
        tls: None,
    }
}

/// The container a role of the sample runs in when a test dockerizes it
/// (host network, the sample's work directories).
pub(crate) fn container(role: Role) -> Container {
    let (image, work_dir) = match role {
        Role::Zookeeper => ("zookeeper:3.9.5", "/var/lib/zookeeper"),
        Role::Leader => ("mesosphere/mesos-master:1.11.0", "/var/lib/mesos"),
        Role::Follower => ("mesosphere/mesos-agent:1.11.0", "/var/lib/mesos-agent"),
        Role::Marathon => ("mesosphere/marathon:v1.11.24", "/var/lib/marathon"),
    };
    Container {
        image: image.to_owned(),
        network: Network::Host,
        work_dir: work_dir.to_owned(),
        log_dir: None,
    }
}

fn control_host(n: u8) -> Host {
    let name = format!("master-0{n}");
    let address = ip(0, 10 + n);
    let zookeeper = ZkServer {
        service: service(2181, "/usr/bin/java"),
        id: u32::from(n),
        peer_port: 2888,
        election_port: 3888,
        admin_port: None,
        config: settings(&[
            ("admin.enableServer", "false"),
            ("clientPort", "2181"),
            ("dataDir", "/var/lib/zookeeper"),
            ("initLimit", "10"),
            ("syncLimit", "5"),
            ("tickTime", "2000"),
        ]),
        jvm_properties: settings(&[
            ("jute.maxbuffer", "4194304"),
            ("zookeeper.snapCount", "100000"),
        ]),
    };
    let leader = Leader {
        service: service(5050, "/usr/sbin/mesos-master"),
        flags: settings(&[
            ("authenticate_agents", "true"),
            ("authenticate_frameworks", "true"),
            ("cluster", "thegrid"),
            ("credentials", MASTER_CREDENTIALS),
            ("ip", &address.to_string()),
            ("logging_level", "WARNING"),
            ("offer_timeout", "30secs"),
            ("port", "5050"),
            ("quorum", "2"),
            ("work_dir", "/var/lib/mesos"),
            ("zk", MESOS_ZK),
        ]),
        secrets: vec![
            "/etc/mesos/secrets/follower".to_owned(),
            "/etc/mesos/secrets/marathon".to_owned(),
        ],
    };
    let marathon = Marathon {
        service: service(8080, "/usr/bin/marathon"),
        flags: settings(&[
            ("hostname", &address.to_string()),
            ("http_port", "8080"),
            ("master", MESOS_ZK),
            ("mesos_authentication", ""),
            ("mesos_authentication_principal", "marathon"),
            (
                "mesos_authentication_secret_file",
                "/etc/mesos/secrets/marathon",
            ),
            ("zk", MARATHON_ZK),
        ]),
        secrets: vec!["/etc/mesos/secrets/marathon".to_owned()],
        secret_env: Vec::new(),
    };
    Host {
        name,
        span: Span::new(u32::from(n) * 100, u32::from(n) * 100 + 9),
        address,
        fleet_metadata: BTreeMap::new(),
        zookeeper: Some(Box::new(zookeeper)),
        leader: Some(Box::new(leader)),
        follower: None,
        marathon: Some(Box::new(marathon)),
        services: vec!["logstash-forwarder".to_owned()],
        coreos: None,
    }
}

fn agent_host(n: u8) -> Host {
    let follower = Follower {
        service: service(5051, "/usr/sbin/mesos-agent"),
        flags: settings(&[
            ("attributes", &format!("rack:r{n}")),
            ("containerizers", "mesos,docker"),
            ("credential", AGENT_CREDENTIAL),
            ("ip", &ip(1, n).to_string()),
            ("master", MESOS_ZK),
            ("port", "5051"),
            ("resources", "cpus:8;mem:16384;ports:[31000-32000]"),
            ("work_dir", "/var/lib/mesos-agent"),
        ]),
        offered_ports: vec![(31000, 32000)],
        secrets: vec!["/etc/mesos/secrets/follower".to_owned()],
        owca: None,
    };
    Host {
        name: format!("agent-{n}"),
        span: Span::new(1000 + u32::from(n) * 100, 1000 + u32::from(n) * 100 + 7),
        address: ip(1, n),
        fleet_metadata: BTreeMap::new(),
        zookeeper: None,
        leader: None,
        follower: Some(Box::new(follower)),
        marathon: None,
        services: vec!["logstash-forwarder".to_owned()],
        coreos: None,
    }
}

/// An extra service on `hosts`, after `after` (spans made up from `at`).
pub(crate) fn extra(name: &str, hosts: &[&str], after: &[&str], at: u32) -> ExtraService {
    ExtraService {
        name: name.to_owned(),
        span: Span::new(at, at + name.len() as u32),
        hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
        after: after
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let start = at + 20 + 20 * i as u32;
                ((*a).to_owned(), Span::new(start, start + a.len() as u32))
            })
            .collect(),
        exec: format!("/opt/{name}/bin/{name} -config /etc/{name}.json"),
        description: format!("{name} log shipper"),
        ports: vec![5043],
    }
}

/// The sample cluster `thegrid`.
pub(crate) fn sample_cluster() -> Cluster {
    let mut hosts: Vec<Host> = (1..=3)
        .map(control_host)
        .chain((1..=2).map(agent_host))
        .collect();
    hosts.sort_by(|a, b| a.name.cmp(&b.name));
    let servers = (1..=3u8)
        .map(|n| ZkMember {
            host: format!("master-0{n}"),
            address: ip(0, 10 + n),
            id: u32::from(n),
            client_port: 2181,
            peer_port: 2888,
            election_port: 3888,
            observer: false,
        })
        .collect();
    let all: Vec<&str> = vec!["agent-1", "agent-2", "master-01", "master-02", "master-03"];
    Cluster {
        name: "thegrid".to_owned(),
        source: "thegrid.mcl".to_owned(),
        versions: Versions {
            mesos: Version::new(1, 11, 0),
            marathon: Version::new(1, 11, 0),
            zookeeper: Version::new(3, 9, 5),
        },
        outputs: Outputs {
            systemd: true,
            fleet: false,
            cloud_config: None,
        },
        environment: None,
        hosts,
        zookeeper: Zookeeper::Managed { servers },
        mesos_zk: MESOS_ZK.to_owned(),
        marathon_zk: MARATHON_ZK.to_owned(),
        auth: Auth {
            frameworks: true,
            followers: true,
            credentials: BTreeMap::from([(
                "marathon".to_owned(),
                "/etc/mesos/secrets/marathon".to_owned(),
            )]),
            follower_principal: Some("follower".to_owned()),
            follower_secret: Some("/etc/mesos/secrets/follower".to_owned()),
            zookeeper: None,
        },
        services: vec![extra("logstash-forwarder", &all, &["mesos-master"], 5000)],
        etcd: None,
    }
}
