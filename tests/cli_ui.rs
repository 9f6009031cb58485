//! The command line as people use it: `-q`, `-v`, `-o`, colour by cargo's
//! rules on every command that prints reports, plurals and full commands in
//! hints, `fmt` on folders with `--diff`. Each test compares the whole
//! output with a snapshot in `tests/cli/` (`MESOSC_BLESS=1` rewrites them;
//! review the diff), run with and without the colour variables.

use std::fs;
use std::path::Path;
use std::process::Command;

const ONE_HOST: &str = "cluster \"c\" { mesos = \"1.11.0\" }\n\
                        host \"m1\" { address = 10.0.0.1  roles = [zookeeper, leader, marathon, follower] }\n";
const MISSPELLED: &str = "cluster \"c\" { mesos = \"1.11.0\" }\n\
                          host \"m1\" { address = 10.0.0.1  roles = [zookeeper, leader, marathon, follower] }\n\
                          follower { flags { workdir = \"/x\" } }\n";

/// Runs mesosc in `dir` with only the given colour variables set; returns
/// "$ command", the exit code, stdout and stderr as one text.
fn run(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mesosc"));
    cmd.current_dir(dir).args(args);
    for var in ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM"] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("mesosc runs");
    let vars: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    format!(
        "$ {}mesosc {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        vars.concat(),
        args.join(" "),
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr).replace('\x1b', "\\e"),
    )
}

/// Compares `actual` with `tests/cli/NAME.txt` (or writes it when blessing).
fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/cli/{name}.txt"));
    let actual = actual.replace('\x1b', "\\e");
    if std::env::var_os("MESOSC_BLESS").is_some() {
        fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        fs::write(&path, &actual).expect("bless");
        return;
    }
    let expected = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with MESOSC_BLESS=1)", path.display()));
    assert!(
        expected == actual,
        "{name}: output changed (MESOSC_BLESS=1 rewrites tests/cli/{name}.txt)\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

fn scratch(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    dir
}

#[test]
fn colour_follows_cargos_rules_on_reports() {
    let dir = scratch(&[("c.mcl", MISSPELLED)]);
    let d = dir.path();
    let mut all = String::new();
    for env in [
        &[][..],
        &[("TERM", "xterm-256color")],
        &[("CLICOLOR_FORCE", "1")],
        &[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    ] {
        all.push_str(&run(d, env, &["check", "c.mcl"]));
    }
    all.push_str(&run(
        d,
        &[("NO_COLOR", "1")],
        &["check", "--color", "always", "c.mcl"],
    ));
    all.push_str(&run(
        d,
        &[("CLICOLOR_FORCE", "1")],
        &["check", "--color", "never", "c.mcl"],
    ));
    snapshot("colour_check", &all);
    // Colour reaches the report: red `error`, miette's styles.
    let forced = run(d, &[("CLICOLOR_FORCE", "1")], &["check", "c.mcl"]);
    assert!(
        forced.contains("\\e[1;31merror\\e[0m: 1 error, 1 warning found"),
        "{forced}"
    );
    let dumb = run(d, &[("TERM", "dumb")], &["check", "c.mcl"]);
    assert!(!dumb.contains("\\e["), "{dumb}");
}

#[test]
fn fmt_and_explain_take_color_too() {
    let dir = scratch(&[("c.mcl", "cluster \"c\" {  mesos = \"1.11.0\" }\n")]);
    let d = dir.path();
    let mut all = run(d, &[], &["fmt", "--diff", "--color", "always", "c.mcl"]);
    all.push_str(&run(
        d,
        &[("CLICOLOR_FORCE", "1")],
        &["fmt", "--diff", "c.mcl"],
    ));
    all.push_str(&run(d, &[], &["fmt", "--diff", "c.mcl"]));
    snapshot("colour_fmt", &all);
    assert!(
        all.contains("\x1b[31m-cluster") || all.contains("\\e[31m-cluster"),
        "{all}"
    );
    let plain = run(d, &[], &["explain", "single_leader"]);
    let coloured = run(d, &[("CLICOLOR_FORCE", "1")], &["explain", "single_leader"]);
    assert!(
        !plain.contains('\x1b') && !plain.contains("\\e["),
        "{plain}"
    );
    assert!(coloured.contains('\x1b'), "{coloured}");
    let never = run(
        d,
        &[("CLICOLOR_FORCE", "1")],
        &["explain", "--color", "never", "single_leader"],
    );
    assert!(!never.contains('\x1b'), "{never}");
}

#[test]
fn quiet_verbose_and_short_out() {
    let dir = scratch(&[("c.mcl", ONE_HOST)]);
    let d = dir.path();
    let mut all = run(d, &[], &["check", "c.mcl"]);
    all.push_str(&run(d, &[], &["check", "-q", "c.mcl"]));
    all.push_str(&run(d, &[], &["-q", "build", "c.mcl", "-o", "out2"]));
    all.push_str(&run(d, &[], &["build", "-v", "c.mcl", "-o", "out3"]));
    all.push_str(&run(d, &[], &["build", "c.mcl", "-o", "out3"]));
    all.push_str(&run(d, &[], &["build", "--quiet", "--verbose", "c.mcl"]));
    snapshot("quiet_verbose_out", &all);
    assert!(d.join("out2/manifest.json").is_file(), "-o is --out");
}

#[test]
fn hints_give_the_full_command_and_plurals_agree() {
    let dir = scratch(&[("my cluster.mcl", ONE_HOST)]);
    let d = dir.path();
    run(d, &[], &["build", "my cluster.mcl", "-o", "out2"]);
    fs::write(d.join("out2/README.md"), "edited\n").expect("edit");
    let mut all = run(
        d,
        &[],
        &["build", "--check", "my cluster.mcl", "-o", "out2"],
    );
    fs::write(d.join("out2/manifest.json"), "{}\n").expect("edit");
    all.push_str(&run(
        d,
        &[],
        &["build", "--check", "my cluster.mcl", "--out", "out2"],
    ));
    snapshot("hints", &all);
    assert!(
        all.contains("1 file differs (run `mesosc build 'my cluster.mcl' --out out2`"),
        "{all}"
    );
}

#[test]
fn fmt_formats_folders_and_the_current_one_and_shows_diffs() {
    let messy = "cluster \"c\" {  mesos = \"1.11.0\" }\n";
    let dir = scratch(&[
        ("a.mcl", messy),
        ("sub/b.mcl", messy),
        ("sub/deeper/c.mcl", "cluster \"c\" { mesos = \"1.11.0\" }\n"),
        ("sub/notes.txt", "not mcl {"),
        (".hidden/d.mcl", messy),
        ("broken.mcl", "cluster \"c\" {"),
    ]);
    let d = dir.path();
    let mut all = run(d, &[], &["fmt", "--check"]);
    all.push_str(&run(d, &[], &["fmt", "--diff", "sub"]));
    all.push_str(&run(d, &[], &["fmt", "-v", "sub"]));
    all.push_str(&run(d, &[], &["fmt", "--check", "sub"]));
    all.push_str(&run(d, &[], &["fmt"]));
    snapshot("fmt_folders", &all);
    assert_eq!(
        fs::read_to_string(d.join("a.mcl")).expect("a"),
        "cluster \"c\" { mesos = \"1.11.0\" }\n"
    );
    assert_eq!(
        fs::read_to_string(d.join(".hidden/d.mcl")).expect("d"),
        messy,
        "hidden folders are skipped"
    );
    assert_eq!(
        fs::read_to_string(d.join("sub/notes.txt")).expect("n"),
        "not mcl {"
    );
    // A file that does not parse is reported, and the hint is not given for it.
    let broken = run(d, &[], &["fmt", "--check", "broken.mcl"]);
    assert!(
        broken.contains("has syntax errors; not formatted"),
        "{broken}"
    );
    assert!(!broken.contains("run `mesosc fmt"), "{broken}");
}

#[test]
fn explain_shows_the_complete_example_it_checks() {
    let dir = scratch(&[]);
    let d = dir.path();
    // Every explained code: each line the report points at is in the example shown.
    let list = run(d, &[], &["explain", "--list"]);
    let mut checked = 0;
    for code in list.lines().filter(|l| l.starts_with("mcl::")) {
        let code = code.split_whitespace().next().expect("code");
        let text = run(d, &[], &["explain", code]);
        let Some((example, report)) = text.split_once("\nmesosc reports:\n") else {
            continue;
        };
        let shown: Vec<&str> = example
            .lines()
            .filter_map(|l| l.strip_prefix("    "))
            .collect();
        for line in report.lines() {
            // miette's source lines: " 6 │ text" (or " 6 | text" without unicode).
            let Some((number, text)) = line.trim_start().split_once(['│', '|']) else {
                continue;
            };
            let Ok(n) = number.trim().parse::<usize>() else {
                continue;
            };
            let text = text.strip_prefix(' ').unwrap_or(text);
            assert_eq!(
                shown.get(n - 1).copied(),
                Some(text),
                "{code}: line {n} of the report is not line {n} of the example shown\n{text}"
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} report lines checked");
}

#[test]
fn graph_groups_by_default_and_per_service_keeps_the_old_graph() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let grouped = run(root, &[], &["graph", "-q", "examples/thegrid.mcl"]);
    let per_service = run(
        root,
        &[],
        &["graph", "-q", "--per-service", "examples/thegrid.mcl"],
    );
    assert!(grouped.contains("subgraph \"cluster_wave_1\""), "{grouped}");
    assert!(
        grouped.contains("mesos-agent.service\\nagent-1 … agent-12 (12 hosts)"),
        "{grouped}"
    );
    assert_eq!(grouped.matches(" -> ").count(), 6, "{grouped}");
    assert!(
        per_service.contains("subgraph \"cluster_agent-10\""),
        "{per_service}"
    );
    assert_eq!(
        per_service
            .matches("[label=\"mesos-agent.service\"]")
            .count(),
        12
    );
    // Natural order: agent-2's box comes before agent-10's.
    let at = |name: &str| {
        per_service
            .find(&format!("\"cluster_{name}\""))
            .expect(name)
    };
    assert!(at("agent-2") < at("agent-10"), "{per_service}");
}
