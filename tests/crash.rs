//! Crash recovery (issue 23, item 6): a 1,000-host build is killed with
//! SIGKILL at about 50 points in each phase (a fresh build, an update of
//! every follower, the removal of half of them), and after each kill one
//! plain `mesosc build` must leave exactly the tree a clean build leaves
//! (every file, byte and mode, every folder, no lock, journal, temporary
//! file or backup), and the check must agree.
//!
//! The kill is deterministic: debug builds of mesosc read
//! `MESOSC_TEST_KILL_AFTER=N` and SIGKILL themselves before the Nth change
//! of the output folder (see `write` in `src/cli.rs`). The check after
//! each kill is `mesosc::output::check` in this process, with the files
//! rendered once (what `build --check` runs, without rendering 150 times);
//! the binary's `build --check` runs once a phase.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::{Command, Output};

/// Kill points in each phase: 50, or `MESOSC_CRASH_POINTS` (a quicker
/// local run).
fn points() -> usize {
    std::env::var("MESOSC_CRASH_POINTS")
        .ok()
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 2)
        .unwrap_or(50)
}

/// Three leaders and `followers` followers whose host names end in `tag`.
fn source(followers: usize, tag: &str) -> String {
    let mut text = String::from("cluster \"big\" { mesos = \"1.11.0\" }\n");
    text.push_str(
        "for n in 1..3 {\n  host \"m${n}\" { address = \"10.0.0.${n}\"  roles = [zookeeper, leader] }\n}\n",
    );
    text.push_str(&format!(
        "for n in 1..{followers} {{\n  host \"a${{n}}\" {{\n    address = \"10.1.${{n / 250}}.${{n % 250 + 1}}\"\n    \
         roles = [follower]\n    follower {{ flags {{ hostname = \"a${{n}}.{tag}\" }} }}\n  }}\n}}\n"
    ));
    text
}

/// Runs mesosc in `src` (which holds `c.mcl`) on the output folder `out`.
fn mesosc(src: &Path, out: &Path, extra: &[&str], kill_after: Option<usize>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mesosc"));
    cmd.current_dir(src)
        .arg("build")
        .arg("c.mcl")
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", src.join("cache"));
    if let Some(n) = kill_after {
        cmd.env("MESOSC_TEST_KILL_AFTER", n.to_string());
    }
    cmd.output().expect("runs")
}

/// Every entry below `dir`: a file's bytes and mode, or `None` for a folder.
type Tree = BTreeMap<String, Option<(Vec<u8>, u32)>>;

fn tree(dir: &Path) -> Tree {
    fn go(dir: &Path, prefix: &str, out: &mut Tree) {
        for e in fs::read_dir(dir).expect("list") {
            let e = e.expect("entry");
            let rel = format!("{prefix}{}", e.file_name().to_string_lossy());
            let meta = fs::symlink_metadata(e.path()).expect("meta");
            if meta.is_dir() {
                out.insert(format!("{rel}/"), None);
                go(&e.path(), &format!("{rel}/"), out);
            } else {
                let mode = meta.permissions().mode() & 0o7777;
                out.insert(rel, Some((fs::read(e.path()).expect("read"), mode)));
            }
        }
    }
    let mut out = Tree::new();
    go(dir, "", &mut out);
    out
}

/// Writes `tree` into the empty or missing folder `dir`.
fn plant(tree: &Tree, dir: &Path) {
    fs::create_dir_all(dir).expect("mkdir");
    for (path, entry) in tree {
        match entry {
            None => fs::create_dir_all(dir.join(path)).expect("mkdir"),
            Some((bytes, mode)) => {
                let p = dir.join(path);
                fs::write(&p, bytes).expect("write");
                fs::set_permissions(&p, fs::Permissions::from_mode(*mode)).expect("chmod");
            }
        }
    }
}

/// How many changes a build makes from `from` to `to` (each file written or
/// removed is one change of the writer, the manifest included).
fn changes(from: &Tree, to: &Tree) -> usize {
    let written = to
        .iter()
        .filter(|(p, e)| e.is_some() && from.get(*p) != Some(e))
        .count();
    let removed = from
        .iter()
        .filter(|(p, e)| e.is_some() && !to.contains_key(*p))
        .count();
    written + removed
}

/// One version of the cluster: its source folder, its clean tree, and the
/// files a build renders (for the in-process check).
struct Version {
    src: tempfile::TempDir,
    clean: Tree,
    files: mesosc::emit::FileSet,
}

fn version(followers: usize, tag: &str) -> Version {
    let src = tempfile::tempdir().expect("tempdir");
    fs::write(src.path().join("c.mcl"), source(followers, tag)).expect("write");
    let out = src.path().join("clean");
    let o = mesosc(src.path(), &out, &[], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let unset = |_: &str| None;
    let built = mesosc::compile(
        &src.path().join("c.mcl"),
        &mesosc::files::DiskFiles,
        &unset,
        &Default::default(),
    )
    .expect("compiles");
    let files = built.files.expect("no errors, so files");
    Version {
        clean: tree(&out),
        src,
        files,
    }
}

/// Where the killed builds write: a RAM file system when there is one. The
/// test kills processes, it does not cut power, so what a build syncs is
/// on the RAM file system exactly as on a disk for every later reader; and
/// the syncs of 150 killed and 150 finished 1,000-host builds were most of
/// the test's time on a disk (sources stay on disk: mesosc refuses to read
/// a source under `/dev`).
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    shm.is_dir()
        .then(|| tempfile::tempdir_in(shm).ok())
        .flatten()
        .unwrap_or_else(|| tempfile::tempdir().expect("tempdir"))
}

/// Kills the build of `to` into a folder holding `from` (or nothing) at
/// about [`points`] points, and checks what one plain build makes of each.
fn phase(name: &str, from: Option<&Tree>, to: &Version) {
    let empty = Tree::new();
    let total = changes(from.unwrap_or(&empty), &to.clean);
    assert!(total > 200, "{name}: {total} changes");
    let scratch = scratch();
    let out = scratch.path().join(format!("out-{name}"));
    let points = points();
    let started = std::time::Instant::now();
    for i in 0..points {
        let n = 1 + i * (total - 1) / (points - 1);
        let _ = fs::remove_dir_all(&out);
        if let Some(from) = from {
            plant(from, &out);
        }
        let killed = mesosc(to.src.path(), &out, &[], Some(n));
        assert_eq!(
            killed.status.signal(),
            Some(9),
            "{name}: killed before change {n} of {total}: {}",
            String::from_utf8_lossy(&killed.stderr)
        );
        let again = mesosc(to.src.path(), &out, &[], None);
        let said = String::from_utf8_lossy(&again.stderr);
        assert!(again.status.success(), "{name}, kill at {n}: {said}");
        assert!(
            !said.contains("edited by hand"),
            "{name}, kill at {n}: {said}"
        );
        let got = tree(&out);
        if got != to.clean {
            let differ: Vec<&String> = (got.keys().chain(to.clean.keys()))
                .filter(|p| got.get(*p) != to.clean.get(*p))
                .collect();
            panic!("{name}, kill at {n} of {total}: not the clean tree: {differ:?}");
        }
        let drift = mesosc::output::check(&out, &to.files).expect("checks");
        assert!(drift.is_empty(), "{name}, kill at {n}: {drift:?}");
    }
    let check = mesosc(to.src.path(), &out, &["--check"], None);
    assert_eq!(check.status.code(), Some(0), "{name}: build --check agrees");
    eprintln!(
        "{name}: {points} kills of {total} changes in {:?}",
        started.elapsed()
    );
}

#[test]
fn a_build_killed_anywhere_is_finished_by_the_next_build() {
    // The three phases run side by side: most of each step is a process
    // waiting on the file system, so the cores are shared well.
    let (v1, v2, v3) = std::thread::scope(|s| {
        let v2 = s.spawn(|| version(1000, "v2"));
        let v3 = s.spawn(|| version(500, "v1"));
        let v1 = version(1000, "v1");
        (v1, v2.join().expect("v2"), v3.join().expect("v3"))
    });
    std::thread::scope(|s| {
        let update = s.spawn(|| phase("update", Some(&v1.clean), &v2));
        let removal = s.spawn(|| phase("removal", Some(&v1.clean), &v3));
        phase("fresh", None, &v1);
        update.join().expect("the update phase");
        removal.join().expect("the removal phase");
    });
}
