//! `mesosc plan --from … --format ansible`: the playbook of each rollout
//! scenario read back as YAML (one play per step, `serial`,
//! `any_errors_fatal`, the leader last, the waits bounded), then checked by
//! the real `ansible-playbook --syntax-check` and `ansible-lint`
//! (Debian's `ansible` and `ansible-lint`; `scripts/install-test-deps`).

mod support;

use std::path::Path;
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

fn cluster(cluster: &str, extra: &str) -> String {
    format!(
        r#"cluster "c" {{ {cluster} }}
for n in 1..3 {{
  host "m${{n}}" {{ address = "10.0.0.${{n}}"  roles = [zookeeper, leader, marathon] }}
}}
for n in 1..4 {{
  host "a${{n}}" {{
    address = "10.0.1.${{n}}"
    roles = [follower]
    follower {{ attributes {{ rack = "r${{n % 2}}" }} }}
  }}
}}
{extra}
"#
    )
}

fn mesosc(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("mesosc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The playbook of the rollout from `before` to `after` (in `dir/NAME/`),
/// with `extra` arguments; its path.
fn playbook(dir: &Path, name: &str, before: &str, after: &str, extra: &[&str]) -> String {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).expect("mkdir");
    std::fs::write(d.join("c.mcl"), before).expect("write");
    assert_eq!(mesosc(&d, &["build", "c.mcl", "--out", "deployed"]).0, 0);
    std::fs::write(d.join("c.mcl"), after).expect("write");
    let mut args = vec!["plan", "c.mcl", "--from", "deployed", "--format", "ansible"];
    args.extend(["--inventory", "inventory.yaml"]);
    args.extend(extra);
    let (code, text, err) = mesosc(&d, &args);
    assert_eq!(code, 0, "{name}: {err}");
    let path = d.join("rollout.yaml");
    std::fs::write(&path, &text).expect("write");
    path.to_string_lossy().into_owned()
}

fn load(path: &str) -> Vec<Yaml> {
    let text = std::fs::read_to_string(path).expect("read");
    let docs = YamlLoader::load_from_str(&text).expect("the playbook is YAML");
    docs[0].as_vec().expect("a list of plays").clone()
}

fn s<'a>(y: &'a Yaml, key: &str) -> &'a str {
    y[key].as_str().unwrap_or_default()
}

fn task_names(play: &Yaml) -> Vec<String> {
    (play["tasks"].as_vec().into_iter().flatten())
        .map(|t| s(t, "name").to_owned())
        .collect()
}

#[test]
fn playbooks_have_one_play_per_step_and_pass_ansible_and_ansible_lint() {
    let dir = tempfile::tempdir().expect("temp");
    let d = dir.path();
    let v = r#"mesos = "1.11.0""#;

    // ZooKeeper tickTime: a probe play, then the others, then the leader.
    let zk = playbook(
        d,
        "zk",
        &cluster(v, "zookeeper { settings { tickTime = 2000 } }"),
        &cluster(v, "zookeeper { settings { tickTime = 3000 } }"),
        &[],
    );
    let plays = load(&zk);
    let names: Vec<&str> = plays.iter().map(|p| s(p, "name")).collect();
    assert_eq!(
        names,
        [
            "Step 1: find the current zookeeper leader",
            "Step 1: update zookeeper.service (all but the leader)",
            "Step 1: update zookeeper.service (the leader, last)"
        ]
    );
    assert_eq!(s(&plays[0], "hosts"), "m1:m2:m3");
    assert_eq!(s(&plays[1], "hosts"), "mesosc_step_1_others");
    assert_eq!(s(&plays[2], "hosts"), "mesosc_step_1_leader");
    for p in &plays[1..] {
        assert_eq!(p["serial"].as_i64(), Some(1));
        assert_eq!(p["any_errors_fatal"].as_bool(), Some(true));
        assert_eq!(
            p["vars"]["mesosc_files"]["m2"][0].as_str(),
            Some("etc/zookeeper/zoo.cfg")
        );
        assert_eq!(p["vars"]["mesosc_at"]["m3"].as_str(), Some("10.0.0.3:2181"));
        let wait = (p["tasks"].as_vec().expect("tasks").iter())
            .find(|t| s(t, "name").starts_with("Wait until the server"))
            .expect("a srvr wait");
        assert!(s(wait, "until").contains("Mode: (leader|follower|observer)"));
        assert_eq!(s(wait, "retries"), "{{ mesosc_retries | default(60) }}");
    }
    let tasks = task_names(&plays[1]);
    let restart = tasks
        .iter()
        .position(|t| t == "Restart the unit")
        .expect("restart");
    let copy = (tasks.iter())
        .position(|t| t.starts_with("Copy the changed files"))
        .expect("copy");
    assert!(copy < restart, "{tasks:?}");
    assert!(tasks.contains(&"Restart the unit (restart_command)".to_owned()));
    let inventory = std::fs::read_to_string(d.join("zk/inventory.yaml")).expect("inventory");
    let inventory = &YamlLoader::load_from_str(&inventory).expect("YAML")[0];
    assert_eq!(
        inventory["all"]["hosts"]["a4"]["ansible_host"].as_str(),
        Some("10.0.1.4")
    );

    // Agents by rack: one play per rack, the whole rack at once.
    let agents = playbook(
        d,
        "agents",
        &cluster(v, ""),
        &cluster(v, r#"follower { flags { logging_level = "WARNING" } }"#),
        &["--batch-by", "rack"],
    );
    let plays = load(&agents);
    let hosts: Vec<(&str, Option<i64>)> = plays
        .iter()
        .map(|p| (s(p, "hosts"), p["serial"].as_i64()))
        .collect();
    assert_eq!(hosts, [("a2:a4", Some(2)), ("a1:a3", Some(2))]);
    // Each agent waits as long as the masters' agent_reregister_timeout
    // (10mins by default: 120 tries of 5 s) plus a minute.
    let retries = |path: &str| {
        let text = std::fs::read_to_string(path).expect("read");
        let at = text
            .find("Wait until the agent has re-registered")
            .expect("the agent wait");
        let line = text[at..]
            .lines()
            .find(|l| l.contains("retries:"))
            .expect("retries");
        line.trim().to_owned()
    };
    assert_eq!(
        retries(&agents),
        r#"retries: "{{ mesosc_retries | default(132) }}""#
    );
    let longer = r#"leader { flags { agent_reregister_timeout = "20mins" } }
follower { flags { logging_level = "INFO" } }"#;
    let slow = playbook(d, "slow", &cluster(v, ""), &cluster(v, longer), &[]);
    assert_eq!(
        retries(&slow),
        r#"retries: "{{ mesosc_retries | default(252) }}""#
    );

    // A drained agent on 1.11 (DRAIN_AGENT) and on 1.8 (maintenance).
    let moved = |c: &str| c.replace(r#"rack = "r${n % 2}""#, r#"rack = "x${n % 2}""#);
    let allow = ["--allow", "agent_state"];
    let drain = playbook(d, "drain", &cluster(v, ""), &moved(&cluster(v, "")), &allow);
    let tasks = task_names(&load(&drain)[0]);
    assert!(
        tasks.contains(&"Drain the agent (DRAIN_AGENT)".to_owned()),
        "{tasks:?}"
    );
    let old = r#"mesos = "1.8.0""#;
    let maint = playbook(
        d,
        "maint",
        &cluster(old, ""),
        &moved(&cluster(old, "")),
        &allow,
    );
    let tasks = task_names(&load(&maint)[0]);
    assert!(
        tasks.contains(&"Take the machine down".to_owned()),
        "{tasks:?}"
    );
    assert!(
        tasks.contains(&"Bring the machine back up".to_owned()),
        "{tasks:?}"
    );

    // Masters with read-only HTTP authentication: the waits authenticate.
    let auth = |timeout: &str| {
        cluster(
            v,
            &format!(
                r#"auth {{ frameworks = true  credential "marathon" {{ secret = file("/etc/mesos/secrets/marathon") }} }}
leader {{ flags {{ authenticate_http_readonly = true  offer_timeout = "{timeout}" }} }}"#
            ),
        )
    };
    let masters = playbook(d, "masters", &auth("30secs"), &auth("40secs"), &[]);
    let plays = load(&masters);
    let text = std::fs::read_to_string(&masters).expect("read");
    assert_eq!(s(&plays[1], "hosts"), "mesosc_step_1_others");
    assert!(text.contains("/metrics/snapshot") && text.contains("registrar/log/recovered"));
    assert!(
        text.contains("src: \"{{ mesosc_root | default('') }}/etc/mesos/secrets/marathon\""),
        "{text}"
    );
    assert!(text.contains("force_basic_auth: true"));

    // The waits authenticate with the first password every changed user
    // set up: the masters' framework principal (above), the credential of
    // the agents' `http_credentials` JSON file, and Marathon's `user:password`
    // file; each read on the host, never logged.
    let secured = |timeout: &str| {
        cluster(
            v,
            &format!(
                r#"follower {{ flags {{ authenticate_http_readonly = true  http_credentials = "/etc/mesos/http.json"  executor_registration_timeout = "{timeout}" }} }}
marathon {{ flags {{ http_credentials = file("/etc/marathon/http")  zk_timeout = {timeout2} }} }}"#,
                timeout2 = if timeout == "1mins" { 10000 } else { 20000 },
            ),
        )
    };
    let agents_auth = playbook(d, "agents-auth", &secured("1mins"), &secured("2mins"), &[]);
    let text = std::fs::read_to_string(&agents_auth).expect("read");
    for needle in [
        "src: \"{{ mesosc_root | default('') }}/etc/mesos/http.json\"",
        "credentials[0].principal",
        "src: \"{{ mesosc_root | default('') }}/etc/marathon/http\"",
        "split(':', 1)[1]",
        "url_password: \"{{ mesosc_password }}\"",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
    let plays = load(&agents_auth);
    let waits_authenticate = plays.iter().all(|play| {
        let tasks = play["tasks"]
            .as_vec()
            .map(Vec::as_slice)
            .unwrap_or_default();
        tasks
            .iter()
            .filter(|t| !t["ansible.builtin.uri"].is_badvalue())
            .all(|t| t["ansible.builtin.uri"]["force_basic_auth"].as_bool() == Some(true))
    });
    assert!(waits_authenticate, "{text}");
    assert!(!text.contains("no_log: false"));

    // Marathon and an extra service removed everywhere (allowed).
    let lsf = r#"service "lsf" { on = [leader]  exec = "/usr/bin/lsf" }"#;
    let stop = playbook(
        d,
        "stop",
        &cluster(r#"mesos = "1.11.0"  marathon = "1.10.17""#, lsf),
        &cluster(r#"mesos = "1.11.0"  marathon = "1.11.0""#, ""),
        &["--allow", "last_of_role"],
    );
    let plays = load(&stop);
    let names: Vec<&str> = plays.iter().map(|p| s(p, "name")).collect();
    assert_eq!(
        names,
        [
            "Step 1: find the current marathon leader",
            "Step 1: update marathon.service (all but the leader)",
            "Step 1: update marathon.service (the leader, last)",
            "Step 2: stop and disable lsf.service"
        ]
    );

    if support::real_tools::skip(&["ansible-playbook", "ansible-lint"]) {
        return;
    }
    let all = [&zk, &agents, &drain, &maint, &masters, &agents_auth, &stop];
    let inventory = d.join("zk/inventory.yaml");
    for p in all {
        let out = Command::new("ansible-playbook")
            .args(["--syntax-check", "-i"])
            .arg(&inventory)
            .arg(p)
            .output()
            .expect("ansible-playbook runs (scripts/install-test-deps installs it)");
        assert!(
            out.status.success(),
            "{p}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // One run for every playbook (ansible-lint starts slowly), offline, with
    // the strictest profile.
    let out = Command::new("ansible-lint")
        .args(["--offline", "--nocolor", "--profile", "production"])
        .args(all)
        .current_dir(d)
        .output()
        .expect("ansible-lint runs (scripts/install-test-deps installs it)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
