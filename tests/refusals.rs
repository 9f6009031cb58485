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
