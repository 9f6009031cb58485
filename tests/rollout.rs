//! Rollout scenarios (`mesosc plan FILE --from DIR`): a deployed cluster
//! description and a changed one, each built, and the rollout between the
//! two builds: the actions per host and service, their order in steps, and
//! the dangers refused or allowed.

use std::path::Path;

use mesosc::explain::check_rollout;
use mesosc::files::MemoryFiles;
use mesosc::rollout::{self, Action, Rollout, StepKind, Tree, Wait};
use miette::Diagnostic;

/// Three control hosts (ZooKeeper, master, Marathon) and six agents in
/// three racks; `{cluster}` and `{extra}` vary per scenario.
fn cluster(cluster: &str, extra: &str) -> String {
    format!(
        r#"cluster "c" {{ {cluster} }}
for n in 1..3 {{
  host "m${{n}}" {{ address = "10.0.0.${{n}}"  roles = [zookeeper, leader, marathon] }}
}}
for n in 1..6 {{
  host "a${{n}}" {{
    address = "10.0.1.${{n}}"
    roles = [follower]
    follower {{ attributes {{ rack = "r${{n % 3}}" }} }}
  }}
}}
{extra}
"#
    )
}

fn build(text: &str) -> (Tree, mesosc::Built) {
    let mut files = MemoryFiles::new();
    files.insert("c.mcl", text);
    let unset = |_: &str| None;
    let built = mesosc::compile(Path::new("c.mcl"), &files, &unset, &Default::default())
        .expect("in memory");
    let set = built
        .files
        .as_ref()
        .unwrap_or_else(|| panic!("{text} has errors: {:?}", built.checked.diagnostics));
    (Tree::from_files(set), built)
}

fn plan_with(before: &str, after: &str, options: &rollout::Options) -> Rollout {
    let (old, _) = build(before);
    let (new, built) = build(after);
    let model = built.checked.model.as_ref().expect("model");
    rollout::plan(&old, &new, model, options)
}

fn plan(before: &str, after: &str) -> Rollout {
    plan_with(before, after, &Default::default())
}

/// Every (host, unit, action) that does something, sorted.
fn actions(r: &Rollout) -> Vec<(String, String, Action)> {
    (r.hosts.iter().flat_map(|h| &h.units))
        .filter(|u| u.action != Action::Nothing)
        .map(|u| (u.host.clone(), u.unit.clone(), u.action))
        .collect()
}

/// The steps as (unit, hosts, serial, leader last).
fn steps(r: &Rollout) -> Vec<(String, Vec<String>, String, bool)> {
    (r.steps.iter())
        .map(|s| {
            let hosts = s.hosts.iter().map(|h| h.host.clone()).collect();
            (s.unit.clone(), hosts, s.serial.clone(), s.leader_last)
        })
        .collect()
}

fn codes(list: &[rollout::RolloutError]) -> Vec<String> {
    list.iter().map(|d| d.code_name()).collect()
}

fn names(prefix: &str, range: std::ops::RangeInclusive<u32>) -> Vec<String> {
    range.map(|n| format!("{prefix}{n}")).collect()
}

const V: &str = r#"mesos = "1.11.0""#;

#[test]
fn no_change_no_steps() {
    let text = cluster(V, "");
    let r = plan(&text, &text);
    assert!(actions(&r).is_empty() && r.steps.is_empty() && r.refused.is_empty());
    let shown = rollout::text::render(&r);
    assert!(shown.contains("none: the deployed files are what a build writes"));
    assert!(!r.versions_unknown && !shown.contains("records no versions"));
    // A deployed tree from before manifests recorded versions: said so.
    let (mut old, built) = build(&text);
    old.versions = None;
    let model = built.checked.model.as_ref().expect("model");
    let r = rollout::plan(&old, &build(&text).0, model, &Default::default());
    assert!(rollout::text::render(&r).contains("records no versions"));
}

#[test]
fn a_flag_change_on_all_agents_restarts_them_one_at_a_time() {
    let before = cluster(V, "");
    let after = cluster(V, "follower { flags { logging_level = \"WARNING\" } }");
    let r = plan(&before, &after);
    let expected: Vec<_> = names("a", 1..=6)
        .into_iter()
        .map(|h| (h, "mesos-agent.service".to_owned(), Action::Restart))
        .collect();
    assert_eq!(actions(&r), expected);
    assert_eq!(
        steps(&r),
        [(
            "mesos-agent.service".into(),
            names("a", 1..=6),
            "1".into(),
            false
        )]
    );
    assert_eq!(r.steps[0].wait, Some(Wait::AgentRegistered));
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    let unit = &r.hosts.iter().find(|h| h.host == "a1").expect("a1").units[0];
    assert_eq!(unit.settings, ["MESOS_LOGGING_LEVEL"]);

    // --batch: one step, that many at a time; --batch-by: one step a rack.
    let batch = rollout::Options {
        batch: Some("50%".into()),
        ..Default::default()
    };
    let r = plan_with(&before, &after, &batch);
    assert_eq!(steps(&r)[0].2, "50%");
    let by_rack = rollout::Options {
        batch_by: Some("rack".into()),
        ..Default::default()
    };
    let r = plan_with(&before, &after, &by_rack);
    let batches: Vec<_> = (r.steps.iter())
        .map(|s| {
            (
                s.batch.clone().unwrap_or_default(),
                s.hosts.len(),
                s.serial.clone(),
            )
        })
        .collect();
    assert_eq!(
        batches,
        [
            ("rack=r0".to_owned(), 2, "2".to_owned()),
            ("rack=r1".to_owned(), 2, "2".to_owned()),
            ("rack=r2".to_owned(), 2, "2".to_owned())
        ]
    );
}

#[test]
fn a_marathon_version_bump_restarts_marathon_alone_leader_last() {
    let before = cluster(r#"mesos = "1.11.0"  marathon = "1.10.17""#, "");
    let after = cluster(r#"mesos = "1.11.0"  marathon = "1.11.0""#, "");
    let r = plan(&before, &after);
    let expected: Vec<_> = names("m", 1..=3)
        .into_iter()
        .map(|h| (h, "marathon.service".to_owned(), Action::Restart))
        .collect();
    assert_eq!(actions(&r), expected);
    assert_eq!(
        steps(&r),
        [(
            "marathon.service".into(),
            names("m", 1..=3),
            "1".into(),
            true
        )]
    );
    assert_eq!(r.steps[0].wait, Some(Wait::MarathonLeader));
    assert_eq!(r.versions, ["Marathon 1.10.17 → 1.11.0"]);
    assert!(r.refused.is_empty(), "{:?}", r.refused);
}

#[test]
fn a_zookeeper_tick_time_change_restarts_each_server_leader_last() {
    let before = cluster(V, "zookeeper { settings { tickTime = 2000 } }");
    let after = cluster(V, "zookeeper { settings { tickTime = 3000 } }");
    let r = plan(&before, &after);
    let expected: Vec<_> = names("m", 1..=3)
        .into_iter()
        .map(|h| (h, "zookeeper.service".to_owned(), Action::Restart))
        .collect();
    assert_eq!(actions(&r), expected);
    assert_eq!(
        steps(&r),
        [(
            "zookeeper.service".into(),
            names("m", 1..=3),
            "1".into(),
            true
        )]
    );
    assert_eq!(r.steps[0].wait, Some(Wait::ZookeeperMode));
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    let text = rollout::text::render(&r);
    assert!(text.contains("settings: tickTime"), "{text}");
    assert!(text.contains("the current leader last"), "{text}");
}

#[test]
fn adding_a_master_changes_the_quorum_and_is_refused_until_allowed() {
    let before = cluster(V, "");
    let added = r#"host "m4" { address = "10.0.0.4"  roles = [leader] }"#;
    let after = cluster(V, added);
    let r = plan(&before, &after);
    assert_eq!(codes(&r.refused), ["mcl::plan::quorum_changed"]);
    let allow = rollout::Options {
        allow: vec!["quorum_changed".into()],
        ..Default::default()
    };
    let r = plan_with(&before, &after, &allow);
    assert!(r.refused.is_empty());
    assert_eq!(codes(&r.allowed), ["mcl::plan::quorum_changed"]);
    let masters: Vec<_> = (actions(&r).into_iter())
        .filter(|(_, u, _)| u == "mesos-master.service")
        .map(|(h, _, a)| (h, a))
        .collect();
    assert_eq!(
        masters,
        [
            ("m1".into(), Action::Restart),
            ("m2".into(), Action::Restart),
            ("m3".into(), Action::Restart),
            ("m4".into(), Action::Start)
        ]
    );
    assert_eq!(r.steps[0].unit, "mesos-master.service");
    assert_eq!(r.steps[0].serial, "1");
    assert_eq!(r.steps[0].wait, Some(Wait::MasterRecovered));
}

#[test]
fn a_chroot_change_is_refused_without_allow() {
    let before = cluster(V, r#"zookeeper { chroot = "/mesos" }"#);
    let after = cluster(V, r#"zookeeper { chroot = "/mesos-b" }"#);
    let r = plan(&before, &after);
    assert_eq!(codes(&r.refused), ["mcl::plan::chroot_changed"]);
    let d = &r.refused[0];
    assert!(d.to_string().contains("`/mesos` to `/mesos-b`"), "{d}");
    assert!(
        d.help()
            .is_some_and(|h| h.to_string().contains("copy the znodes"))
    );
    let allow = rollout::Options {
        allow: vec!["mcl::plan::chroot_changed".into()],
        ..Default::default()
    };
    let r = plan_with(&before, &after, &allow);
    assert!(r.refused.is_empty());
    // Every master and agent reads the new path; masters go first.
    let order: Vec<_> = r.steps.iter().map(|s| s.unit.as_str()).collect();
    assert_eq!(
        order,
        [
            "mesos-master.service",
            "mesos-agent.service",
            "marathon.service"
        ]
    );
    assert!(rollout::text::render(&r).contains("allowed: mcl::plan::chroot_changed"));
}

#[test]
fn a_mesos_upgrade_goes_masters_agents_then_marathon() {
    let before = cluster(r#"mesos = "1.10.0"  marathon = "1.11.0""#, "");
    let after = cluster(r#"mesos = "1.11.0"  marathon = "1.11.0""#, "");
    let r = plan(&before, &after);
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    assert_eq!(r.versions, ["Mesos 1.10.0 → 1.11.0"]);
    let order: Vec<_> = r
        .steps
        .iter()
        .map(|s| (s.unit.as_str(), s.hosts.len()))
        .collect();
    assert_eq!(
        order,
        [
            ("mesos-master.service", 3),
            ("mesos-agent.service", 6),
            ("marathon.service", 3)
        ]
    );
    assert!(
        r.steps
            .iter()
            .all(|s| s.hosts.iter().all(|h| h.action == Action::Restart))
    );
    assert!(r.steps[0].leader_last && r.steps[2].leader_last && !r.steps[1].leader_last);
}

#[test]
fn an_upgrade_the_guides_do_not_support_is_refused() {
    let before = cluster(r#"mesos = "0.28.2"  marathon = "1.1.1""#, "");
    let after = cluster(r#"mesos = "1.11.0"  marathon = "1.11.0""#, "");
    let r = plan(&before, &after);
    let code = "mcl::plan::unsupported_upgrade";
    assert_eq!(codes(&r.refused), [code, code]);
    assert!(r.refused[0].to_string().contains("0.x agents"));
    assert!(r.refused[1].to_string().contains("Marathon 1.1.1 → 1.11.0"));
    // Marathon's changelog: 1.8 only from 1.6/1.7, 1.5 only from 1.4.
    let marathon = |v: &str| cluster(&format!(r#"mesos = "1.11.0"  marathon = "{v}""#), "");
    for (from, to, refused) in [
        ("1.5.12", "1.8.232", true),
        ("1.6.567", "1.8.232", false),
        ("1.3.13", "1.5.12", true),
        ("1.4.13", "1.5.12", false),
        ("1.7.216", "1.10.17", false),
    ] {
        let r = plan(&marathon(from), &marathon(to));
        assert_eq!(
            !r.refused.is_empty(),
            refused,
            "{from} → {to}: {:?}",
            r.refused
        );
    }
    // A downgrade is refused too.
    let r = plan(
        &after,
        &cluster(r#"mesos = "1.10.0"  marathon = "1.11.0""#, ""),
    );
    assert_eq!(codes(&r.refused), ["mcl::plan::unsupported_upgrade"]);
}

#[test]
fn an_agent_attribute_change_drains_the_agent_when_allowed() {
    let before = cluster(V, "");
    let after = before.replace(r#"rack = "r${n % 3}""#, r#"rack = "r${n % 2}""#);
    let r = plan(&before, &after);
    let hosts: Vec<_> = r.refused.iter().filter_map(|d| d.host()).collect();
    // n % 3 and n % 2 agree for n = 1 and 6 only.
    assert_eq!(hosts, ["a2", "a3", "a4", "a5"]);
    let allow = rollout::Options {
        allow: vec!["agent_state".into()],
        ..Default::default()
    };
    let r = plan_with(&before, &after, &allow);
    assert_eq!(r.steps[0].kind, StepKind::Drain);
    assert_eq!(r.steps[0].hosts.len(), 4);
    assert!(r.refused.is_empty());
}

#[test]
fn removing_a_service_everywhere_is_refused() {
    let lsf = r#"service "lsf" { on = [leader]  exec = "/usr/bin/lsf" }"#;
    let r = plan(&cluster(V, lsf), &cluster(V, ""));
    assert_eq!(codes(&r.refused), ["mcl::plan::last_of_role"]);
    let allow = rollout::Options {
        allow: vec!["last_of_role".into()],
        ..Default::default()
    };
    let r = plan_with(&cluster(V, lsf), &cluster(V, ""), &allow);
    assert_eq!(r.steps.len(), 1);
    assert_eq!(r.steps[0].kind, StepKind::Stop);
}

#[test]
fn the_ui_helper_reports_dangers_as_diagnostics() {
    let mut files = MemoryFiles::new();
    files.insert("a.mcl", cluster(V, r#"zookeeper { chroot = "/x" }"#));
    files.insert("b.mcl", cluster(V, r#"zookeeper { chroot = "/y" }"#));
    let checked = check_rollout(Path::new("a.mcl"), Path::new("b.mcl"), &files).expect("memory");
    let codes: Vec<String> = (checked.diagnostics.iter())
        .filter_map(|d| d.code().map(|c| c.to_string()))
        .collect();
    assert_eq!(codes, ["mcl::plan::chroot_changed"]);
}

// The command line: the deployed folder read from disk or from Git, the
// records, the exit codes.

use std::process::Command;

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

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn the_command_reads_the_deployed_folder_and_a_git_revision() {
    let dir = tempfile::tempdir().expect("temp");
    let d = dir.path();
    let before = cluster(V, "zookeeper { settings { tickTime = 2000 } }");
    std::fs::write(d.join("c.mcl"), &before).expect("write");
    assert_eq!(mesosc(d, &["build", "c.mcl"]).0, 0);
    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "deployed"]);
    std::fs::write(d.join("c.mcl"), before.replace("2000", "3000")).expect("write");

    let (code, text, err) = mesosc(d, &["plan", "c.mcl", "--from", "out"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("1. zookeeper.service on m1 (restart), m2 (restart), m3 (restart)"),
        "{text}"
    );
    let (code, from_git, err) = mesosc(d, &["plan", "c.mcl", "--from-git", "HEAD"]);
    assert_eq!((code, &from_git), (0, &text), "{err}");
    let absolute = d.join("out").to_string_lossy().into_owned();
    let args = ["plan", "c.mcl", "--from-git", "HEAD", "--out", &absolute];
    let (code, from_git, err) = mesosc(d, &args);
    assert_eq!((code, &from_git), (0, &text), "--out {absolute}: {err}");

    let (code, json, _) = mesosc(
        d,
        &["plan", "c.mcl", "--from", "out", "--message-format", "json"],
    );
    assert_eq!(code, 0);
    let records: Vec<serde_json::Value> = (json.lines())
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    let kinds: Vec<&str> = records.iter().filter_map(|r| r["type"].as_str()).collect();
    assert_eq!(kinds, ["summary", "change", "change", "change", "step"]);
    assert_eq!(records[1]["action"], "restart");
    assert_eq!(records[1]["settings"][0], "tickTime");
    assert_eq!(records[4]["wait"], "zookeeper-mode");
    assert_eq!(records[4]["leader_last"], true);

    // A refused danger: exit 1, the diagnostic, nothing planned on stdout.
    std::fs::write(
        d.join("c.mcl"),
        cluster(V, r#"zookeeper { chroot = "/elsewhere" }"#),
    )
    .expect("write");
    let (code, text, err) = mesosc(d, &["plan", "c.mcl", "--from", "out", "--color", "never"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("mcl::plan::chroot_changed") && text.is_empty(),
        "{err}{text}"
    );
    let allow = [
        "plan",
        "c.mcl",
        "--from",
        "out",
        "--allow",
        "chroot_changed",
    ];
    assert_eq!(mesosc(d, &allow).0, 0);

    // Not an output folder, an unknown revision: exit 2.
    assert_eq!(mesosc(d, &["plan", "c.mcl", "--from", "."]).0, 2);
    assert_eq!(
        mesosc(d, &["plan", "c.mcl", "--from-git", "nosuchref"]).0,
        2
    );
    assert_eq!(
        mesosc(d, &["plan", "c.mcl", "--from", "out", "--batch", "0"]).0,
        2
    );
}

#[cfg(unix)]
#[test]
fn links_in_the_deployed_tree_are_refused_never_followed() {
    let dir = tempfile::tempdir().expect("temp");
    let d = dir.path();
    std::fs::write(d.join("c.mcl"), cluster(V, "")).expect("write");
    assert_eq!(mesosc(d, &["build", "c.mcl"]).0, 0);
    // A file of the folder replaced by a link to a file outside it.
    std::fs::write(d.join("secret"), "MESOS_WORK_DIR=/elsewhere\n").expect("write");
    let env = d.join("out/hosts/m1/etc/mesos/master.env");
    std::fs::remove_file(&env).expect("rm");
    std::os::unix::fs::symlink(d.join("secret"), &env).expect("link");
    let (code, _, err) = mesosc(d, &["plan", "c.mcl", "--from", "out"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("only regular files are read"), "{err}");
    // The same link committed to Git.
    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "with a link"]);
    let (code, _, err) = mesosc(d, &["plan", "c.mcl", "--from-git", "HEAD"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("link or submodule"), "{err}");
}
