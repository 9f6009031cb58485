//! What a service's run mode carries (issue 16: a model that cannot carry
//! what does not apply): `Run::Native { command }` or `Run::Docker(Container
//! { image, network, work_dir, log_dir })`, read from what the user wrote,
//! and what the generated files make of it.

mod support;

use mesosc::model::{Network, Role, Run};
use support::{Build, build_text};

/// One host with every role; `blocks` are top-level role blocks.
fn cluster(blocks: &str) -> Build {
    let text = format!(
        r#"cluster "r" {{ mesos = "1.11.0" }}
host "m1" {{ address = "10.0.0.1"  roles = [zookeeper, leader, follower, marathon] }}
{blocks}
"#
    );
    build_text("r", &text).unwrap_or_else(|e| panic!("does not compile:\n{}", e.join("\n")))
}

const UNITS: &str = "hosts/m1/etc/systemd/system/";

#[test]
fn a_container_on_the_host_network_written_explicitly_stays_there() {
    let build = cluster(
        r#"leader { runtime = docker  image = "mesos/mesos-master:1.11.0"  network = host }"#,
    );
    let host = &build.model.hosts[0];
    let service = host.service(Role::Leader).expect("leader");
    let Run::Docker(c) = &service.run else {
        panic!("docker: {:?}", service.run)
    };
    assert_eq!(c.network, Network::Host);
    assert_eq!(c.image, "mesos/mesos-master:1.11.0");
    assert!(!service.bridged());
    let unit = build.text(&format!("{UNITS}mesos-master.service"));
    assert!(unit.contains("--net=host"), "{unit}");
    assert!(!unit.contains("--net=bridge"), "{unit}");
}

#[test]
fn a_bridged_container_binds_every_address() {
    let build = cluster(
        r#"leader { runtime = docker  image = "mesos/mesos-master:1.11.0"  network = bridge }"#,
    );
    let service = build.model.hosts[0].service(Role::Leader).expect("leader");
    assert!(service.bridged());
    let unit = build.text(&format!("{UNITS}mesos-master.service"));
    assert!(unit.contains("--net=bridge"), "{unit}");
    let env = build.text("hosts/m1/etc/mesos/master.env");
    assert!(env.contains("MESOS_IP=0.0.0.0"), "{env}");
}

#[test]
fn native_services_carry_their_binary_and_mesos_its_log_folder() {
    let build = cluster(
        r#"leader { log_dir = "/var/log/mesos-m"  command = "/opt/mesos/sbin/mesos-master" }"#,
    );
    let host = &build.model.hosts[0];
    let leader = host.leader.as_ref().expect("leader");
    assert_eq!(
        leader.service.run,
        Run::Native {
            command: "/opt/mesos/sbin/mesos-master".into()
        }
    );
    assert_eq!(
        leader.flags.get("log_dir").map(|s| s.value.as_str()),
        Some("/var/log/mesos-m")
    );
    let env = build.text("hosts/m1/etc/mesos/master.env");
    assert!(env.contains("MESOS_LOG_DIR=/var/log/mesos-m"), "{env}");
    let unit = build.text(&format!("{UNITS}mesos-master.service"));
    assert!(unit.contains("/opt/mesos/sbin/mesos-master"), "{unit}");
    // Marathon's default launcher, from the schema's role defaults.
    let marathon = host.service(Role::Marathon).expect("marathon");
    assert_eq!(
        marathon.run,
        Run::Native {
            command: Role::Marathon
                .default_command(&build.model.versions.mesos)
                .into()
        }
    );
}

#[test]
fn tls_is_read_for_libprocess_programs() {
    // ZooKeeper has no `tls` key (the schema refuses it); the others do.
    let build = cluster(
        r#"leader { tls { cert = file("/etc/tls/c.pem")  key = file("/etc/tls/k.pem") } }"#,
    );
    let host = &build.model.hosts[0];
    assert!(host.service(Role::Leader).expect("leader").tls.is_some());
    assert!(host.service(Role::Zookeeper).expect("zk").tls.is_none());
    let env = build.text("hosts/m1/etc/mesos/master.env");
    assert!(env.contains("LIBPROCESS_SSL_ENABLED=true"), "{env}");
}

#[test]
fn zookeepers_own_port_key_is_client_port() {
    let build = cluster("zookeeper { client_port = 2182 }");
    let zk = build.model.hosts[0].zookeeper.as_ref().expect("zk");
    assert_eq!(zk.service.port, 2182);
    assert_eq!(
        zk.config.get("clientPort").map(|s| s.value.as_str()),
        Some("2182")
    );
}
