//! The out/ store end to end, through the `mesosc` binary: how it reads,
//! trusts and owns out/ (issue 23, items 3 to 5 and the `fmt` part of 10,
//! each a regression test that failed on the earlier code) and the GitOps
//! loop in a real Git repository (issue 19): merges of rebuilt branches, a
//! comment-only edit, a hand-added unit, a hand-edited manifest, and two
//! clusters in one folder. Crash recovery (item 6) is `tests/crash.rs`.
//!
//! Each test has its own folder and its own cache (`XDG_CACHE_HOME`).

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A cluster of three leaders and four followers, one block a host, so two
/// branches that each change one follower touch lines far apart.
fn source(hostname_a1: &str, hostname_a3: &str) -> String {
    let mut text = String::from("cluster \"prod\" { mesos = \"1.11.0\" }\n\n");
    for n in 1..=3 {
        text.push_str(&format!(
            "host \"m{n}\" {{\n  address = \"10.0.0.{n}\"\n  roles = [zookeeper, leader]\n}}\n\n"
        ));
    }
    for n in 1..=4 {
        let name = match n {
            1 => hostname_a1.to_owned(),
            3 => hostname_a3.to_owned(),
            _ => format!("a{n}.example"),
        };
        text.push_str(&format!(
            "host \"a{n}\" {{\n  address = \"10.0.1.{n}\"\n  roles = [follower]\n  \
             follower {{ flags {{ hostname = \"{name}\" }} }}\n}}\n\n"
        ));
    }
    text
}

/// The default source.
fn base() -> String {
    source("a1.example", "a3.example")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", dir.join(".cache"))
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

/// Runs mesosc, asserts its exit code, returns stdout then stderr.
fn expect(dir: &Path, args: &[&str], code: i32) -> (String, String) {
    let o = run(dir, args);
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    assert_eq!(
        o.status.code(),
        Some(code),
        "{args:?}\nstdout:\n{out}\nstderr:\n{err}"
    );
    (out, err)
}

fn build(dir: &Path) {
    expect(dir, &["build", "c.mcl", "--out", "out"], 0);
}

fn check(dir: &Path, code: i32) -> String {
    expect(dir, &["build", "--check", "c.mcl", "--out", "out"], code).0
}

/// A folder with `c.mcl` (the default source) built into `out/`.
fn built() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::write(tmp.path().join("c.mcl"), base()).expect("write");
    build(tmp.path());
    tmp
}

/// Runs the `git` binary, with no user or system configuration.
fn git_output(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs")
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = git_output(dir, args);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "git {args:?}: {text}{err}");
    text
}

/// A Git repository with the default source built and committed on `main`
/// (the cache is ignored, as a user's home would be outside the repo).
fn repo() -> tempfile::TempDir {
    let tmp = built();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    fs::write(dir.join(".gitignore"), ".cache/\n").expect("write");
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "first build"]);
    tmp
}

// ---------------------------------------------------------------------------
// Item 3: readers of out/ follow no link and open no FIFO
// ---------------------------------------------------------------------------

#[test]
fn diff_and_check_do_not_read_through_a_link_in_out() {
    let tmp = built();
    let dir = tmp.path();
    fs::write(dir.join("secret"), "CI_TOKEN=hunter2\n").expect("write");
    let env = dir.join("out/hosts/a2/etc/mesos/agent.env");
    fs::remove_file(&env).expect("rm");
    symlink(dir.join("secret"), &env).expect("symlink");
    let (diff, _) = expect(dir, &["diff", "c.mcl", "--out", "out"], 0);
    assert!(!diff.contains("hunter2"), "{diff}");
    assert!(diff.contains("is not a regular file"), "{diff}");
    let listed = check(dir, 3);
    assert_eq!(listed, "special: hosts/a2/etc/mesos/agent.env\n");
}

/// Runs mesosc with a deadline (a FIFO opened for reading would block it
/// for ever); its exit code.
fn run_bounded(dir: &Path, args: &[&str]) -> Option<i32> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .current_dir(dir)
        .args(args)
        .env("XDG_CACHE_HOME", dir.join(".cache"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("waits") {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("{args:?} hung on a FIFO in out/");
}

#[test]
fn a_fifo_in_out_hangs_no_command() {
    let tmp = built();
    let dir = tmp.path();
    for victim in ["out/README.md", "out/manifest.json"] {
        let path = dir.join(victim);
        fs::remove_file(&path).expect("rm");
        let made = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
        assert!(made.success());
        let check = run_bounded(dir, &["build", "--check", "c.mcl", "--out", "out"]);
        assert_eq!(check, Some(3), "{victim}");
        assert_eq!(
            run_bounded(dir, &["diff", "c.mcl", "--out", "out"]),
            Some(0)
        );
        let build = run_bounded(dir, &["build", "c.mcl", "--out", "out"]);
        let expected = if victim.ends_with("manifest.json") {
            2
        } else {
            0
        };
        assert_eq!(build, Some(expected), "{victim}");
        if expected == 2 {
            // The manifest is not a regular file: named, and left alone.
            assert!(
                fs::symlink_metadata(&path)
                    .expect("there")
                    .file_type()
                    .is_fifo()
            );
        }
    }
}

use std::os::unix::fs::FileTypeExt as _;

// ---------------------------------------------------------------------------
// Item 4: the CI gate trusts nothing the tree claims
// ---------------------------------------------------------------------------

#[test]
fn an_edit_with_its_hash_patched_in_the_manifest_fails_check() {
    let tmp = built();
    let dir = tmp.path();
    let unit = dir.join("out/hosts/m1/etc/systemd/system/mesos-master.service");
    let original = fs::read_to_string(&unit).expect("read");
    let edited = format!("{original}# ExecStartPre=/bin/touch /tmp/pwned\n");
    fs::write(&unit, &edited).expect("write");
    let sha = |t: &str| mesosc::emit::sha256_hex(t.as_bytes());
    let manifest = dir.join("out/manifest.json");
    let text = fs::read_to_string(&manifest).expect("read");
    fs::write(&manifest, text.replace(&sha(&original), &sha(&edited))).expect("write");
    let listed = check(dir, 3);
    assert!(listed.contains("differs: hosts/m1/etc/systemd/system/mesos-master.service"));
    assert!(listed.contains("differs: manifest.json"), "{listed}");
    build(dir);
    assert_eq!(
        fs::read_to_string(&unit).expect("read"),
        original,
        "the edit is not kept"
    );

    // Its entry dropped instead: the file is no longer claimed, so the
    // build refuses to overwrite it, and the check still fails.
    fs::write(&unit, &edited).expect("write");
    let text = fs::read_to_string(&manifest).expect("read");
    let row = text.find("mesos-master.service\",").expect("row");
    let start = text[..row].rfind("    {").expect("row start");
    let end = row + text[row..].find("},\n").expect("row end") + 3;
    fs::write(&manifest, format!("{}{}", &text[..start], &text[end..])).expect("write");
    check(dir, 3);
    let (_, err) = expect(dir, &["build", "c.mcl", "--out", "out"], 2);
    assert!(
        err.contains("would overwrite files mesosc did not write"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// Item 5: ownership is proven, not claimed
// ---------------------------------------------------------------------------

#[test]
fn a_crafted_manifest_deletes_nothing_of_the_users() {
    let tmp = built();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("out/.git")).expect("mkdir");
    fs::write(dir.join("out/.git/HEAD"), "ref: refs/heads/main\n").expect("write");
    fs::write(dir.join("out/NOTES.md"), "mine\n").expect("write");
    let manifest = dir.join("out/manifest.json");
    let text = fs::read_to_string(&manifest).expect("read");
    let row = |path: &str| {
        format!(
            "\"files\": [{{\"host\": null, \"kind\": \"readme\", \"mode\": \"0644\", \"path\": \"{path}\", \"sha256\": \"{}\"}},",
            "0".repeat(64)
        )
    };
    fs::write(
        &manifest,
        text.replacen("\"files\": [", &row(".git/HEAD"), 1),
    )
    .expect("write");
    let (_, err) = expect(dir, &["build", "c.mcl", "--out", "out"], 2);
    assert!(
        err.contains("it lists `.git/HEAD`, which mesosc never writes"),
        "{err}"
    );
    assert!(dir.join("out/.git/HEAD").exists());

    fs::write(
        &manifest,
        text.replacen("\"files\": [", &row("NOTES.md"), 1),
    )
    .expect("write");
    let (_, err) = expect(dir, &["build", "c.mcl", "--out", "out"], 0);
    assert!(err.contains("`NOTES.md` is no longer built, but it is not as mesosc wrote it"));
    assert_eq!(
        fs::read_to_string(dir.join("out/NOTES.md")).expect("kept"),
        "mine\n"
    );

    // A user's files at the names mesosc's temporary files once had.
    let bak = dir.join("out/hosts/a1/etc/mesos/.agent.env.mesosc-bak");
    fs::write(&bak, "mine\n").expect("write");
    fs::write(dir.join("c.mcl"), source("a1.changed", "a3.example")).expect("write");
    let (_, err) = expect(dir, &["build", "c.mcl", "--out", "out"], 0);
    assert!(err.contains(".agent.env.mesosc-bak` was not written by mesosc; left alone"));
    assert_eq!(fs::read_to_string(&bak).expect("kept"), "mine\n");
}

// ---------------------------------------------------------------------------
// Item 10: fmt keeps links and writes through no planted temporary name
// ---------------------------------------------------------------------------

#[test]
fn fmt_writes_through_a_link_and_not_through_a_planted_temporary_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    fs::create_dir(dir.join("real")).expect("mkdir");
    let target = dir.join("real/c.mcl");
    fs::write(&target, "cluster   \"c\"   {  mesos= \"1.11.0\" }\n").expect("write");
    fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).expect("chmod");
    symlink(&target, dir.join("c.mcl")).expect("symlink");
    // A planted temporary name next to each, pointing at a file outside.
    fs::write(dir.join("victim"), "untouched\n").expect("write");
    fs::set_permissions(dir.join("victim"), fs::Permissions::from_mode(0o600)).expect("chmod");
    symlink(dir.join("victim"), dir.join(".c.mcl.mesosc-fmt")).expect("symlink");
    symlink(dir.join("victim"), dir.join("real/.c.mcl.mesosc-fmt")).expect("symlink");
    expect(dir, &["fmt", "c.mcl"], 0);
    let link = fs::symlink_metadata(dir.join("c.mcl")).expect("there");
    assert!(link.file_type().is_symlink(), "the link is kept");
    let text = fs::read_to_string(&target).expect("read");
    assert_eq!(text, "cluster \"c\" { mesos = \"1.11.0\" }\n");
    let mode = fs::metadata(&target).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the file keeps its mode");
    assert_eq!(
        fs::read_to_string(dir.join("victim")).expect("read"),
        "untouched\n"
    );
    let mode = fs::metadata(dir.join("victim"))
        .expect("meta")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(
        mode, 0o600,
        "the planted link's target is not made readable"
    );
}

// ---------------------------------------------------------------------------
// Issue 19: the GitOps loop in a real repository
// ---------------------------------------------------------------------------

#[test]
fn two_branches_that_change_different_followers_merge_cleanly() {
    let tmp = repo();
    let dir = tmp.path();
    git(dir, &["checkout", "-qb", "one"]);
    fs::write(dir.join("c.mcl"), source("a1.one", "a3.example")).expect("write");
    build(dir);
    git(dir, &["commit", "-qam", "a1"]);
    git(dir, &["checkout", "-q", "main"]);
    git(dir, &["checkout", "-qb", "two"]);
    fs::write(dir.join("c.mcl"), source("a1.example", "a3.two")).expect("write");
    build(dir);
    git(dir, &["commit", "-qam", "a3"]);
    git(dir, &["checkout", "-q", "one"]);
    git(dir, &["merge", "-q", "--no-edit", "two"]);
    assert_eq!(
        fs::read_to_string(dir.join("c.mcl")).expect("read"),
        source("a1.one", "a3.two")
    );
    assert_eq!(
        check(dir, 0),
        "",
        "the merged out/ is the merged source's build"
    );
    build(dir);
    assert_eq!(
        git(dir, &["status", "--porcelain"]),
        "",
        "and a build changes nothing"
    );
}

#[test]
fn a_comment_only_edit_passes_check_and_touches_nothing() {
    let tmp = repo();
    let dir = tmp.path();
    let text = format!("# who runs this: ops@example.com\n{}", base());
    fs::write(dir.join("c.mcl"), text).expect("write");
    assert_eq!(check(dir, 0), "");
    build(dir);
    assert_eq!(git(dir, &["status", "--porcelain"]), " M c.mcl\n");
}

#[test]
fn a_hand_added_unit_fails_check() {
    let tmp = repo();
    let dir = tmp.path();
    let unit = "hosts/a2/etc/systemd/system/backdoor.service";
    fs::write(dir.join("out").join(unit), "[Service]\nExecStart=/bin/sh\n").expect("write");
    assert_eq!(check(dir, 3), format!("foreign: {unit}\n"));
    let strict = ["build", "--check", "--strict", "c.mcl", "--out", "out"];
    expect(dir, &strict, 3);
    let (_, err) = expect(dir, &["build", "c.mcl", "--out", "out"], 0);
    assert!(
        err.contains(&format!("note: `{unit}` was not written by mesosc")),
        "{err}"
    );
}

#[test]
fn a_hand_edited_manifest_fails_check_and_is_rebuilt() {
    let tmp = repo();
    let dir = tmp.path();
    let manifest = dir.join("out/manifest.json");
    let text = fs::read_to_string(&manifest).expect("read");
    fs::write(
        &manifest,
        text.replace("\"environment\": null", "\"environment\": \"x\""),
    )
    .expect("write");
    assert_eq!(check(dir, 3), "differs: manifest.json\n");
    // The build refuses: the manifest now names another environment.
    let (_, err) = expect(dir, &["build", "c.mcl", "--out", "out"], 2);
    assert!(
        err.contains("holds the cluster `prod`, environment `x`"),
        "{err}"
    );
    expect(dir, &["build", "--force", "c.mcl", "--out", "out"], 0);
    assert_eq!(git(dir, &["status", "--porcelain"]), "");
}

#[test]
fn a_manifest_with_conflict_markers_is_rebuilt() {
    let tmp = repo();
    let dir = tmp.path();
    // Two branches that both change a1: the manifest conflicts.
    git(dir, &["checkout", "-qb", "one"]);
    fs::write(dir.join("c.mcl"), source("a1.one", "a3.example")).expect("write");
    build(dir);
    git(dir, &["commit", "-qam", "one"]);
    git(dir, &["checkout", "-q", "main"]);
    fs::write(dir.join("c.mcl"), source("a1.main", "a3.example")).expect("write");
    build(dir);
    git(dir, &["commit", "-qam", "main"]);
    let merge = git_output(dir, &["merge", "-q", "--no-edit", "one"]);
    assert!(
        !merge.status.success(),
        "the same line changed on both sides"
    );
    let text = fs::read_to_string(dir.join("out/manifest.json")).expect("read");
    assert!(text.contains("<<<<<<< "), "{text}");
    fs::write(dir.join("c.mcl"), source("a1.merged", "a3.example")).expect("write");
    let (_, err) = expect(dir, &["build", "c.mcl", "--out", "out"], 0);
    assert!(
        err.contains("manifest.json had merge conflict markers; it was rebuilt"),
        "{err}"
    );
    assert_eq!(check(dir, 0), "");
}

#[test]
fn a_second_cluster_in_the_same_folder_is_refused() {
    let tmp = repo();
    let dir = tmp.path();
    fs::write(dir.join("dev.mcl"), base().replace("\"prod\"", "\"dev\"")).expect("write");
    let (_, err) = expect(dir, &["build", "dev.mcl", "--out", "out"], 2);
    assert!(
        err.contains("`out` holds the cluster `prod`, not the cluster `dev`"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(git(dir, &["status", "--porcelain"]), "?? dev.mcl\n");
    expect(dir, &["build", "dev.mcl", "--out", "out-dev"], 0);
    expect(dir, &["build", "--force", "dev.mcl", "--out", "out"], 0);
    assert!(
        fs::read_to_string(dir.join("out/manifest.json"))
            .expect("read")
            .contains("\"cluster\": \"dev\"")
    );
}
