//! `mesosc build` end to end: deterministic trees whatever the working
//! directory and path form, all-or-nothing on errors, and `--check`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::{examples, read_tree};

fn mesosc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

#[test]
fn every_example_builds_byte_identically_from_anywhere() {
    let repo = std::env::current_dir().expect("cwd");
    let tmp = tempfile::tempdir().expect("tmp");
    for example in examples() {
        let a = tmp.path().join("a");
        let b = tmp.path().join("b");
        let abs = repo.join(&example);
        let o = mesosc(
            &repo,
            &["build", &example, "--out", a.to_str().expect("utf-8")],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{example}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let o = mesosc(
            Path::new("/"),
            &[
                "build",
                abs.to_str().expect("utf-8"),
                "--out",
                b.to_str().expect("utf-8"),
            ],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{example}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let (ta, tb) = (read_tree(&a), read_tree(&b));
        assert!(!ta.is_empty());
        assert_eq!(ta, tb, "{example}: relative and absolute builds differ");
        let repo_text = repo.to_string_lossy();
        for (path, bytes) in &ta {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains(repo_text.as_ref()),
                "{example}: {} holds the machine's path",
                path
            );
        }
        fs::remove_dir_all(&a).expect("clean");
        fs::remove_dir_all(&b).expect("clean");
    }
}

#[test]
fn an_error_writes_nothing_and_check_finds_every_drift() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("c.mcl");
    let good = "cluster \"c\" { mesos = \"1.11.0\" }\nfor n in 1..3 {\n  host \"m${n}\" { address = \"10.0.0.${n}\"  roles = [zookeeper, leader] }\n}\n";
    fs::write(&src, good).expect("write");
    let out = tmp.path().join("out");
    let (s, o) = (src.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    assert_eq!(
        mesosc(tmp.path(), &["build", s, "--out", o]).status.code(),
        Some(0)
    );
    let before = read_tree(&out);
    assert_eq!(
        mesosc(tmp.path(), &["build", "--check", s, "--out", o])
            .status
            .code(),
        Some(0)
    );

    fs::write(&src, format!("{good}leader {{ flags {{ nope = 1 }} }}\n")).expect("write");
    let failed = mesosc(tmp.path(), &["build", s, "--out", o]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(read_tree(&out), before, "an error changes nothing in out/");

    fs::write(&src, good).expect("write");
    fs::write(out.join("hosts/m1/etc/zookeeper/zoo.cfg"), "edited").expect("edit");
    fs::remove_file(out.join("hosts/m2/etc/mesos/master.env")).expect("rm");
    let check = mesosc(tmp.path(), &["build", "--check", s, "--out", o]);
    assert_eq!(check.status.code(), Some(3), "stale is exit 3");
    let listed = String::from_utf8_lossy(&check.stdout);
    assert!(
        listed.contains("differs: hosts/m1/etc/zookeeper/zoo.cfg"),
        "{listed}"
    );
    assert!(
        listed.contains("missing: hosts/m2/etc/mesos/master.env"),
        "{listed}"
    );

    let diff = mesosc(tmp.path(), &["diff", s, "--out", o]);
    assert!(
        String::from_utf8_lossy(&diff.stdout).contains("+server.1="),
        "diff shows the restored lines"
    );
    assert_eq!(
        mesosc(tmp.path(), &["build", s, "--out", o]).status.code(),
        Some(0)
    );
    assert_eq!(read_tree(&out), before, "a rebuild restores the tree");
}

#[test]
fn plan_and_graph_print_the_waves_and_the_dot() {
    let repo = std::env::current_dir().expect("cwd");
    let plan = mesosc(&repo, &["plan", "examples/thegrid.mcl"]);
    let text = String::from_utf8_lossy(&plan.stdout);
    let first = text
        .lines()
        .take_while(|l| *l != "wave 2:")
        .collect::<Vec<_>>()
        .join("\n");
    assert!(first.contains("master-01/zookeeper.service"), "{text}");
    assert!(
        !first.contains("mesos-master"),
        "leaders wait for ZooKeeper: {text}"
    );
    let graph = mesosc(&repo, &["graph", "examples/thegrid.mcl"]);
    assert!(
        String::from_utf8_lossy(&graph.stdout).starts_with("digraph")
            || String::from_utf8_lossy(&graph.stdout).contains("digraph")
    );
}
