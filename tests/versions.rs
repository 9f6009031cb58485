//! Issue 17: output as Mesos, Marathon and ZooKeeper behave at the declared
//! version. One test per finding, on the generated files' content; each
//! names the upstream source that decides it (also in `src/versions.rs` and
//! `docs/reference/versions.md`).

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

fn file<'a>(build: &'a Build, path: &str) -> &'a str {
    &build
        .files
        .get(path)
        .unwrap_or_else(|| panic!("no {path}"))
        .content
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
    let unit = file(&json, MASTER_UNIT);
    assert!(unit.contains(r#"{\"credentials\":["#), "{unit}");
    assert!(file(&json, AGENT_UNIT).contains(r#"{\"principal\":\"follower\""#));
    let text = cluster("0.19.1", None, "");
    let unit = file(&text, MASTER_UNIT);
    assert!(!unit.contains("credentials\\\":["), "{unit}");
    assert!(unit.contains("printf '%%s %%s\\\\n' follower"), "{unit}");
}

// Finding 2: src/master/flags.cpp at 0.28.0 has `--authenticate` and
// `--authenticate_slaves`; `--authenticate_frameworks` comes in 1.0.0, and
// Mesos drops unknown MESOS_* variables.
#[test]
fn framework_authentication_below_1_0_is_authenticate() {
    let old = cluster("0.28.2", Some("1.1.1"), "");
    let env = file(&old, MASTER_ENV);
    assert_eq!(
        lines(env, "MESOS_AUTHENTICATE"),
        ["MESOS_AUTHENTICATE=true", "MESOS_AUTHENTICATE_SLAVES=true"]
    );
    let new = cluster("1.0.0", None, "");
    let env = file(&new, MASTER_ENV);
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
    let env = file(&old, MARATHON_ENV);
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
        lines(file(&new, MARATHON_ENV), "MARATHON_MESOS_AUTHENTICATION="),
        ["MARATHON_MESOS_AUTHENTICATION="]
    );
}

// Finding 4: src/Makefile.am at 0.28.0 builds only `mesos-slave`;
// `mesos-agent` first ships in 1.0.0. The unit and env file keep their names.
#[test]
fn agents_below_1_0_run_mesos_slave_under_the_same_unit_name() {
    let old = cluster("0.28.2", Some("1.1.1"), "");
    let unit = file(&old, AGENT_UNIT);
    assert_eq!(
        lines(unit, "ExecStart="),
        ["ExecStart=/usr/sbin/mesos-slave"]
    );
    assert!(old.files.contains_key("hosts/a1/etc/mesos/agent.env"));
    let new = cluster("1.0.0", None, "");
    assert_eq!(
        lines(file(&new, AGENT_UNIT), "ExecStart="),
        ["ExecStart=/usr/sbin/mesos-agent"]
    );
}

// Finding 14: before 0.25.0 (src/linux/systemd.cpp is new in 0.25.0)
// executors live in the agent's cgroup; docs/slave-recovery.md at 0.24.0
// asks for KillMode=process.
#[test]
fn agents_below_0_25_keep_their_executors_on_restart() {
    let old = cluster("0.24.1", Some("0.7.4"), "");
    let unit = file(&old, AGENT_UNIT);
    assert_eq!(lines(unit, "KillMode="), ["KillMode=process"]);
    assert!(unit.contains("docs/slave-recovery.md at 0.24.0"), "{unit}");
    let new = cluster("0.25.0", None, "");
    let unit = file(&new, AGENT_UNIT);
    assert_eq!(lines(unit, "KillMode="), ["KillMode=control-group"]);
}
