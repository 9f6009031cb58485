//! Building again into a folder that already holds the build: nothing is
//! emitted or written when the inputs (sources, `--env`, `env()` values,
//! mesosc's version) are those the cache outside the repository records for
//! the folder, its manifest is the one that build wrote, and every file is
//! as written; any other change still rebuilds, and every report a full
//! build makes (hand edits, foreign files) is still made. Each test's cache
//! is its own (`XDG_CACHE_HOME` in its temporary folder).

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

const MAIN: &str = r#"
import "nodes.mcl"

cluster "rebuild" { mesos = "1.11.0" }

environment "staging" { leader { flags { logging_level = "INFO" } } }

host "m1" { address = "10.0.0.1"  roles = [zookeeper, leader] }
"#;

const NODES: &str = r#"
host "a1" {
  address = "10.0.1.1"
  roles   = [follower]
  follower { flags { hostname = env("AGENT_NAME") } }
}
"#;

/// A folder with `main.mcl` and `nodes.mcl`.
fn sources() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::write(tmp.path().join("main.mcl"), MAIN).expect("write");
    fs::write(tmp.path().join("nodes.mcl"), NODES).expect("write");
    tmp
}

fn mesosc(dir: &Path, agent: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("AGENT_NAME", agent)
        .output()
        .expect("runs")
}

/// `mesosc build main.mcl --out out` (plus `extra`); its stderr, after
/// asserting the exit code.
fn build(dir: &Path, agent: &str, extra: &[&str], code: i32) -> String {
    let mut args = vec!["build", "main.mcl", "--out", "out"];
    args.extend_from_slice(extra);
    let o = mesosc(dir, agent, &args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(code), "{err}");
    err
}

/// "N written, M unchanged, R removed" of a build's last line.
fn counts(stderr: &str) -> String {
    let line = stderr.lines().last().unwrap_or_default();
    line.split_once(": ")
        .map(|(_, c)| c.to_owned())
        .unwrap_or_default()
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

#[test]
fn nothing_changed_writes_nothing_and_still_reports_foreign_files() {
    let tmp = sources();
    let dir = tmp.path();
    let first = build(dir, "agent-1", &[], 0);
    let n = fs::read_to_string(dir.join("out/manifest.json"))
        .expect("manifest")
        .matches("\"sha256\"")
        .count();
    let n = n + 1; // and the manifest itself
    assert_eq!(
        counts(&first),
        format!("{n} written, 0 unchanged, 0 removed")
    );
    let manifest = dir.join("out/manifest.json");
    let text = fs::read_to_string(&manifest).expect("manifest");
    assert!(
        !text.contains("\"inputs\"") && !text.contains("\"sources\""),
        "the committed manifest holds nothing of the source bytes"
    );
    let cached = fs::read_dir(dir.join("cache/mesosc"))
        .expect("the cache")
        .count();
    assert_eq!(cached, 1, "the fingerprint is kept outside the repository");
    fs::write(dir.join("out/NOTES.txt"), "mine\n").expect("write");
    let before = mtime(&manifest);
    std::thread::sleep(Duration::from_millis(20));

    let again = build(dir, "agent-1", &[], 0);
    assert_eq!(
        counts(&again),
        format!("0 written, {n} unchanged, 0 removed")
    );
    assert!(
        again.contains("note: `NOTES.txt` was not written by mesosc"),
        "{again}"
    );
    assert_eq!(
        mtime(&manifest),
        before,
        "not even the manifest is rewritten"
    );
    assert!(!dir.join("out/.mesosc.lock").exists(), "no lock is left");

    // `--check` fails on the foreign file (it would ship with a deploy).
    let args = ["build", "--check", "main.mcl", "--out", "out"];
    let check = mesosc(dir, "agent-1", &args);
    assert_eq!(check.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        "foreign: NOTES.txt\n"
    );
    fs::remove_file(dir.join("out/NOTES.txt")).expect("rm");
    let check = mesosc(dir, "agent-1", &args);
    assert_eq!(check.status.code(), Some(0));
    let said = String::from_utf8_lossy(&check.stderr).into_owned();
    assert!(said.contains(&format!("up to date ({n} files)")), "{said}");
}

#[test]
fn every_input_counts() {
    let tmp = sources();
    let dir = tmp.path();
    build(dir, "agent-1", &[], 0);
    let env_file = dir.join("out/hosts/a1/etc/mesos/agent.env");
    assert!(
        fs::read_to_string(&env_file)
            .expect("env")
            .contains("agent-1")
    );

    // A value `env()` reads.
    let run = build(dir, "agent-2", &[], 0);
    assert!(!counts(&run).starts_with("0 written"), "{run}");
    assert!(
        fs::read_to_string(&env_file)
            .expect("env")
            .contains("agent-2")
    );
    let check = mesosc(
        dir,
        "agent-1",
        &["build", "--check", "main.mcl", "--out", "out"],
    );
    assert_eq!(check.status.code(), Some(3), "stale for another value");

    // An imported file.
    fs::write(dir.join("nodes.mcl"), NODES.replace("10.0.1.1", "10.0.1.9")).expect("write");
    let run = build(dir, "agent-2", &[], 0);
    assert!(!counts(&run).starts_with("0 written"), "{run}");
    assert!(
        fs::read_to_string(dir.join("out/README.md"))
            .expect("readme")
            .contains("10.0.1.9")
    );

    // `--env` (another environment: replacing it takes `--force`).
    let run = build(dir, "agent-2", &["--env", "staging"], 2);
    assert!(
        run.contains(
            "holds the cluster `rebuild`, not the cluster `rebuild`, environment `staging`"
        ),
        "{run}"
    );
    let run = build(dir, "agent-2", &["--env", "staging", "--force"], 0);
    assert!(!counts(&run).starts_with("0 written"), "{run}");
    let manifest = fs::read_to_string(dir.join("out/manifest.json")).expect("manifest");
    assert!(
        manifest.contains("\"environment\": \"staging\""),
        "{manifest}"
    );
    let run = build(dir, "agent-2", &["--env", "staging"], 0);
    assert!(counts(&run).starts_with("0 written"), "{run}");
}

#[test]
fn a_hand_edit_a_mode_or_a_missing_file_is_still_found() {
    let tmp = sources();
    let dir = tmp.path();
    build(dir, "agent-1", &[], 0);
    let unit = dir.join("out/hosts/m1/etc/systemd/system/mesos-master.service");
    let original = fs::read(&unit).expect("unit");

    fs::write(&unit, b"edited\n").expect("edit");
    let run = build(dir, "agent-1", &[], 0);
    assert!(run.contains("had been edited by hand"), "{run}");
    assert!(counts(&run).starts_with("1 written"), "{run}");
    assert_eq!(fs::read(&unit).expect("unit"), original);

    fs::remove_file(&unit).expect("rm");
    let run = build(dir, "agent-1", &[], 0);
    assert!(counts(&run).starts_with("1 written"), "{run}");
    assert_eq!(fs::read(&unit).expect("unit"), original);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&unit, fs::Permissions::from_mode(0o600)).expect("chmod");
        let run = build(dir, "agent-1", &[], 0);
        assert!(counts(&run).starts_with("1 written"), "{run}");
        let mode = fs::metadata(&unit).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }

    // A manifest tampered with (a field that is not a hash): no longer the
    // one the cache knows, so the build is made, and only the manifest is
    // rewritten.
    let manifest = dir.join("out/manifest.json");
    let text = fs::read_to_string(&manifest).expect("manifest");
    let tampered = text.replace("\"mesosc_version\": \"", "\"mesosc_version\": \"9");
    fs::write(&manifest, tampered).expect("write");
    let run = build(dir, "agent-1", &[], 0);
    assert!(counts(&run).starts_with("1 written"), "{run}");
    assert_eq!(fs::read_to_string(&manifest).expect("manifest"), text);
}

#[test]
fn a_lock_left_behind_by_a_killed_build_is_taken_over() {
    // Issue 23, item 6: 209 kills left `.mesosc.lock`, and every later build
    // failed until it was deleted by hand.
    let tmp = sources();
    let dir = tmp.path();
    build(dir, "agent-1", &[], 0);
    fs::write(dir.join("out/.mesosc.lock"), "killed build\n").expect("write");
    let run = build(dir, "agent-1", &[], 0);
    assert!(counts(&run).starts_with("0 written"), "{run}");
    assert!(!dir.join("out/.mesosc.lock").exists(), "{run}");
}

#[test]
fn a_folder_replaced_by_a_symlink_is_still_refused() {
    let tmp = sources();
    let dir = tmp.path();
    build(dir, "agent-1", &[], 0);
    // The same files, reached through a link: the survey must not take
    // them as written.
    #[cfg(unix)]
    {
        fs::rename(dir.join("out/hosts/a1"), dir.join("elsewhere")).expect("move");
        std::os::unix::fs::symlink(dir.join("elsewhere"), dir.join("out/hosts/a1")).expect("link");
        let run = build(dir, "agent-1", &[], 2);
        assert!(run.contains("is a symbolic link"), "{run}");
    }
}

#[test]
fn foreign_entries_deep_in_the_tree_are_reported_and_a_linked_file_is_not_taken_as_written() {
    let tmp = sources();
    let dir = tmp.path();
    build(dir, "agent-1", &[], 0);
    fs::write(dir.join("out/hosts/a1/etc/extra.conf"), "mine\n").expect("write");
    fs::create_dir(dir.join("out/hosts/a1/local")).expect("mkdir");
    fs::write(dir.join("out/hosts/a1/local/notes"), "mine\n").expect("write");
    let run = build(dir, "agent-1", &[], 0);
    assert!(counts(&run).starts_with("0 written"), "{run}");
    assert!(
        run.contains("note: `hosts/a1/etc/extra.conf` was not written by mesosc"),
        "{run}"
    );
    assert!(
        run.contains("note: `hosts/a1/local/` was not written by mesosc"),
        "{run}"
    );
    // A generated file replaced by a link to the very same bytes: not the
    // file mesosc wrote, so the survey does not vouch for it.
    #[cfg(unix)]
    {
        let unit = dir.join("out/hosts/m1/etc/systemd/system/mesos-master.service");
        fs::copy(&unit, dir.join("copy")).expect("copy");
        fs::remove_file(&unit).expect("rm");
        std::os::unix::fs::symlink(dir.join("copy"), &unit).expect("link");
        let run = mesosc(dir, "agent-1", &["build", "main.mcl", "--out", "out"]);
        let said = String::from_utf8_lossy(&run.stderr).into_owned();
        assert!(!said.contains("0 written"), "{said}");
    }
}
