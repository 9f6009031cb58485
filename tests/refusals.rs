//! Issue 17, "Wrongly refused or wrongly explained": descriptions that real
//! clusters use and mesosc refused, and reports whose advice was wrong. Each
//! test names the upstream source that decides it.

mod support;

use support::build_text;

/// Every rendered diagnostic (errors and warnings) of `text`.
fn report(text: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("c.mcl");
    std::fs::write(&input, text).expect("write");
    let checked = mesosc::check_path(
        &input,
        &mesosc::files::DiskFiles,
        &|_| None,
        &Default::default(),
    )
    .expect("readable");
    let rendered: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| mesosc::diagnostic::render(d, &checked.sources, 400, false))
        .collect();
    rendered.join("\n")
}

const MASTERS: &str = r#"cluster "c" { mesos = "1.11.0" }
for n in 1..3 { host "m${n}" { address = "10.0.0.${n}"  roles = [zookeeper, leader] } }
"#;

// MarathonConf.scala (v1.5.0 on) and CORSFilter.scala (v0.15.0 to v1.4.x)
// split the origins on `,` and trim each: Marathon's own documented example
// is "http://localhost:8888, http://domain.com".
#[test]
fn cors_origins_may_be_written_with_spaces() {
    let text = format!(
        r#"{MASTERS}
host "w" {{ address = "10.0.1.1"  roles = [follower, marathon]
  marathon {{ flags {{ access_control_allow_origin = "http://a, http://b" }} }}
}}"#
    );
    let build = build_text("c", &text).unwrap_or_else(|e| panic!("{e:?}"));
    let env = &build.files["hosts/w/etc/marathon/marathon.env"].content;
    assert!(
        env.contains("MARATHON_ACCESS_CONTROL_ALLOW_ORIGIN=") && env.contains("http://a, http://b"),
        "{env}"
    );
}

// HttpConf.scala (v1.10.26): `ssl_keystore_password` defaults to the
// MESOSPHERE_KEYSTORE_PASS variable, so a keystore path alone is valid.
#[test]
fn a_marathon_keystore_path_alone_is_valid() {
    let text = format!(
        r#"{MASTERS}
host "w" {{ address = "10.0.1.1"  roles = [follower, marathon]
  marathon {{ flags {{ ssl_keystore_path = "/etc/marathon/ks.jks"  https_port = 8443 }} }}
}}"#
    );
    let build = build_text("c", &text).unwrap_or_else(|e| panic!("{e:?}"));
    let env = &build.files["hosts/w/etc/marathon/marathon.env"].content;
    assert!(env.contains("MARATHON_SSL_KEYSTORE_PATH="), "{env}");
}

// ZooKeeper's PathUtils.validatePath: "relative paths not allowed".
#[test]
fn a_chroot_with_relative_segments_is_refused() {
    for chroot in ["/mesos/../other", "/./mesos", "/mesos/."] {
        let text = format!("{MASTERS}zookeeper {{ chroot = \"{chroot}\" }}\n");
        let errors = build_text("c", &text).err().expect("refused");
        assert!(
            errors.iter().any(|e| e.contains("absolute znode path")),
            "{chroot}: {errors:?}"
        );
    }
    let fine = format!("{MASTERS}zookeeper {{ chroot = \"/mesos/..x/.y\" }}\n");
    assert!(build_text("c", &fine).is_ok());
}

// An external ensemble: a repeated server is an error, an even count the
// same warning as a managed ensemble's.
#[test]
fn external_ensembles_are_checked_like_managed_ones() {
    let hosts = |list: &str| {
        format!(
            r#"cluster "c" {{ mesos = "1.11.0" }}
zookeeper {{ hosts = [{list}] }}
for n in 1..3 {{ host "m${{n}}" {{ address = "10.0.0.${{n}}"  roles = [leader] }} }}
"#
        )
    };
    let even = report(&hosts(r#""zk1:2181", "zk2:2181""#));
    assert!(even.contains("mcl::check::even_quorum"), "{even}");
    assert!(even.contains("2 external ZooKeeper servers"), "{even}");
    let odd = report(&hosts(r#""zk1:2181", "zk2:2181", "zk3:2181""#));
    assert!(!odd.contains("even_quorum"), "{odd}");
    let twice = build_text("c", &hosts(r#""zk1:2181", "zk2:2181", "zk1:2181""#))
        .err()
        .expect("refused");
    assert!(
        twice
            .iter()
            .any(|e| e.starts_with("mcl::check::duplicate_zookeeper_host")),
        "{twice:?}"
    );
}

// The release tags of apache/mesos and mesosphere/marathon
// (data/releases.tsv): a version no tag has is an error naming the nearest.
#[test]
fn versions_that_were_never_released_are_refused() {
    let text = MASTERS.replace("\"1.11.0\"", "\"1.11.1\"  marathon = \"1.2.0\"");
    let all = report(&text);
    assert!(all.contains("Mesos 1.11.1 was never released"), "{all}");
    assert!(all.contains("the nearest release is `\"1.11.0\"`"), "{all}");
    assert!(all.contains("Marathon 1.2.0 was never released"), "{all}");
    assert!(
        build_text(
            "c",
            &MASTERS.replace("1.11.0", "0.28.2\" marathon = \"1.1.1")
        )
        .is_ok()
    );
}

// A port clash's help never asks to set the key that causes it: an explicit
// `admin_port = 8080` is to be changed, not "set" as if it were the default.
#[test]
fn a_port_clash_names_the_key_to_change() {
    let text = format!(
        r#"{MASTERS}
host "w" {{ address = "10.0.1.1"  roles = [zookeeper, marathon]  zookeeper {{ admin_port = 8080 }} }}"#
    );
    let all = report(&text);
    assert!(all.contains("mcl::check::port_conflict"), "{all}");
    assert!(!all.contains("set `admin_port`"), "{all}");
    assert!(all.contains("change `admin_port` (now 8080)"), "{all}");
    assert!(all.contains("set `port` in the `marathon` block"), "{all}");
    // ZooKeeper's AdminServer turned on in `settings` listens on 8080: set
    // `admin_port` then.
    let default = format!(
        r#"{MASTERS}
host "w" {{ address = "10.0.1.1"  roles = [zookeeper, marathon]
  zookeeper {{ settings {{ "admin.enableServer" = true }} }} }}"#
    );
    let all = report(&default);
    assert!(
        all.contains("set `admin_port` in the `zookeeper` block"),
        "{all}"
    );
}

// Mesos' getting-started guide runs one master without ZooKeeper:
// src/master/main.cpp (1.11.0) takes the standalone contender and detector
// and a local replicated log when `--zk` is unset (no `--quorum`), and the
// agent's `--master` takes `host:port` (src/slave/flags.cpp). Marathon has no
// such mode (`--zk`, ZookeeperConf.scala).
#[test]
fn a_single_master_runs_standalone_but_marathon_needs_zookeeper() {
    let text = r#"cluster "c" { mesos = "1.11.0" }
host "m" { address = "10.0.0.1"  roles = [leader]  leader { port = 5051 } }
host "a" { address = "10.0.0.2"  roles = [follower] }
"#;
    let all = report(text);
    assert!(all.contains("mcl::check::standalone_master"), "{all}");
    let build = build_text("c", text).unwrap_or_else(|e| panic!("{e:?}"));
    let master = &build.files["hosts/m/etc/mesos/master.env"].content;
    assert!(!master.contains("MESOS_ZK="), "{master}");
    assert!(!master.contains("MESOS_QUORUM="), "{master}");
    let agent = &build.files["hosts/a/etc/mesos/agent.env"].content;
    assert!(agent.contains("MESOS_MASTER=10.0.0.1:5051\n"), "{agent}");
    let with_marathon = text.replace("roles = [leader]", "roles = [leader, marathon]");
    let errors = build_text("c", &with_marathon).err().expect("refused");
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("mcl::check::marathon_without_zookeeper")),
        "{errors:?}"
    );
    // Three leaders without ZooKeeper cannot elect one.
    let three = r#"cluster "c" { mesos = "1.11.0" }
for n in 1..3 { host "m${n}" { address = "10.0.0.${n}"  roles = [leader] } }
"#;
    let errors = build_text("c", three).err().expect("refused");
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("mcl::check::no_zookeeper")),
        "{errors:?}"
    );
}

// Real clusters advertise DNS names: `--hostname` of mesos-master and
// mesos-agent (src/master/flags.cpp, src/slave/flags.cpp) and Marathon's
// `--hostname` (MarathonConf.scala) all come from the host's `hostname`.
// Marathon's stays derived (standbys proxy to the leader by it); a Mesos
// flag that disagrees with the host's name is an error.
#[test]
fn a_host_name_feeds_every_program_on_the_host() {
    let text = format!(
        r#"{MASTERS}
host "w" {{ address = "10.0.1.1"  hostname = "w.example.com"  roles = [follower, marathon] }}"#
    )
    .replace(
        r#"host "m${n}" { address = "10.0.0.${n}""#,
        r#"host "m${n}" { address = "10.0.0.${n}"  hostname = "m${n}.example.com""#,
    );
    let build = build_text("c", &text).unwrap_or_else(|e| panic!("{e:?}"));
    let env = |p: &str| build.files[p].content.clone();
    assert!(env("hosts/m2/etc/mesos/master.env").contains("MESOS_HOSTNAME=m2.example.com\n"));
    assert!(env("hosts/w/etc/mesos/agent.env").contains("MESOS_HOSTNAME=w.example.com\n"));
    let marathon = env("hosts/w/etc/marathon/marathon.env");
    assert!(
        marathon.contains("MARATHON_HOSTNAME=w.example.com\n"),
        "{marathon}"
    );
    // Without a name, Marathon keeps the address and Mesos its default.
    let plain = build_text(
        "c",
        &format!("{MASTERS}host \"w\" {{ address = \"10.0.1.1\"  roles = [follower, marathon] }}"),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let m = &plain.files["hosts/w/etc/marathon/marathon.env"].content;
    assert!(m.contains("MARATHON_HOSTNAME=10.0.1.1\n"), "{m}");
    assert!(
        !plain.files["hosts/w/etc/mesos/agent.env"]
            .content
            .contains("MESOS_HOSTNAME")
    );
    // Two names for one host are refused; Marathon's flag points at `hostname`.
    let twice = format!(
        r#"{MASTERS}
host "w" {{ address = "10.0.1.1"  hostname = "w.example.com"  roles = [follower]
  follower {{ flags {{ hostname = "other.example.com" }} }} }}"#
    );
    let errors = build_text("c", &twice).err().expect("refused");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`hostname` is given twice")),
        "{errors:?}"
    );
    let marathon_flag = format!(
        r#"{MASTERS}
host "w" {{ address = "10.0.1.1"  roles = [follower, marathon]
  marathon {{ flags {{ hostname = "w.example.com" }} }} }}"#
    );
    let all = report(&marathon_flag);
    assert!(all.contains("hostname = \"m1.example.com\""), "{all}");
    let bad = format!(
        "{MASTERS}host \"w\" {{ address = \"10.0.1.1\"  hostname = \"w_1.example.com\"  roles = [follower] }}"
    );
    assert!(report(&bad).contains("is not a DNS name"));
}
