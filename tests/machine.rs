//! The command line for scripts: with `--message-format json` standard
//! output carries only JSON lines, each with a `type`, for every command that
//! takes the flag; exit codes 0 / 1 / 2 / 3; `-` reads standard input;
//! `mesosc.toml` runs every cluster it lists.

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const GOOD: &str = r#"cluster "c" { mesos = "1.11.0" }
host "m1" { address = "10.0.0.1"  roles = [zookeeper, leader, marathon] }
host "a1" { address = "10.0.0.2"  roles = [follower] }
"#;

const BAD: &str = "cluster \"c\" { mesos = \"1.11.0\" }\nhost \"m1\" { address = \"10.0.0.1\"  roles = [leadr] }\n";

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mesosc runs");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("mesosc ends")
}

/// Every line of standard output is a JSON object with a string `type`;
/// returns the types in order, without the `diagnostic` lines (the cluster
/// of these tests has one leader, a warning).
fn json_types(o: &Output) -> Vec<String> {
    let text = String::from_utf8(o.stdout.clone()).expect("UTF-8");
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}\nall: {text}"));
            v["type"]
                .as_str()
                .unwrap_or_else(|| panic!("no type: {line}"))
                .to_owned()
        })
        .filter(|t| t != "diagnostic")
        .collect()
}

fn setup() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::write(tmp.path().join("c.mcl"), GOOD).expect("write");
    fs::write(tmp.path().join("bad.mcl"), BAD).expect("write");
    tmp
}

#[test]
fn every_command_with_the_flag_prints_only_json() {
    let tmp = setup();
    let dir = tmp.path();
    let j = ["--message-format", "json"];
    let cases: Vec<(Vec<&str>, i32, &[&str])> = vec![
        (vec!["check", "c.mcl"], 0, &["summary"]),
        (vec!["check", "bad.mcl"], 1, &["summary"]),
        (
            vec!["plan", "c.mcl"],
            0,
            &["summary", "wave", "wave", "wave"],
        ),
        (vec!["graph", "c.mcl"], 0, &["summary", "graph"]),
        (vec!["diff", "c.mcl"], 0, &["summary"]),
        (vec!["build", "--check", "c.mcl"], 3, &["summary"]),
        (vec!["build", "c.mcl"], 0, &["summary", "build"]),
        (vec!["build", "--check", "c.mcl"], 0, &["summary", "status"]),
        (
            vec!["diff", "--exit-code", "c.mcl"],
            0,
            &["summary", "status"],
        ),
        (vec!["build", "bad.mcl", "--out", "o2"], 1, &["summary"]),
    ];
    for (args, code, starts) in cases {
        let mut all = args.clone();
        all.extend(j);
        let o = run(dir, &all, None);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let types = json_types(&o);
        assert!(!types.is_empty(), "{args:?}: no output");
        for (i, want) in starts.iter().enumerate() {
            assert_eq!(
                types.get(i).map(String::as_str),
                Some(*want),
                "{args:?}: {types:?}"
            );
        }
    }
    // A stale folder: drift records, then the status; the diff's records.
    fs::write(dir.join("out/hosts/a1/etc/mesos/agent.env"), "edited\n").expect("edit");
    let o = run(
        dir,
        &["build", "--check", "c.mcl", "--message-format", "json"],
        None,
    );
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(json_types(&o), ["summary", "drift", "status"]);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("{\"type\":\"drift\""));
    let drift: serde_json::Value = serde_json::from_str(line.expect("a drift")).expect("json");
    assert_eq!(drift["path"], "hosts/a1/etc/mesos/agent.env");
    assert_eq!(drift["status"], "differs");
    let o = run(
        dir,
        &["diff", "c.mcl", "--message-format", "json", "--exit-code"],
        None,
    );
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(json_types(&o), ["summary", "diff", "status"]);
}

#[test]
fn diff_exits_3_only_when_asked() {
    let tmp = setup();
    let dir = tmp.path();
    assert_eq!(run(dir, &["build", "c.mcl"], None).status.code(), Some(0));
    assert_eq!(
        run(dir, &["diff", "--exit-code", "c.mcl"], None)
            .status
            .code(),
        Some(0)
    );
    fs::write(dir.join("out/hosts/a1/etc/mesos/agent.env"), "edited\n").expect("edit");
    let plain = run(dir, &["diff", "c.mcl"], None);
    assert_eq!(plain.status.code(), Some(0));
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(
        text.starts_with(
            "--- a/hosts/a1/etc/mesos/agent.env\n+++ b/hosts/a1/etc/mesos/agent.env\n@@ "
        ),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    let coloured = run(dir, &["diff", "c.mcl", "--color", "always"], None);
    assert!(String::from_utf8_lossy(&coloured.stdout).contains("\x1b[31m-edited\x1b[m"));
    assert_eq!(
        run(dir, &["diff", "--exit-code", "c.mcl"], None)
            .status
            .code(),
        Some(3)
    );
    assert_eq!(
        run(dir, &["build", "--check", "c.mcl"], None).status.code(),
        Some(3)
    );
    assert_eq!(
        run(dir, &["check", "nope.mcl"], None).status.code(),
        Some(2)
    );
}

#[test]
fn standard_input_for_check_and_fmt() {
    let tmp = setup();
    let dir = tmp.path();
    let o = run(dir, &["check", "-"], Some(GOOD));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(dir, &["check", "-", "--message-format", "json"], Some(BAD));
    assert_eq!(o.status.code(), Some(1));
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .next()
            .expect("a line"),
    )
    .expect("json");
    assert_eq!(first["file"], "<stdin>");
    let o = run(
        dir,
        &[
            "check",
            "-",
            "--stdin-filename",
            "sub/x.mcl",
            "--message-format",
            "json",
        ],
        Some(BAD),
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"file\":\"sub/x.mcl\""));
    // Imports are relative to the working directory.
    fs::write(
        dir.join("hosts.mcl"),
        "host \"a2\" { address = \"10.0.0.3\"  roles = [follower] }\n",
    )
    .expect("write");
    let with_import = format!("{GOOD}import \"hosts.mcl\"\n");
    let o = run(dir, &["plan", "-"], Some(&with_import));
    assert!(String::from_utf8_lossy(&o.stdout).contains("a2/mesos-agent.service"));
    // fmt - writes the formatted text to standard output.
    let o = run(
        dir,
        &["fmt", "-"],
        Some("host \"a\" {address=\"10.0.0.1\"}\n"),
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "host \"a\" { address = \"10.0.0.1\" }\n"
    );
    let o = run(
        dir,
        &["fmt", "--check", "-"],
        Some("host \"a\" {address=\"10.0.0.1\"}\n"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "<stdin>\n");
    let o = run(dir, &["fmt", "-"], Some("host {"));
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
}

#[test]
fn the_workspace_file_runs_every_cluster() {
    let tmp = setup();
    let dir = tmp.path();
    fs::write(
        dir.join("mesosc.toml"),
        "[[cluster]]\nsource = \"c.mcl\"\nout = \"out/prod\"\n\n[[cluster]]\nsource = \"c.mcl\"\nenv = \"debug\"\nout = \"out/debug\"\n",
    )
    .expect("write");
    let sub = dir.join("deep/er");
    fs::create_dir_all(&sub).expect("mkdir");
    let o = run(&sub, &["build"], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("==> c.mcl (into out/prod)"), "{err}");
    assert!(
        err.contains("==> c.mcl --env debug (into out/debug)"),
        "{err}"
    );
    assert!(dir.join("out/prod/manifest.json").is_file());
    assert!(dir.join("out/debug/manifest.json").is_file());
    assert_eq!(
        run(&sub, &["build", "--check"], None).status.code(),
        Some(0)
    );
    let o = run(dir, &["check", "--message-format", "json"], None);
    assert_eq!(json_types(&o), ["entry", "summary", "entry", "summary"]);
    fs::write(dir.join("out/debug/graph.dot"), "x").expect("edit");
    assert_eq!(run(dir, &["build", "--check"], None).status.code(), Some(3));
    assert_eq!(
        run(dir, &["diff", "--exit-code"], None).status.code(),
        Some(3)
    );
    let o = run(dir, &["plan"], None);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout)
            .matches("wave 1:")
            .count(),
        2
    );
    // --out or --env with the workspace is a usage error.
    assert_eq!(
        run(dir, &["build", "--out", "x"], None).status.code(),
        Some(2)
    );
    // An unknown key: exit 2, its place and a did-you-mean.
    fs::write(
        dir.join("mesosc.toml"),
        "[[cluster]]\nsource = \"c.mcl\"\noutt = \"o\"\n",
    )
    .expect("write");
    let o = run(dir, &["check"], None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("mesosc.toml:3:1: unknown key `outt`"), "{err}");
    assert!(err.contains("did you mean `out`?"), "{err}");
    // No FILE and no workspace.
    let alone = tempfile::tempdir().expect("tempdir");
    let o = run(alone.path(), &["check"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no FILE given"));
}

#[test]
fn a_mesosc_version_requirement_is_checked() {
    use mesosc::files::MemoryFiles;
    use miette::Diagnostic as _;
    let codes = |requirement: &str| {
        let mut files = MemoryFiles::new();
        let text = GOOD.replace(
            "mesos = \"1.11.0\"",
            &format!("mesos = \"1.11.0\"  mesosc = \"{requirement}\""),
        );
        files.insert("c.mcl", text);
        let built = mesosc::compile(Path::new("c.mcl"), &files, &|_| None, &Default::default())
            .expect("compiles");
        let errors: Vec<String> = built
            .checked
            .diagnostics
            .iter()
            .filter(|d| d.severity() != Some(miette::Severity::Warning))
            .filter_map(|d| d.code().map(|c| c.to_string()))
            .collect();
        (errors, built.files.is_some())
    };
    let here = env!("CARGO_PKG_VERSION");
    assert_eq!(codes(&format!(">= {here}")), (vec![], true));
    assert_eq!(codes(&format!("={here}")), (vec![], true));
    let (errors, files) = codes("> 99");
    assert_eq!(errors, ["mcl::check::mesosc_version"]);
    assert!(!files, "an unmet requirement writes nothing");
    let (errors, _) = codes(&format!("< {here}"));
    assert_eq!(errors, ["mcl::check::mesosc_version"]);
    let (errors, _) = codes("at least 2");
    assert_eq!(errors, ["mcl::check::invalid_value"]);
}
