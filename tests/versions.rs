//! Issue 17: output as Mesos, Marathon and ZooKeeper behave at the declared
//! version. One test per finding, on the generated files' content; each
//! names the upstream source that decides it (also in `src/versions.rs` and
//! `docs/src/reference/versions.md`).

mod support;

use support::{Build, build_text};

/// A small cluster on `mesos` (and `marathon`, when given) with auth on.
fn cluster(mesos: &str, marathon: Option<&str>, extra: &str) -> Build {
    let marathon = marathon
        .map(|v| format!("marathon = \"{v}\""))
        .unwrap_or_default();
    let text = format!(
        r#"cluster "v" {{
  mesos = "{mesos}"
  {marathon}
}}
host "m1" {{ address = "10.0.0.1"  roles = [zookeeper, leader, marathon] }}
host "a1" {{ address = "10.0.1.1"  roles = [follower] }}
auth {{
  frameworks = true
  followers  = true
  credential "marathon" {{ secret = file("/etc/mesos/secrets/marathon") }}
  follower_principal = "follower"
  follower_secret    = file("/etc/mesos/secrets/follower")
}}
{extra}
"#
    );
    build_text("v", &text).unwrap_or_else(|e| panic!("does not compile:\n{}", e.join("\n")))
}

fn lines<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.starts_with(prefix)).collect()
}

const MASTER_ENV: &str = "hosts/m1/etc/mesos/master.env";
const MASTER_UNIT: &str = "hosts/m1/etc/systemd/system/mesos-master.service";
const AGENT_UNIT: &str = "hosts/a1/etc/systemd/system/mesos-agent.service";
const MARATHON_ENV: &str = "hosts/m1/etc/marathon/marathon.env";

// Finding 1: src/credentials/credentials.hpp at 1.11.0 parses only JSON; at
// 0.19.0 only `principal secret` lines (JSON since 0.20.0).
#[test]
fn credentials_are_json_since_0_20_and_text_before() {
    let json = cluster("1.11.0", None, "");
    let unit = json.text(MASTER_UNIT);
    assert!(unit.contains(r#"{\"credentials\":["#), "{unit}");
    assert!(
        json.text(AGENT_UNIT)
            .contains(r#"{\"principal\":\"follower\""#)
    );
    let text = cluster("0.19.1", None, "");
    let unit = text.text(MASTER_UNIT);
    assert!(!unit.contains("credentials\\\":["), "{unit}");
    assert!(unit.contains("printf '%%s %%s\\\\n' follower"), "{unit}");
}

// Finding 2: src/master/flags.cpp at 0.28.0 has `--authenticate` and
// `--authenticate_slaves`; `--authenticate_frameworks` comes in 1.0.0, and
// Mesos drops unknown MESOS_* variables.
#[test]
fn framework_authentication_below_1_0_is_authenticate() {
    let old = cluster("0.28.2", Some("1.1.1"), "");
    let env = old.text(MASTER_ENV);
    assert_eq!(
        lines(env, "MESOS_AUTHENTICATE"),
        ["MESOS_AUTHENTICATE=true", "MESOS_AUTHENTICATE_SLAVES=true"]
    );
    let new = cluster("1.0.0", None, "");
    let env = new.text(MASTER_ENV);
    assert_eq!(
        lines(env, "MESOS_AUTHENTICATE"),
        [
            "MESOS_AUTHENTICATE_AGENTS=true",
            "MESOS_AUTHENTICATE_FRAMEWORKS=true"
        ]
    );
}

// Finding 3: MarathonConf.scala at v1.1.1 has no `mesos_authentication`
// toggle (added in v1.3.0); Scallop rejects it, and MarathonSchedulerDriver
// authenticates when the principal and secret file are set.
#[test]
fn marathon_below_1_3_gets_no_authentication_toggle() {
    let old = cluster("1.0.0", Some("1.1.1"), "");
    let env = old.text(MARATHON_ENV);
    assert!(
        lines(env, "MARATHON_MESOS_AUTHENTICATION=").is_empty(),
        "{env}"
    );
    assert_eq!(
        lines(env, "MARATHON_MESOS_AUTHENTICATION_"),
        [
            "MARATHON_MESOS_AUTHENTICATION_PRINCIPAL=marathon",
            "MARATHON_MESOS_AUTHENTICATION_SECRET_FILE=/etc/mesos/secrets/marathon"
        ]
    );
    let new = cluster("1.11.0", Some("1.3.0"), "");
    assert_eq!(
        lines(new.text(MARATHON_ENV), "MARATHON_MESOS_AUTHENTICATION="),
        ["MARATHON_MESOS_AUTHENTICATION="]
    );
}

// Finding 4: src/Makefile.am at 0.28.0 builds only `mesos-slave`;
// `mesos-agent` first ships in 1.0.0. The unit and env file keep their names.
#[test]
fn agents_below_1_0_run_mesos_slave_under_the_same_unit_name() {
    let old = cluster("0.28.2", Some("1.1.1"), "");
    let unit = old.text(AGENT_UNIT);
    assert_eq!(
        lines(unit, "ExecStart="),
        ["ExecStart=/usr/sbin/mesos-slave"]
    );
    assert!(old.files.contains_key("hosts/a1/etc/mesos/agent.env"));
    let new = cluster("1.0.0", None, "");
    assert_eq!(
        lines(new.text(AGENT_UNIT), "ExecStart="),
        ["ExecStart=/usr/sbin/mesos-agent"]
    );
}

// Finding 14: before 0.25.0 (src/linux/systemd.cpp is new in 0.25.0)
// executors live in the agent's cgroup; docs/slave-recovery.md at 0.24.0
// asks for KillMode=process.
#[test]
fn agents_below_0_25_keep_their_executors_on_restart() {
    let old = cluster("0.24.1", Some("0.7.4"), "");
    let unit = old.text(AGENT_UNIT);
    assert_eq!(lines(unit, "KillMode="), ["KillMode=process"]);
    assert!(unit.contains("docs/slave-recovery.md at 0.24.0"), "{unit}");
    let new = cluster("0.25.0", None, "");
    let unit = new.text(AGENT_UNIT);
    assert_eq!(lines(unit, "KillMode="), ["KillMode=control-group"]);
}

/// The `server.N=` lines of a zoo.cfg, in file order.
fn servers(build: &Build, host: &str) -> Vec<String> {
    let cfg = build.text(&format!("hosts/{host}/etc/zookeeper/zoo.cfg"));
    lines(cfg, "server.")
        .iter()
        .map(|l| l.to_string())
        .collect()
}

// Finding 5 (and issue 23, item 10): implicit ids come from the sorted host
// names, skipping explicit ones, so reordering the host blocks changes
// nothing; an explicit id is kept.
#[test]
fn zookeeper_ids_do_not_depend_on_the_order_of_host_blocks() {
    let hosts = [
        r#"host "zk-b" { address = "10.0.0.2"  roles = [zookeeper, leader] }"#,
        r#"host "zk-c" { address = "10.0.0.3"  roles = [zookeeper, leader]  zookeeper { id = 1 } }"#,
        r#"host "zk-a" { address = "10.0.0.1"  roles = [zookeeper, leader] }"#,
        r#"host "w" { address = "10.0.1.1"  roles = [follower] }"#,
    ];
    let source = |order: &[usize]| {
        let body: Vec<&str> = order.iter().map(|i| hosts[*i]).collect();
        format!(
            "cluster \"z\" {{ mesos = \"1.11.0\" }}\n{}\n",
            body.join("\n")
        )
    };
    let one = build_text("z", &source(&[0, 1, 2, 3])).expect("compiles");
    let other = build_text("z", &source(&[3, 2, 1, 0])).expect("compiles");
    let differ: Vec<&String> = one
        .files
        .iter()
        .filter(|(path, e)| *path != "manifest.json" && other.files.get(*path) != Some(e))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differ.is_empty(),
        "the order of host blocks changed {differ:?}"
    );
    assert_eq!(
        servers(&one, "zk-a"),
        [
            "server.1=10.0.0.3:2888:3888",
            "server.2=10.0.0.1:2888:3888",
            "server.3=10.0.0.2:2888:3888"
        ]
    );
    let myid = |host: &str| {
        one.text(&format!("hosts/{host}/var/lib/zookeeper/myid"))
            .trim()
            .to_owned()
    };
    assert_eq!([myid("zk-a"), myid("zk-b"), myid("zk-c")], ["2", "3", "1"]);
}

// Finding 13: Marathon's README (v1.10.26) requires LIBPROCESS_IP; without
// it libprocess binds what the host name resolves to (127.0.1.1 on Debian).
#[test]
fn marathon_binds_libprocess_to_the_host_address() {
    let native = cluster("1.11.0", None, "");
    assert_eq!(
        lines(native.text(MARATHON_ENV), "LIBPROCESS_"),
        ["LIBPROCESS_IP=10.0.0.1"]
    );
    let bridged = cluster(
        "1.11.0",
        None,
        r#"marathon { runtime = docker  image = "marathon"  network = bridge }"#,
    );
    let env = bridged.text(MARATHON_ENV);
    assert!(env.contains("\nLIBPROCESS_IP=0.0.0.0\n"), "{env}");
    assert!(
        env.contains("\nLIBPROCESS_ADVERTISE_IP=10.0.0.1\n"),
        "{env}"
    );
}

// Finding 15: QuorumPeerConfig.java (release-3.9.3) takes the role from the
// server list when it disagrees with `peerType` ("Defaulting to servers
// list"), so an observer needs `:observer` on its line in every zoo.cfg; and
// observers do not vote, so 3 voters and 1 observer are not an even ensemble.
#[test]
fn observers_are_marked_in_every_server_list() {
    let text = r#"cluster "o" { mesos = "1.11.0" }
for n in 1..3 { host "z${n}" { address = "10.0.0.${n}"  roles = [zookeeper, leader] } }
host "z4" { address = "10.0.0.4"  roles = [zookeeper]  zookeeper { settings { peerType = "observer" } } }
host "a" { address = "10.0.1.1"  roles = [follower] }
"#;
    let build = build_text("o", text).expect("compiles");
    for host in ["z1", "z4"] {
        assert_eq!(
            servers(&build, host),
            [
                "server.1=10.0.0.1:2888:3888",
                "server.2=10.0.0.2:2888:3888",
                "server.3=10.0.0.3:2888:3888",
                "server.4=10.0.0.4:2888:3888:observer"
            ]
        );
    }
    let codes = support::diagnostic_codes(text);
    assert!(
        !codes.iter().any(|c| c.ends_with("even_quorum")),
        "{codes:?}"
    );
    let voters_even = text.replace(r#"settings { peerType = "observer" }"#, "");
    let codes = support::diagnostic_codes(&voters_even);
    assert!(
        codes.iter().any(|c| c.ends_with("even_quorum")),
        "{codes:?}"
    );
}

// Finding 16: ZooKeeper's autopurge is off by default (purgeInterval 0 in
// QuorumPeerConfig.java); the admin guide asks for it. On by default,
// overridable in `settings { }`.
#[test]
fn zookeeper_purges_old_snapshots_by_default() {
    let build = cluster("1.11.0", None, "");
    let cfg = build.text("hosts/m1/etc/zookeeper/zoo.cfg");
    assert_eq!(
        lines(cfg, "autopurge."),
        ["autopurge.purgeInterval=24", "autopurge.snapRetainCount=3"]
    );
    let build = cluster(
        "1.11.0",
        None,
        "zookeeper { settings { autopurge.purgeInterval = 6 } }",
    );
    let cfg = build.text("hosts/m1/etc/zookeeper/zoo.cfg");
    assert_eq!(
        lines(cfg, "autopurge."),
        ["autopurge.purgeInterval=6", "autopurge.snapRetainCount=3"]
    );
}

// Finding 9: LibMesos.scala's MesosMasterMinimumVersion is 1.1.0 from
// Marathon v1.4.0 and 1.5.0 from v1.7.37; MarathonScheduler.scala exits on
// an older master. The default Marathon is the newest that runs on the
// declared Mesos; a declared pair that cannot run is
// mcl::check::incompatible_versions (tests/errors/check/).
#[test]
fn the_default_marathon_runs_on_the_declared_mesos() {
    let on = |mesos: &str| cluster(mesos, None, "").model.versions.marathon.to_string();
    assert_eq!(on("1.0.0"), "1.3.14");
    assert_eq!(on("1.4.3"), "1.6.590");
    assert_eq!(on("1.5.0"), "1.11.0");
    let text = r#"cluster "c" { mesos = "1.4.0"  marathon = "1.7.37" }
host "m" { address = "10.0.0.1"  roles = [zookeeper, leader, marathon] }
"#;
    let errors = build_text("c", text).err().expect("refused");
    assert!(
        errors[0].starts_with("mcl::check::incompatible_versions"),
        "{errors:?}"
    );
}

// Wrongly refused: any strict majority is a valid quorum (3 of 3 during the
// operational guide's quorum change), and it is what the masters get.
#[test]
fn a_quorum_may_be_any_strict_majority() {
    let text = |q: u32| {
        format!(
            r#"cluster "q" {{ mesos = "1.11.0" }}
for n in 1..3 {{ host "m${{n}}" {{ address = "10.0.0.${{n}}"  roles = [zookeeper, leader] }} }}
host "a" {{ address = "10.0.1.1"  roles = [follower] }}
leader {{ quorum = {q} }}
"#
        )
    };
    let build = build_text("q", &text(3)).expect("3 of 3 is a majority");
    let env = build.text("hosts/m1/etc/mesos/master.env");
    assert_eq!(lines(env, "MESOS_QUORUM="), ["MESOS_QUORUM=3"]);
    for q in [1, 4] {
        let errors = build_text("q", &text(q)).err().expect("refused");
        assert!(
            errors[0].starts_with("mcl::check::quorum_not_majority"),
            "{errors:?}"
        );
    }
}

// Finding 8: libprocess takes only an IPv4 --ip (3rdparty/libprocess/src/
// process.cpp at 1.11.0: "Currently we allow only IPv4 address").
#[test]
fn mesos_on_ipv6_is_refused() {
    let text = r#"cluster "c" { mesos = "1.11.0" }
host "m" { address = "fd00::1"  roles = [zookeeper, leader] }
"#;
    let errors = build_text("c", text).err().expect("refused");
    assert!(
        errors[0].starts_with("mcl::check::ipv6_address"),
        "{errors:?}"
    );
}

// Finding 6: libprocess binds LIBPROCESS_PORT, random when unset
// (3rdparty/libprocess/src/process.cpp), never the advertised port. A
// bridged Marathon gets a fixed one (15101 unless set), published on the
// host's address and advertised; its HTTP port is published beside it, never
// the same host port twice. A master's libprocess port is `--port`
// (src/master/main.cpp), so `libprocess_port` there has no effect.
#[test]
fn a_bridged_marathon_publishes_and_advertises_a_fixed_libprocess_port() {
    let build = cluster(
        "1.11.0",
        None,
        r#"marathon { runtime = docker  image = "marathon"  network = bridge }"#,
    );
    let env = build.text(MARATHON_ENV);
    for line in [
        "LIBPROCESS_ADVERTISE_IP=10.0.0.1",
        "LIBPROCESS_ADVERTISE_PORT=15101",
        "LIBPROCESS_PORT=15101",
    ] {
        assert!(env.lines().any(|l| l == line), "{line} in {env}");
    }
    let unit = build.text("hosts/m1/etc/systemd/system/marathon.service");
    assert!(unit.contains("-p 10.0.0.1:8080:8080"), "{unit}");
    assert!(unit.contains("-p 10.0.0.1:15101:15101"), "{unit}");
    let native = cluster(
        "1.11.0",
        None,
        "marathon { advertise { libprocess_port = 9100 } }",
    );
    assert!(
        native
            .text(MARATHON_ENV)
            .lines()
            .any(|l| l == "LIBPROCESS_PORT=9100"),
        "a native Marathon gets its libprocess port too"
    );
    let codes = support::diagnostic_codes(
        r#"cluster "c" { mesos = "1.11.0" }
host "m" { address = "10.0.0.1"  roles = [zookeeper, leader] }
leader { advertise { libprocess_port = 9100 } }
"#,
    );
    assert!(
        codes.iter().any(|c| c == "mcl::check::no_effect"),
        "{codes:?}"
    );
}

// Finding 11 (first half): the official zookeeper image's
// docker-entrypoint.sh chowns only $ZOO_DATA_DIR, $ZOO_DATA_LOG_DIR and
// $ZOO_LOG_DIR; a dataLogDir it is not told about stays root's.
#[test]
fn a_docker_zookeeper_is_told_its_data_log_dir() {
    let build = cluster(
        "1.11.0",
        None,
        r#"zookeeper { runtime = docker  image = "zookeeper:3.8"  settings { dataLogDir = "/var/lib/zookeeper-log" } }"#,
    );
    let unit = build.text("hosts/m1/etc/systemd/system/zookeeper.service");
    assert!(
        unit.contains("-e ZOO_DATA_LOG_DIR=/var/lib/zookeeper-log"),
        "{unit}"
    );
    assert!(
        unit.contains("-v /var/lib/zookeeper-log:/var/lib/zookeeper-log"),
        "{unit}"
    );
}

// Finding 11 (second half): files named in flags reach the container,
// read-only at the same path. Which flags name files is a fact of the flag
// tables (`[reads]`, from each program's documentation of the flag); for
// Mesos any `file://` value is read by stout's flags/fetch.hpp (1.11.0).
#[test]
fn files_named_in_flags_are_mounted_read_only() {
    let build = cluster(
        "1.11.0",
        None,
        r#"zookeeper { runtime = docker  image = "zookeeper:3.8"  settings { "ssl.keyStore.location" = "/etc/zookeeper/ks.jks" } }
leader { runtime = docker  image = "mesos/mesos-master:1.11.0"
  flags { whitelist = "/etc/mesos/whitelist"  acls = "file:///etc/mesos/acls.json" } }
follower { runtime = docker  image = "mesos/mesos-agent:1.11.0"
  flags { http_credentials = "/etc/mesos/http.json"  modules_dir = "/etc/mesos/modules"  docker_config = "file:///etc/mesos/docker.json" } }
marathon { runtime = docker  image = "mesosphere/marathon:v1.10.26"  flags { ssl_keystore_path = "/etc/marathon/ks.jks" } }"#,
    );
    let ro = |unit: &str, path: &str| {
        let text = build.text(unit);
        assert!(
            text.contains(&format!("-v {path}:{path}:ro")),
            "{path} in {unit}:\n{text}"
        );
    };
    ro(
        "hosts/m1/etc/systemd/system/zookeeper.service",
        "/etc/zookeeper/ks.jks",
    );
    ro(MASTER_UNIT, "/etc/mesos/whitelist");
    ro(MASTER_UNIT, "/etc/mesos/acls.json");
    ro(AGENT_UNIT, "/etc/mesos/http.json");
    ro(AGENT_UNIT, "/etc/mesos/modules");
    ro(AGENT_UNIT, "/etc/mesos/docker.json");
    ro(
        "hosts/m1/etc/systemd/system/marathon.service",
        "/etc/marathon/ks.jks",
    );
    // A folder the program writes is not an input: mounted read-write.
    let master = build.text(MASTER_UNIT);
    assert!(!master.contains("/var/lib/mesos/master:ro"), "{master}");
}

/// Runs a unit's `ExecStartPre=/bin/sh -c "…"` script as systemd would
/// (continuations joined, `\"`, `\\`, `$$` and `%%` unescaped), with `/etc/`
/// and `/run/` moved under `root`. Returns the exit status and standard error.
fn run_start_script(unit: &str, root: &std::path::Path) -> (bool, String) {
    let start = unit
        .find("ExecStartPre=/bin/sh -c \"")
        .expect("a start script")
        + 25;
    let end = start + unit[start..].find("\"\nExec").expect("its end");
    let body = unit[start..end]
        .replace(" \\\n    ", " ")
        .replace("\\\"", "\"")
        .replace("\\\\", "\\")
        .replace("$$", "$")
        .replace("%%", "%");
    let root = root.display().to_string();
    let body = body
        .replace(" /etc/", &format!(" {root}/etc/"))
        .replace(" /run/", &format!(" {root}/run/"));
    let out = std::process::Command::new("sh")
        .args(["-c", &body])
        .output()
        .expect("sh runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

// Finding 17: digest-authenticated ZooKeeper from a `file()` secret only.
// Mesos reads `--zk` and `--master` from `file://` (stout's flags/fetch.hpp;
// `Option<SecurePathOrValue> zk` in src/master/flags.hpp from 1.5.0), and
// include/mesos/zookeeper/url.hpp trims the text and takes the credentials
// before the last `@`. Marathon has no file option: ZookeeperConf.scala
// (v1.10.26) reads `user:pass@` from the `--zk` URL (digest since v1.3.0,
// MarathonModule.scala), so both URLs reach it as MARATHON_ZK and
// MARATHON_MASTER from a runtime file the unit writes under /run.
#[test]
fn zookeeper_credentials_come_from_a_secret_file_only() {
    let build = cluster(
        "1.11.0",
        None,
        r#"zookeeper { credentials = file("/etc/mesos/secrets/zk") }"#,
    );
    let master_env = build.text(MASTER_ENV);
    assert!(
        master_env.contains("MESOS_ZK=file:///run/mesos-master/zk\n"),
        "{master_env}"
    );
    let agent_env = build.text("hosts/a1/etc/mesos/agent.env");
    assert!(
        agent_env.contains("MESOS_MASTER=file:///run/mesos-agent/zk\n"),
        "{agent_env}"
    );
    let marathon_env = build.text(MARATHON_ENV);
    assert!(!marathon_env.contains("MARATHON_ZK"), "{marathon_env}");
    assert!(!marathon_env.contains("MARATHON_MASTER"), "{marathon_env}");
    let marathon_unit = build.text("hosts/m1/etc/systemd/system/marathon.service");
    assert!(
        marathon_unit.contains("EnvironmentFile=/run/marathon/secrets.env\n"),
        "{marathon_unit}"
    );
    assert!(
        build.model.hosts.iter().all(|h| h
            .secret_files()
            .iter()
            .any(|(p, _)| *p == "/etc/mesos/secrets/zk")),
        "every host reads the ZooKeeper secret"
    );
    // The scripts write what the programs read, from the secret's bytes.
    let dir = tempfile::tempdir().expect("tempdir");
    let secrets = dir.path().join("etc/mesos/secrets");
    std::fs::create_dir_all(&secrets).expect("mkdir");
    for d in ["mesos-master", "mesos-agent", "marathon"] {
        std::fs::create_dir_all(dir.path().join("run").join(d)).expect("mkdir");
    }
    for s in ["marathon", "follower"] {
        std::fs::write(secrets.join(s), "pw").expect("write");
    }
    std::fs::write(secrets.join("zk"), "mesos:s3cr.et").expect("write");
    let servers = "10.0.0.1:2181";
    for (unit, target, want) in [
        (
            MASTER_UNIT,
            "run/mesos-master/zk",
            format!("zk://mesos:s3cr.et@{servers}/mesos"),
        ),
        (
            AGENT_UNIT,
            "run/mesos-agent/zk",
            format!("zk://mesos:s3cr.et@{servers}/mesos"),
        ),
        (
            "hosts/m1/etc/systemd/system/marathon.service",
            "run/marathon/secrets.env",
            format!(
                "MARATHON_ZK=zk://mesos:s3cr.et@{servers}/marathon\nMARATHON_MASTER=zk://mesos:s3cr.et@{servers}/mesos\n"
            ),
        ),
    ] {
        let (ok, err) = run_start_script(build.text(unit), dir.path());
        assert!(ok, "{unit}: {err}");
        let got = std::fs::read_to_string(dir.path().join(target)).expect("written");
        assert_eq!(got, want, "{unit}");
    }
    // A file the readers would split differently fails the start, named.
    std::fs::write(secrets.join("zk"), "me/sos:pw").expect("write");
    let (ok, err) = run_start_script(build.text(MASTER_UNIT), dir.path());
    assert!(!ok && err.contains("must hold user:password"), "{err}");
    // A literal is refused, and so is a Marathon that ignores credentials.
    let text = r#"cluster "c" { mesos = "1.0.0"  marathon = "1.1.1" }
host "m" { address = "10.0.0.1"  roles = [zookeeper, leader, marathon] }
zookeeper { credentials = file("/etc/mesos/secrets/zk") }
"#;
    let errors = support::build_text("c", text).err().expect("refused");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("Marathon 1.1.1 does not authenticate to ZooKeeper")),
        "{errors:?}"
    );
}

// Marathon HTTPS: HttpConf.scala (v1.10.26; chaos before 1.6.486) reads the
// keystore password from MESOSPHERE_KEYSTORE_PASS when the option is unset.
// `ssl_keystore_password = file(…)` sets that variable from the file when
// the unit starts, escaped for systemd's EnvironmentFile= (native) or
// literal for `docker run --env-file`; the value never enters marathon.env.
#[test]
fn a_marathon_keystore_password_comes_from_a_file() {
    let secret = r#"p"a$s`w\d 'x'"#;
    for docker in [false, true] {
        let runtime = if docker {
            r#"runtime = docker  image = "mesosphere/marathon:v1.10.26""#
        } else {
            ""
        };
        let build = cluster(
            "1.11.0",
            None,
            &format!(
                r#"marathon {{ {runtime} flags {{ ssl_keystore_path = "/etc/marathon/ks.jks"  ssl_keystore_password = file("/etc/marathon/secrets/ks")  https_port = 8443 }} }}"#
            ),
        );
        let unit = build.text("hosts/m1/etc/systemd/system/marathon.service");
        let env = build.text(MARATHON_ENV);
        assert!(!env.contains("KEYSTORE_PASS"), "{env}");
        if docker {
            assert!(
                unit.contains("--env-file /run/marathon/secrets.env"),
                "{unit}"
            );
        } else {
            assert!(
                unit.contains("EnvironmentFile=/run/marathon/secrets.env\n"),
                "{unit}"
            );
        }
        let dir = tempfile::tempdir().expect("tempdir");
        for d in ["etc/marathon/secrets", "etc/mesos/secrets", "run/marathon"] {
            std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
        }
        std::fs::write(dir.path().join("etc/marathon/secrets/ks"), secret).expect("write");
        std::fs::write(dir.path().join("etc/mesos/secrets/marathon"), "pw").expect("write");
        let (ok, err) = run_start_script(unit, dir.path());
        assert!(ok, "{err}");
        let written =
            std::fs::read_to_string(dir.path().join("run/marathon/secrets.env")).expect("written");
        let vars = if docker {
            support::envfile::parse_docker(&written)
        } else {
            support::envfile::parse_systemd(&written)
        }
        .expect("parses");
        let pass = vars
            .iter()
            .find(|v| v.name == "MESOSPHERE_KEYSTORE_PASS")
            .expect("set");
        assert_eq!(pass.value, secret, "docker {docker}: {written}");
        assert!(build.model.hosts.iter().any(|h| {
            h.secret_files()
                .iter()
                .any(|(p, _)| *p == "/etc/marathon/secrets/ks")
        }));
    }
}

// Mesos TLS from MCL: 3rdparty/libprocess/src/openssl.cpp reads
// `LIBPROCESS_SSL_{ENABLED,CERT_FILE,KEY_FILE,CA_FILE}` from 1.0.0
// (`extract("LIBPROCESS_SSL_")`) and `SSL_*` from 0.23.0 to 0.28
// (`load("SSL_")`); the files are secrets, mounted into containers.
#[test]
fn tls_files_reach_libprocess_as_secrets() {
    let tls = r#"tls { cert = file("/etc/mesos/tls/cert.pem")  key = file("/etc/mesos/tls/key.pem")  ca = file("/etc/mesos/tls/ca.pem") }"#;
    let build = cluster(
        "1.11.0",
        None,
        &format!(
            "leader {{ {tls} }}\nfollower {{ runtime = docker  image = \"mesos/mesos-agent:1.11.0\"  {tls} }}\nmarathon {{ {tls} }}"
        ),
    );
    let master = build.text(MASTER_ENV);
    for line in [
        "LIBPROCESS_SSL_ENABLED=true\n",
        "LIBPROCESS_SSL_CERT_FILE=/etc/mesos/tls/cert.pem\n",
        "LIBPROCESS_SSL_KEY_FILE=/etc/mesos/tls/key.pem\n",
        "LIBPROCESS_SSL_CA_FILE=/etc/mesos/tls/ca.pem\n",
    ] {
        assert!(master.contains(line), "{line} in {master}");
        assert!(build.text(MARATHON_ENV).contains(line), "{line}");
    }
    let agent = build.text(AGENT_UNIT);
    assert!(
        agent.contains("-v /etc/mesos/tls/key.pem:/etc/mesos/tls/key.pem:ro"),
        "{agent}"
    );
    for host in &build.model.hosts {
        let secrets = host.secret_files();
        assert!(
            secrets.iter().any(|(p, _)| *p == "/etc/mesos/tls/key.pem"),
            "{}",
            host.name
        );
    }
    let old = cluster("0.28.2", Some("1.1.1"), &format!("leader {{ {tls} }}"));
    assert!(old.text(MASTER_ENV).contains("SSL_ENABLED=true\n"));
    assert!(!old.text(MASTER_ENV).contains("LIBPROCESS_SSL_"));
    let text = format!(
        "cluster \"c\" {{ mesos = \"0.22.0\"  marathon = \"0.8.1\" }}\nhost \"m\" {{ address = \"10.0.0.1\"  roles = [zookeeper, leader] }}\nleader {{ {tls} }}\n"
    );
    let errors = support::build_text("c", &text).err().expect("refused");
    assert!(
        errors.iter().any(|e| e.contains("Mesos 0.22.0 has no TLS")),
        "{errors:?}"
    );
}

// Wrongly accepted: a principal with whitespace (the text credentials
// format of src/credentials/credentials.hpp splits on spaces).
#[test]
fn a_principal_with_whitespace_is_refused() {
    let text = r#"cluster "c" { mesos = "1.11.0" }
host "m" { address = "10.0.0.1"  roles = [zookeeper, leader, marathon] }
auth {
  frameworks = true
  credential "mara thon" { secret = file("/etc/mesos/secrets/marathon") }
}
"#;
    let errors = build_text("c", text).err().expect("refused");
    assert!(
        errors.iter().any(|e| e.contains("holds whitespace")),
        "{errors:?}"
    );
}

// Wrongly explained: a flag too new for the declared release, which knows it
// under its old name (src/master/flags.cpp at 0.28.0: slave_ping_timeout),
// suggests that name rather than a newer Mesos.
#[test]
fn a_too_new_flag_suggests_the_old_spelling() {
    let text = r#"cluster "c" { mesos = "0.28.2"  marathon = "1.1.1" }
host "m" { address = "10.0.0.1"  roles = [zookeeper, leader] }
leader { flags { agent_ping_timeout = 10secs } }
"#;
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
        .map(|d| mesosc::diagnostic::render(d, &checked.sources, 200, false))
        .collect();
    let all = rendered.join("\n");
    assert!(
        all.contains("mesos-master 0.28.2 spells it `slave_ping_timeout`"),
        "{all}"
    );
}
