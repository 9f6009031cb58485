//! Hostile and broken input, through the real `mesosc` binary: every case
//! ends in a clear diagnostic (a code or message) and its exit code, and
//! nothing is written into `--out` (nor anywhere else). Also: the writer's
//! all-or-nothing promise under real failures, two builds racing for one
//! folder, hand-edited output, the documented limits at their edges, and
//! every input that ever failed (tests/regressions/).
//!
//! Big inputs are made cheaply: the 100 MB file is sparse (`set_len`), and
//! nothing here takes more than a few seconds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use mesosc::files::MemoryFiles;
use miette::Diagnostic;

mod common;
use common::mutate;

/// A small valid cluster: three control nodes, four agents (32 files).
const BASE: &str = r#"# A small, valid cluster: three control nodes, four agents.
cluster "adversarial" {
  mesos = "1.11.0"
}

for n in 1..3 {
  host "master-${n}" {
    address = "10.0.0.${n}"
    roles   = [zookeeper, leader, marathon]
  }
}

for n in 1..4 {
  host "agent-${n}" {
    address = "10.0.1.${n}"
    roles   = [follower]
    follower {
      attributes { rack = "r${n % 2}" }
    }
  }
}

leader {
  flags {
    offer_timeout = 30secs
  }
}
"#;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Asserts the exit code and that stderr names `what` (a code or message).
    #[track_caller]
    fn expect(&self, code: i32, what: &str) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code; stderr:\n{}\nstdout:\n{}",
            self.stderr, self.stdout
        );
        assert!(
            self.stderr.contains(what),
            "stderr does not contain {what:?}:\n{}",
            self.stderr
        );
        self
    }
}

fn mesosc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mesosc"));
    cmd.env("NO_COLOR", "1").stdin(Stdio::null());
    cmd
}

/// `mesosc ARGS…` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Run {
    Run::from(mesosc().current_dir(dir).args(args).output().expect("runs"))
}

/// `mesosc build FILE --out out` in `dir`.
fn build(dir: &Path, file: &str) -> Run {
    run(dir, &["build", file, "--out", "out", "--color", "never"])
}

/// Builds `text` as `c.mcl` in a fresh folder: the run, and the folder.
fn build_text(text: impl AsRef<[u8]>) -> (Run, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::write(tmp.path().join("c.mcl"), text).expect("write");
    let run = build(tmp.path(), "c.mcl");
    (run, tmp)
}

/// Builds `text`, expecting exit `code` with `what` on stderr and no `out/`.
#[track_caller]
fn refused(text: impl AsRef<[u8]>, code: i32, what: &str) -> Run {
    let (run, tmp) = build_text(text);
    run.expect(code, what);
    assert!(
        !tmp.path().join("out").exists(),
        "nothing may be written:\n{}",
        run.stderr
    );
    let names: Vec<_> = fs::read_dir(tmp.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["c.mcl"], "nothing written beside the source either");
    run
}

/// Every entry below `dir`: content (`None` for folders and symlinks'
/// targets as text) and mode.
type Tree = BTreeMap<String, (Option<Vec<u8>>, u32)>;

fn tree(dir: &Path) -> Tree {
    fn go(dir: &Path, prefix: &str, out: &mut Tree) {
        use std::os::unix::fs::PermissionsExt;
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let e = e.expect("entry");
            let rel = format!("{prefix}{}", e.file_name().to_string_lossy());
            let meta = fs::symlink_metadata(e.path()).expect("meta");
            let mode = meta.permissions().mode() & 0o7777;
            if meta.file_type().is_symlink() {
                let target = fs::read_link(e.path()).expect("link");
                let text = target.to_string_lossy().into_owned().into_bytes();
                out.insert(format!("{rel}@"), (Some(text), 0));
            } else if meta.is_dir() {
                out.insert(format!("{rel}/"), (None, mode));
                go(&e.path(), &format!("{rel}/"), out);
            } else {
                out.insert(rel, (Some(fs::read(e.path()).expect("read")), mode));
            }
        }
    }
    let mut out = Tree::new();
    go(dir, "", &mut out);
    out
}

/// The text of `BASE` with one flag changed: the same files, of which the
/// leaders' env files (and the manifest) differ.
fn base_v2() -> String {
    BASE.replace("30secs", "45secs")
}

// ---------------------------------------------------------------------------
// Sanity: the base cluster is valid
// ---------------------------------------------------------------------------

#[test]
fn the_base_cluster_builds_cleanly() {
    let (run, tmp) = build_text(BASE);
    run.expect(0, "32 written");
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(
        tree(&tmp.path().join("out"))
            .keys()
            .filter(|k| !k.ends_with('/'))
            .count(),
        32
    );
}

// ---------------------------------------------------------------------------
// Nesting
// ---------------------------------------------------------------------------

#[test]
fn deep_nesting_of_every_bracket_is_too_deep() {
    const N: usize = 100_000;
    let cases = [
        ("[", format!("let x = {}", "[".repeat(N))),
        ("[…]", format!("let x = {}{}", "[".repeat(N), "]".repeat(N))),
        ("(", format!("let x = {}1", "(".repeat(N))),
        ("{", format!("leader {}", "{ a ".repeat(N))),
        (
            "{…}",
            format!("leader {}{}", "{ a ".repeat(N), "}".repeat(N)),
        ),
        ("-", format!("let x = {}1", "-".repeat(N))),
        ("${", format!("let x = {}", "\"${".repeat(N))),
        ("f(", format!("let x = {}", "env(".repeat(N))),
    ];
    for (what, text) in cases {
        let started = Instant::now();
        let run = refused(format!("{BASE}\n{text}\n"), 1, "mcl::syntax::too_deep");
        assert!(
            run.stderr.contains("nesting deeper than 128 levels"),
            "{what}: {}",
            run.stderr
        );
        let took = started.elapsed();
        assert!(took < Duration::from_secs(60), "{what}: took {took:?}");
    }
}

#[test]
fn nesting_limit_is_128_levels() {
    let list = |n: usize| format!("{BASE}\nlet x = {}1{}\n", "[".repeat(n), "]".repeat(n));
    let (ok, _tmp) = build_text(list(128));
    ok.expect(0, "Built");
    refused(list(129), 1, "mcl::syntax::too_deep");
}

// ---------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------

#[test]
fn a_100_mb_file_is_refused_with_the_size_limit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let big = fs::File::create(tmp.path().join("c.mcl")).expect("create");
    big.set_len(100 * 1024 * 1024).expect("sparse file");
    let run = build(tmp.path(), "c.mcl");
    run.expect(
        2,
        "it is 104857600 bytes; mesosc reads source files of at most 16 MiB",
    );
    assert!(run.stderr.contains("error: cannot read `c.mcl`"));
    assert!(!tmp.path().join("out").exists());
    run_in(tmp.path(), &["check", "c.mcl"]).expect(2, "at most 16 MiB");
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    run(dir, args)
}

#[test]
fn an_import_of_a_100_mb_file_is_a_diagnostic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::write(
        tmp.path().join("c.mcl"),
        format!("{BASE}\nimport \"big.mcl\"\n"),
    )
    .expect("write");
    let big = fs::File::create(tmp.path().join("big.mcl")).expect("create");
    big.set_len(100 * 1024 * 1024).expect("sparse file");
    build(tmp.path(), "c.mcl")
        .expect(1, "mcl::check::import_failed")
        .expect(1, "at most 16 MiB");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn source_size_limit_is_16_mib_exactly() {
    let limit = mesosc::files::MAX_FILE_SIZE as usize;
    assert_eq!(limit, 16 * 1024 * 1024);
    // A valid cluster padded with a comment to exactly the limit.
    let mut text = format!("{BASE}\n#");
    text.push_str(&"x".repeat(limit - text.len() - 1));
    text.push('\n');
    assert_eq!(text.len(), limit);
    let (run, _tmp) = build_text(&text);
    run.expect(0, "Built");
    text.push('\n');
    refused(&text, 2, "it is 16777217 bytes");
}

#[test]
fn a_10_mb_string_literal_is_bounded() {
    let payload = "a".repeat(10 * 1024 * 1024);
    let cases = [
        // Bound and unused: valid.
        (format!("{BASE}\nlet big = \"{payload}\"\n"), 0, "Checked"),
        // With escapes and `$` every few bytes.
        (
            format!(
                "{BASE}\nlet big = \"{}\"\n",
                "ab\\n$c".repeat(2 * 1024 * 1024)
            ),
            0,
            "Checked",
        ),
        // Never closed: the file ends inside it.
        (
            format!("{BASE}\nlet big = \"{payload}"),
            1,
            "mcl::syntax::unterminated_string",
        ),
        // Used as a host name: far too long for a DNS label.
        (
            format!("{BASE}\nhost \"{payload}\" {{ address = 10.9.9.9 roles = [follower] }}\n"),
            1,
            "mcl::check::invalid_host_name",
        ),
    ];
    for (i, (text, code, what)) in cases.into_iter().enumerate() {
        let tmp = tempfile::tempdir().expect("tempdir");
        fs::write(tmp.path().join("c.mcl"), &text).expect("write");
        let started = Instant::now();
        let run = run(tmp.path(), &["check", "c.mcl", "--color", "never"]);
        let took = started.elapsed();
        eprintln!("10 MB string, case {i}: {took:?}");
        run.expect(code, what);
        assert!(
            took < Duration::from_secs(60),
            "case {i} took {took:?}: not bounded"
        );
        // A report quotes a window of a long line, not all of it (it was
        // 26 MB and 20 s for the unterminated string, 37 MB for the name).
        assert!(
            run.stderr.len() < 16 * 1024,
            "case {i}: the report quotes the 10 MB line ({} bytes)",
            run.stderr.len()
        );
    }
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

#[test]
fn huge_integers_are_diagnosed() {
    let min = "(0 - 9223372036854775807 - 1)";
    let cases: Vec<(String, &str)> = vec![
        (
            "let n = 99999999999999999999999".into(),
            "mcl::syntax::number_too_large",
        ),
        (
            "let n = 9223372036854775808".into(),
            "integers are at most 9223372036854775807",
        ),
        (
            "let n = 9223372036854775807 + 1".into(),
            "mcl::check::overflow",
        ),
        (
            "let n = 9223372036854775807 * 2".into(),
            "mcl::check::overflow",
        ),
        (format!("let n = {min} - 1"), "mcl::check::overflow"),
        (format!("let n = -{min}"), "mcl::check::overflow"),
        (format!("let n = {min} / -1"), "mcl::check::overflow"),
        (format!("let n = {min} % -1"), "mcl::check::overflow"),
        ("let n = 1 / 0".into(), "mcl::check::division_by_zero"),
        ("let n = 1 % 0".into(), "mcl::check::division_by_zero"),
        (
            "let m = 99999999999999999TB".into(),
            "mcl::syntax::number_too_large",
        ),
        (
            "follower { flags { executor_registration_timeout = 99999999999999999999999days } }"
                .into(),
            "mcl::check::invalid_flag_value",
        ),
        (
            "for i in 1..9223372036854775807 { }".into(),
            "mcl::check::too_large",
        ),
        (
            format!("for i in {min}..9223372036854775807 {{ }}"),
            "mcl::check::too_large",
        ),
        (
            "let l = [1..9223372036854775807]".into(),
            "mcl::check::too_large",
        ),
        (
            "leader { port = 99999999999 }".into(),
            "must be between 1 and 65535",
        ),
        (
            "host \"x\" { address = \"10.0.0.${9223372036854775807}\" roles = [follower] }".into(),
            "mcl::check::invalid_address",
        ),
    ];
    for (text, what) in cases {
        let run = refused(format!("{BASE}\n{text}\n"), 1, what);
        assert!(!run.stderr.contains("panicked"), "{text}: {}", run.stderr);
    }
}

// ---------------------------------------------------------------------------
// Bytes: NUL, invalid UTF-8; and the valid variants BOM, CRLF, tabs
// ---------------------------------------------------------------------------

#[test]
fn nul_bytes_are_invalid_characters() {
    refused(
        format!("{BASE}\nleader {{ \0 }}\n"),
        1,
        "mcl::syntax::invalid_character",
    )
    .expect(1, "unexpected character '\\0'");
    refused(format!("\0{BASE}"), 1, "mcl::syntax::invalid_character");
    refused(
        format!("{BASE}\nhost \"a\0b\" {{ address = 10.0.9.1 roles = [follower] }}\n"),
        1,
        "mcl::check::invalid_host_name",
    );
}

#[test]
fn invalid_utf8_is_an_io_error() {
    let mut text = BASE.as_bytes().to_vec();
    let at = text.len();
    text.extend_from_slice(b"let s = \"\xff\xfe\"\n");
    let run = refused(&text, 2, "it is not valid UTF-8");
    run.expect(2, &format!("invalid byte at offset {}", at + 9));

    // In an imported file it is that import's diagnostic.
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::write(
        tmp.path().join("c.mcl"),
        format!("{BASE}\nimport \"bad.mcl\"\n"),
    )
    .expect("write");
    fs::write(tmp.path().join("bad.mcl"), b"let x = \"\xc3\x28\"\n").expect("write");
    build(tmp.path(), "c.mcl")
        .expect(1, "mcl::check::import_failed")
        .expect(1, "not valid UTF-8");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn bom_crlf_and_tabs_build_the_same_files() {
    let crlf = BASE.replace('\n', "\r\n");
    let tabs: String = BASE
        .lines()
        .map(|l| {
            let spaces = l.len() - l.trim_start_matches(' ').len();
            format!("{}{}\n", "\t".repeat(spaces / 2), &l[spaces..])
        })
        .collect();
    let all = format!("\u{feff}{}", tabs.replace('\n', "\r\n"));
    let variants = [
        ("bom", format!("\u{feff}{BASE}")),
        ("crlf", crlf),
        ("tabs", tabs),
        ("bom+crlf+tabs", all),
    ];
    let (plain, plain_dir) = build_text(BASE);
    plain.expect(0, "Built");
    let expected = tree(&plain_dir.path().join("out"));
    for (name, text) in variants {
        assert_ne!(text, BASE);
        let (run, dir) = build_text(&text);
        run.expect(0, "Built");
        assert!(!run.stderr.contains("warning"), "{name}: {}", run.stderr);
        let got = tree(&dir.path().join("out"));
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "{name}"
        );
        for (path, want) in &expected {
            let have = &got[path];
            // The manifest too: it holds nothing of the source bytes.
            assert_eq!(have, want, "{name}: {path} differs");
        }
        let checked = run_in(dir.path(), &["check", "c.mcl"]);
        checked.expect(0, "Checked c.mcl (7 hosts)");
    }
}

// ---------------------------------------------------------------------------
// Unterminated constructs at the end of the file
// ---------------------------------------------------------------------------

#[test]
fn unterminated_constructs_at_end_of_file() {
    let cases = [
        ("leader { port = \"5050", "mcl::syntax::unterminated_string"),
        ("let s = \"abc", "mcl::syntax::unterminated_string"),
        ("let s = \"abc\\", "mcl::syntax::unterminated_string"),
        ("let s = \"${1 + ", "mcl::syntax"),
        ("leader { port = 5050", "mcl::syntax::unclosed"),
        (
            "leader { flags { offer_timeout = 30secs",
            "mcl::syntax::unclosed",
        ),
        ("let l = [1, 2", "mcl::syntax::unclosed"),
        ("let p = (1 + 2", "mcl::syntax::unclosed"),
        ("for n in 1..3 { host \"h${n}\" {", "mcl::syntax::unclosed"),
        ("host", "mcl::syntax::unexpected"),
        ("let x =", "mcl::syntax::unexpected"),
        ("import", "mcl::syntax::unexpected"),
    ];
    for (tail, what) in cases {
        // Without a final newline: the file ends right there.
        let run = refused(format!("{BASE}\n{tail}"), 1, what);
        assert!(
            run.stderr.contains("c.mcl:"),
            "{tail}: the report points into the file\n{}",
            run.stderr
        );
    }
}

// ---------------------------------------------------------------------------
// Imports
// ---------------------------------------------------------------------------

fn with_import(path: &str) -> String {
    format!("{BASE}\nimport \"{path}\"\n")
}

#[test]
fn imports_of_a_directory_a_missing_file_and_itself() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    fs::create_dir(dir.join("folder.mcl")).expect("mkdir");
    let cases = [
        ("folder.mcl", "it is a directory, not a file"),
        (
            "missing.mcl",
            "import paths are relative to the importing file",
        ),
        ("c.mcl", "mcl::check::import_cycle"),
        ("./c.mcl", "mcl::check::import_cycle"),
        ("sub/../c.mcl", "mcl::check::import_cycle"),
        ("", "cannot import ``: No such file or directory"),
        ("/", "it is a directory, not a file"),
    ];
    for (path, what) in cases {
        fs::write(dir.join("c.mcl"), with_import(path)).expect("write");
        let run = build(dir, "c.mcl");
        run.expect(1, what);
        assert!(!dir.join("out").exists(), "{path}");
    }
    // A cycle through two files names the chain.
    fs::write(dir.join("c.mcl"), with_import("a.mcl")).expect("write");
    fs::write(dir.join("a.mcl"), "import \"c.mcl\"\n").expect("write");
    build(dir, "c.mcl").expect(1, "import cycle: c.mcl → a.mcl → c.mcl");
}

/// Writes `chain/0.mcl` … `chain/{n-1}.mcl`, each importing the next, the
/// last importing nothing; `c.mcl` imports the first.
fn import_chain(dir: &Path, n: usize) {
    fs::create_dir_all(dir.join("chain")).expect("mkdir");
    for i in 0..n {
        let text = if i + 1 < n {
            format!("import \"{}.mcl\"\nlet v{i} = {i}\n", i + 1)
        } else {
            format!("let v{i} = {i}\n")
        };
        fs::write(dir.join(format!("chain/{i}.mcl")), text).expect("write");
    }
    fs::write(dir.join("c.mcl"), with_import("chain/0.mcl")).expect("write");
}

#[test]
fn a_1000_file_import_chain_is_too_deep_not_a_stack_overflow() {
    let tmp = tempfile::tempdir().expect("tempdir");
    import_chain(tmp.path(), 1000);
    let run = build(tmp.path(), "c.mcl");
    run.expect(1, "mcl::check::too_large").expect(
        1,
        "the import chain is too large (65 items; the limit is 64)",
    );
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn import_chain_limit_is_64_files_deep() {
    let tmp = tempfile::tempdir().expect("tempdir");
    import_chain(tmp.path(), 64);
    build(tmp.path(), "c.mcl").expect(0, "Built");
    let tmp = tempfile::tempdir().expect("tempdir");
    import_chain(tmp.path(), 65);
    build(tmp.path(), "c.mcl").expect(1, "mcl::check::too_large");
}

// ---------------------------------------------------------------------------
// Names and paths that try to leave the output folder
// ---------------------------------------------------------------------------

/// Builds `extra` after `BASE` in `root/work/`, with a folder `root/etc`
/// that a path escaping `out/` would reach: it must stay empty.
#[track_caller]
fn escape_attempt(extra: &str, what: &str) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let work = tmp.path().join("work");
    fs::create_dir_all(&work).expect("mkdir");
    fs::create_dir_all(tmp.path().join("etc")).expect("mkdir");
    fs::write(work.join("c.mcl"), format!("{BASE}\n{extra}\n")).expect("write");
    let run = build(&work, "c.mcl");
    run.expect(1, what);
    assert!(!work.join("out").exists(), "{extra}: out/ was written");
    assert_eq!(
        tree(tmp.path()).keys().collect::<Vec<_>>(),
        ["etc/", "work/", "work/c.mcl"],
        "{extra}: something was written"
    );
}

#[test]
fn host_names_cannot_leave_the_output_folder() {
    for name in [
        "..",
        ".",
        "../../etc",
        "../etc",
        "a/../../etc",
        "/etc",
        "/",
        "a/b",
        "a\\\\b",
        "a\\u{0}b",
        "\\u{0}",
        "${\"..\"}",
        "${\"../\"}etc",
        "C:\\\\Windows",
        "",
        "-",
        ".hidden",
        "a\\nb",
    ] {
        escape_attempt(
            &format!("host \"{name}\" {{ address = 10.0.9.9  roles = [follower] }}"),
            "mcl::check::invalid_host_name",
        );
    }
}

#[test]
fn service_names_cannot_leave_the_output_folder() {
    for name in [
        "..",
        "../../etc/passwd",
        "/etc/evil",
        "a/b",
        ".hidden",
        "a\\u{0}b",
        "a\\nb",
        "",
        "${\"../x\"}",
    ] {
        escape_attempt(
            &format!("service \"{name}\" {{ on = [agent-1]  exec = \"/bin/true\" }}"),
            "cannot be a unit name",
        );
    }
}

#[test]
fn zookeeper_work_dir_cannot_leave_the_output_folder() {
    for dir in ["/../../../etc", "/var/../../etc", "/var/lib/zk/.."] {
        escape_attempt(
            &format!("zookeeper {{ work_dir = \"{dir}\" }}"),
            "mcl::check::invalid_value",
        );
    }
    for dir in ["/var/lib/zk\\n", "/var/lib/\\u{0}zk"] {
        escape_attempt(
            &format!("zookeeper {{ work_dir = \"{dir}\" }}"),
            "mcl::check::unwritable_value",
        );
    }
    // myid goes into the work_dir: one that names a generated file would
    // make that file a folder too.
    for dir in [
        "/etc/zookeeper/zoo.cfg",
        "/etc/systemd/system/zookeeper.service",
        "/etc/mesos/master.env",
    ] {
        escape_attempt(&format!("zookeeper {{ work_dir = \"{dir}\" }}"), "myid");
    }
}

// ---------------------------------------------------------------------------
// Unusable output folders
// ---------------------------------------------------------------------------

fn source_dir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::write(tmp.path().join("c.mcl"), BASE).expect("write");
    tmp
}

fn build_into(dir: &Path, out: &Path) -> Run {
    let out = out.to_str().expect("utf-8 path");
    run(dir, &["build", "c.mcl", "--out", out, "--color", "never"])
}

#[test]
fn out_pointing_at_a_file_is_refused() {
    let tmp = source_dir();
    let file = tmp.path().join("out");
    fs::write(&file, "mine").expect("write");
    build_into(tmp.path(), &file).expect(2, "is not a directory");
    assert_eq!(fs::read_to_string(&file).expect("read"), "mine");
}

#[test]
fn out_pointing_at_a_symlink_is_refused() {
    let tmp = source_dir();
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("mkdir");
    let link = tmp.path().join("out");
    std::os::unix::fs::symlink(&elsewhere, &link).expect("symlink");
    build_into(tmp.path(), &link).expect(2, "is a symbolic link");
    assert_eq!(fs::read_dir(&elsewhere).expect("list").count(), 0);

    // A symlink below out/, on the way to a generated file.
    let out = tmp.path().join("real-out");
    fs::create_dir_all(out.join("hosts")).expect("mkdir");
    std::os::unix::fs::symlink(&elsewhere, out.join("hosts/agent-1")).expect("symlink");
    build_into(tmp.path(), &out).expect(2, "is a symbolic link");
    assert_eq!(fs::read_dir(&elsewhere).expect("list").count(), 0);
    assert_eq!(
        tree(&out).keys().collect::<Vec<_>>(),
        ["hosts/", "hosts/agent-1@"]
    );
}

/// Makes a folder unwritable for the duration: mode 0555, and where the
/// process is root (which ignores modes) the immutable attribute as well.
/// `None` when neither can keep this process out.
struct ReadOnly(PathBuf, bool);

impl ReadOnly {
    fn new(dir: &Path) -> Option<ReadOnly> {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).expect("chmod");
        let probe = dir.join(".probe");
        if fs::write(&probe, "").is_err() {
            return Some(ReadOnly(dir.to_path_buf(), false));
        }
        fs::remove_file(&probe).expect("remove probe");
        // Root: file modes do not apply; `chattr +i` does (on ext4, xfs…).
        let immutable = Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let guard = ReadOnly(dir.to_path_buf(), immutable);
        if fs::write(&probe, "").is_ok() {
            let _ = fs::remove_file(&probe);
            return None;
        }
        Some(guard)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.1 {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        }
        let _ = fs::set_permissions(&self.0, fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn out_in_a_read_only_folder_fails_cleanly() {
    let tmp = source_dir();
    let out = tmp.path().join("out");
    fs::create_dir(&out).expect("mkdir");
    let Some(guard) = ReadOnly::new(&out) else {
        eprintln!(
            "skipped: running as root without `chattr +i`, nothing can make a folder read-only \
             here; the writer's own failure tests (a_failure_midway_*) cover the rollback"
        );
        return;
    };
    let run = build_into(tmp.path(), &out);
    run.expect(2, "cannot create");
    assert!(run.stderr.contains(".mesosc.lock"), "{}", run.stderr);
    drop(guard);
    assert_eq!(fs::read_dir(&out).expect("list").count(), 0);

    // A read-only folder above a new out/: it cannot be created.
    let parent = tmp.path().join("parent");
    fs::create_dir(&parent).expect("mkdir");
    let guard = ReadOnly::new(&parent).expect("as above");
    build_into(tmp.path(), &parent.join("out")).expect(2, "cannot create");
    drop(guard);
    assert_eq!(fs::read_dir(&parent).expect("list").count(), 0);
}

// ---------------------------------------------------------------------------
// Writer faults: out/ is all or nothing
// ---------------------------------------------------------------------------

/// A folder with `BASE` built into `out/`, the source then changed to
/// `base_v2()`; returns it and the tree before the second build.
fn built_then_changed() -> (tempfile::TempDir, Tree) {
    let tmp = source_dir();
    build(tmp.path(), "c.mcl").expect(0, "32 written");
    fs::write(tmp.path().join("c.mcl"), base_v2()).expect("write");
    fs::write(tmp.path().join("out/NOTES.txt"), "mine\n").expect("write");
    let before = tree(&tmp.path().join("out"));
    (tmp, before)
}

#[test]
fn folders_at_the_old_temporary_names_are_left_alone() {
    // mesosc's temporary files once had fixed names, so a folder planted at
    // one failed the build; each build's names now carry its nonce, and a
    // user's `.X.mesosc-tmp` is theirs: kept, and reported.
    let (tmp, _) = built_then_changed();
    let out = tmp.path().join("out");
    fs::create_dir(out.join(".manifest.json.mesosc-tmp")).expect("mkdir");
    fs::create_dir(out.join("hosts/master-2/etc/mesos/.master.env.mesosc-tmp")).expect("mkdir");
    let run = build(tmp.path(), "c.mcl");
    run.expect(
        0,
        "note: `.manifest.json.mesosc-tmp/` was not written by mesosc; left alone",
    );
    assert!(out.join(".manifest.json.mesosc-tmp").is_dir());
    assert!(
        out.join("hosts/master-2/etc/mesos/.master.env.mesosc-tmp")
            .is_dir()
    );
}

#[test]
fn a_failure_midway_leaves_out_as_it_was_file_too_large() {
    // RLIMIT_FSIZE (which binds root too): every file over 4 KiB fails with
    // EFBIG, as a full disk would with ENOSPC. The changed env files are
    // small and get written; the manifest (8 KiB) fails, so all is undone.
    let (tmp, before) = built_then_changed();
    let out = tmp.path().join("out");
    let script = "trap '' XFSZ; ulimit -f 4; exec \"$0\" \"$@\"";
    let output = Command::new("bash")
        .args(["-c", script, env!("CARGO_BIN_EXE_mesosc")])
        .args(["build", "c.mcl", "--out", "out", "--color", "never"])
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let run = Run::from(output);
    run.expect(2, "cannot write `out/manifest.json`")
        .expect(2, "File too large");
    assert_eq!(tree(&out), before, "out/ is byte for byte as it was");
    // Without the limit the same build succeeds.
    build(tmp.path(), "c.mcl").expect(0, "4 written");
}

#[test]
fn a_folder_or_a_foreign_file_in_the_way_changes_nothing() {
    // A folder where a generated file goes.
    let (tmp, _) = built_then_changed();
    let out = tmp.path().join("out");
    fs::remove_file(out.join("hosts/master-1/etc/mesos/master.env")).expect("rm");
    fs::create_dir(out.join("hosts/master-1/etc/mesos/master.env")).expect("mkdir");
    let before = tree(&out);
    build(tmp.path(), "c.mcl")
        .expect(2, "would overwrite files mesosc did not write")
        .expect(2, "hosts/master-1/etc/mesos/master.env");
    assert_eq!(tree(&out), before);

    // A file where a generated folder goes.
    let (tmp, _) = built_then_changed();
    let out = tmp.path().join("out");
    fs::remove_dir_all(out.join("hosts/agent-4")).expect("rm");
    fs::write(out.join("hosts/agent-4"), "in the way").expect("write");
    let before = tree(&out);
    build(tmp.path(), "c.mcl").expect(2, "hosts/agent-4");
    assert_eq!(tree(&out), before);
}

// ---------------------------------------------------------------------------
// Two builds at once
// ---------------------------------------------------------------------------

fn spawn_build(dir: &Path, file: &str) -> Child {
    mesosc()
        .current_dir(dir)
        .args(["build", file, "--out", "out", "--color", "never"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns")
}

#[test]
fn two_builds_at_once_never_interleave() {
    // Two sources that share most paths but differ in content and in files.
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let a = BASE.replace("1..4 {", "1..12 {");
    let b = base_v2().replace("for n in 1..3", "for n in 1..5");
    fs::write(dir.join("a.mcl"), &a).expect("write");
    fs::write(dir.join("b.mcl"), &b).expect("write");
    // The tree each would write alone.
    let expected = |name: &str, text: &str| {
        let d = tempfile::tempdir().expect("tempdir");
        fs::write(d.path().join(name), text).expect("write");
        build(d.path(), name).expect(0, "Built");
        tree(&d.path().join("out"))
    };
    let (tree_a, tree_b) = (expected("a.mcl", &a), expected("b.mcl", &b));
    let lock_message = "error: another mesosc build is writing this folder (it holds `out/.mesosc.lock`)\n\
         help: wait for it to finish; the lock of a build that was killed is taken over by the next build";
    const ROUNDS: usize = 12;
    let (mut overlapped, mut both_ran) = (0, 0);
    for round in 0..ROUNDS {
        let out = dir.join("out");
        if round % 2 == 0 {
            let _ = fs::remove_dir_all(&out); // half the rounds race to create out/
        }
        let (first, second) = if round % 4 < 2 {
            ("a.mcl", "b.mcl")
        } else {
            ("b.mcl", "a.mcl")
        };
        let p = spawn_build(dir, first);
        let q = spawn_build(dir, second);
        let runs = [
            Run::from(p.wait_with_output().expect("waits")),
            Run::from(q.wait_with_output().expect("waits")),
        ];
        for r in &runs {
            match r.code {
                0 => assert!(r.stderr.contains("Built"), "round {round}: {}", r.stderr),
                2 => {
                    assert_eq!(
                        r.stderr.trim_end(),
                        lock_message,
                        "round {round}: the loser says exactly that"
                    );
                    overlapped += 1;
                }
                _ => panic!("round {round}: exit {}: {}", r.code, r.stderr),
            }
        }
        assert!(
            runs.iter().any(|r| r.code == 0),
            "round {round}: someone wins"
        );
        both_ran += usize::from(runs.iter().all(|r| r.code == 0));
        let got = tree(&out);
        assert!(
            got == tree_a || got == tree_b,
            "round {round}: out/ is a mix of both builds: {:?}",
            got.keys()
                .filter(|k| tree_a.get(*k) != got.get(*k) && tree_b.get(*k) != got.get(*k))
                .collect::<Vec<_>>()
        );
    }
    eprintln!("{ROUNDS} rounds: {overlapped} lost the lock, {both_ran} ran one after the other");
}

#[test]
fn builds_racing_to_create_a_missing_out_all_meet_the_lock() {
    // Each round, four builds start at once into an out/ whose parents do
    // not exist yet. Creating them raced: a build could fail with "cannot
    // create `race`: File exists" (1 run in 360) instead of the lock.
    let tmp = source_dir();
    let dir = tmp.path();
    let lock = "error: another mesosc build is writing this folder (it holds `race/a/b/c/out/.mesosc.lock`)\n\
         help: wait for it to finish; the lock of a build that was killed is taken over by the next build";
    for round in 0..8 {
        let _ = fs::remove_dir_all(dir.join("race"));
        let children: Vec<Child> = (0..4)
            .map(|_| {
                mesosc()
                    .current_dir(dir)
                    .args([
                        "build",
                        "c.mcl",
                        "--out",
                        "race/a/b/c/out",
                        "--color",
                        "never",
                    ])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawns")
            })
            .collect();
        let runs: Vec<Run> = children
            .into_iter()
            .map(|c| Run::from(c.wait_with_output().expect("waits")))
            .collect();
        for r in &runs {
            assert!(
                r.code == 0 || (r.code == 2 && r.stderr.trim_end() == lock),
                "round {round}: exit {}: {}",
                r.code,
                r.stderr
            );
        }
        assert!(runs.iter().any(|r| r.code == 0), "round {round}");
    }
}

// ---------------------------------------------------------------------------
// Hand-edited output
// ---------------------------------------------------------------------------

#[test]
fn a_hand_edited_file_is_reported_before_it_is_overwritten() {
    let tmp = source_dir();
    let dir = tmp.path();
    build(dir, "c.mcl").expect(0, "32 written");
    let edited = "hosts/agent-2/etc/mesos/agent.env";
    let path = dir.join("out").join(edited);
    let original = fs::read_to_string(&path).expect("read");
    fs::write(&path, format!("{original}MESOS_HAND_EDIT=1\n")).expect("write");

    // --check and diff name it, and change nothing.
    let check = run(dir, &["build", "c.mcl", "--out", "out", "--check"]);
    check.expect(3, "is out of date: 1 file differs");
    assert_eq!(check.stdout, format!("differs: {edited}\n"));
    let diff = run(dir, &["diff", "c.mcl", "--out", "out"]);
    assert_eq!(diff.code, 0);
    assert!(
        diff.stdout.contains("-MESOS_HAND_EDIT=1"),
        "{}",
        diff.stdout
    );
    assert!(
        fs::read_to_string(&path)
            .expect("read")
            .contains("HAND_EDIT")
    );

    // A build says so, and puts the generated file back.
    build(dir, "c.mcl")
        .expect(
            0,
            &format!("warning: `{edited}` had been edited by hand; mesosc replaced it"),
        )
        .expect(0, "1 written, 31 unchanged");
    assert_eq!(fs::read_to_string(&path).expect("read"), original);
}

// ---------------------------------------------------------------------------
// Expansion limits
// ---------------------------------------------------------------------------

#[test]
fn expansion_limit_is_1_000_000() {
    // An iteration costs one plus the items and entries of its body, so a
    // million empty iterations (less what BASE's own loops spent) pass, and a
    // loop of large host blocks stops early.
    let ok = [
        "for i in 1..900000 { }",
        "for i in 1..400000 { }\nfor j in 1..400000 { }",
        "let l = [1..1000000]",
    ];
    for text in ok {
        let (run, _tmp) = build_text(format!("{BASE}\n{text}\n"));
        run.expect(0, "Built");
    }
    let attributes: String = (0..100).map(|i| format!("k{i} = \"v\"\n")).collect();
    let heavy = format!(
        "for i in 1..20000 {{ host \"h${{i}}\" {{ address = \"10.0.0.1\"  roles = [follower]  follower {{ attributes {{ {attributes} }} }} }} }}"
    );
    let too_many = [
        (
            "for i in 1..1000001 { }".to_string(),
            "is too large (1000001",
        ),
        (
            "let l = [1..1000001]".to_string(),
            "this list is too large (1000001 items; the limit is 1000000)",
        ),
        (
            "let l = [1..1000000, 1..1000000]".to_string(),
            "this list is too large (2000000 items",
        ),
        (
            "for i in 1..600000 { }\nfor j in 1..600000 { }".to_string(),
            "mcl::check::too_large",
        ),
        (
            "for i in 1..1000 { for j in 1..1000 { } }".to_string(),
            "mcl::check::too_large",
        ),
        (heavy, "mcl::check::too_large"),
    ];
    for (text, what) in too_many {
        refused(format!("{BASE}\n{text}\n"), 1, what);
    }
}

// ---------------------------------------------------------------------------
// Mutated examples through the whole pipeline (tests/robust.rs stops at the
// check; this goes on through plan and emit)
// ---------------------------------------------------------------------------

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    #[test]
    fn mutated_examples_go_through_plan_and_emit(
        which in 0usize..4,
        at in 0usize..4000,
        len in 0usize..24,
        kind in 0u8..3,
        insert in "[{}\\[\\]\"$=a-z0-9 ./\\n-]{0,8}",
    ) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let name = ["thegrid", "single", "owca", "coreos-ha"][which];
        let base = fs::read_to_string(root.join(format!("examples/{name}.mcl"))).expect("example");
        let text = mutate(&base, at, len, kind, &insert);
        replay("mutation", text.as_bytes());
    }
}

// ---------------------------------------------------------------------------
// Regressions: every input that ever failed, replayed
// ---------------------------------------------------------------------------

/// The fuzzer's fixed imports (fuzz/imports/ and examples/common.mcl), so a
/// regression found by `scripts/fuzz` replays as it failed.
fn fuzz_files() -> MemoryFiles {
    let mut files = MemoryFiles::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    files.insert(
        "common.mcl",
        fs::read_to_string(root.join("examples/common.mcl")).expect("read"),
    );
    for rel in [
        "lib.mcl",
        "nested/more.mcl",
        "self.mcl",
        "cycle/a.mcl",
        "cycle/b.mcl",
        "broken.mcl",
    ] {
        let text = fs::read_to_string(root.join("fuzz/imports").join(rel)).expect("read");
        files.insert(rel, text);
    }
    for i in 0..70 {
        files.insert(
            format!("chain/{i}.mcl"),
            format!("import \"{}.mcl\"\nlet chain_{i} = {i}\n", i + 1),
        );
    }
    files.insert("chain/70.mcl", "let chain_end = 1\n");
    files
}

/// What the fuzz target asserts, for one input.
fn replay(name: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let env = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# env: "))
        .map(|e| e.trim().to_owned());
    let options = mesosc::Options {
        env,
        ..mesosc::Options::default()
    };
    let mut files = fuzz_files();
    files.insert("main.mcl", text.as_ref());
    let vars = |name: &str| match name {
        "HOME" => Some("/home/ops".to_owned()),
        "ZK_HOST" => Some("10.0.0.9".to_owned()),
        "EMPTY" => Some(String::new()),
        "NEWLINE" => Some("a\nb".to_owned()),
        _ => None,
    };
    let built = mesosc::compile(Path::new("main.mcl"), &files, &vars, &options).expect("in memory");
    let checked = &built.checked;
    for d in checked.diagnostics.iter() {
        for label in d.labels().into_iter().flatten() {
            let (start, end) = (label.offset() as u32, (label.offset() + label.len()) as u32);
            assert!(
                checked.sources.file_of(start).is_some() && checked.sources.file_of(end).is_some(),
                "{name}: label outside the sources: {d:?}"
            );
        }
        let _ = mesosc::diagnostic::render(d, &checked.sources, 80, false);
        let _ = mesosc::diagnostic::render(d, &checked.sources, 24, true);
    }
    let errors = checked.diagnostics.error_count();
    match &built.files {
        None => assert!(errors > 0, "{name}: no files and no error says why"),
        Some(out) => {
            assert_eq!(errors, 0, "{name}: files despite errors");
            for path in out.keys() {
                let plain = !path.starts_with('/')
                    && !path.contains(['\\', '\0'])
                    && path
                        .split('/')
                        .all(|c| !c.is_empty() && c != "." && c != "..");
                assert!(plain, "{name}: unwritable path {path:?}");
                let mut dir = path.as_str();
                while let Some((parent, _)) = dir.rsplit_once('/') {
                    assert!(
                        !out.contains_key(parent),
                        "{name}: {parent} is a file and a folder"
                    );
                    dir = parent;
                }
            }
        }
    }
}

#[test]
fn every_regression_input_replays_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut count = 0;
    let mut entries: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/regressions exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "mcl"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let bytes = fs::read(&path).expect("read");
        let started = Instant::now();
        replay(&name, &bytes);
        let took = started.elapsed();
        // A guard against a hang, not a timing goal (those live in
        // scripts/bench): each input runs in well under a second alone, but
        // a loaded CI machine must not fail it.
        assert!(
            took < Duration::from_secs(60),
            "{name}: took {took:?}, as if it hung"
        );
        count += 1;
    }
    assert!(count > 0, "no regression inputs found in {}", dir.display());
}
