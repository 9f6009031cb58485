//! The `mesosc` binary end to end: exit codes (0 clean, 1 diagnostics,
//! 2 usage or I/O), and what it prints.

use std::fs;
use std::process::{Command, Output};

mod common;
use common::examples;

fn mesosc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("mesosc runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_of_every_example_exits_zero() {
    let examples = examples();
    assert!(examples.len() >= 6, "{examples:?}");
    for example in examples {
        let o = mesosc(&["check", &example]);
        assert_eq!(o.status.code(), Some(0), "{example}: {}", stderr(&o));
    }
}

#[test]
fn errors_exit_one_and_are_rendered_with_their_code() {
    let o = mesosc(&["check", "tests/errors/check/unknown_flag.mcl"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("mcl::check::unknown_flag"), "{err}");
    assert!(
        err.contains("help: mesosc sets `work_dir` itself: use the `work_dir` setting"),
        "{err}"
    );
    assert!(err.contains("error: 1 error found"), "{err}");
}

#[test]
fn warnings_pass_unless_strict() {
    let plain = mesosc(&["check", "examples/single.mcl"]);
    assert_eq!(plain.status.code(), Some(0));
    assert!(stderr(&plain).contains("mcl::check::single_leader"));
    let strict = mesosc(&["check", "--strict", "examples/single.mcl"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
}

#[test]
fn missing_unreadable_and_non_utf8_files_exit_two() {
    let o = mesosc(&["check", "does/not/exist.mcl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read `does/not/exist.mcl`"),
        "{}",
        stderr(&o)
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("latin1.mcl");
    fs::write(&bad, b"cluster \"caf\xe9\" { }").expect("write");
    let o = mesosc(&["check", bad.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not valid UTF-8"), "{}", stderr(&o));

    let o = mesosc(&["check", dir.path().to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("directory"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(mesosc(&["check"]).status.code(), Some(2));
    assert_eq!(mesosc(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(mesosc(&["--version"]).status.code(), Some(0));
}

#[test]
fn env_selects_an_overlay() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("c.mcl");
    fs::write(
        &file,
        "cluster \"c\" { mesos = \"1.11.0\" }\nhost \"m\" { address = \"10.0.0.1\"  roles = [zookeeper, leader] }\n\
         environment \"broken\" { leader { flags { nope = 1 } } }\n",
    )
    .expect("write");
    let path = file.to_str().expect("utf-8 path");
    assert_eq!(mesosc(&["check", path]).status.code(), Some(0));
    let o = mesosc(&["check", "--env", "broken", path]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("unknown mesos-master flag `nope`"));
}

#[test]
fn explain_prints_the_meaning_and_a_real_report() {
    let o = mesosc(&["explain", "unknown_flag"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Mesos silently ignores"), "{out}");
    assert!(
        out.contains(
            "mesosc sets `work_dir` itself: use the `work_dir` setting of the `follower` block"
        ),
        "{out}"
    );
    assert_eq!(mesosc(&["explain", "no_such_code"]).status.code(), Some(2));
    // A misspelled bare name gets the full code suggested.
    let typo = mesosc(&["explain", "literal_secrt"]);
    assert_eq!(typo.status.code(), Some(2));
    let err = String::from_utf8_lossy(&typo.stderr);
    assert!(
        err.contains("did you mean `mcl::check::literal_secret`?"),
        "{err}"
    );
}

#[test]
fn explain_list_prints_whole_first_sentences() {
    let o = mesosc(&["explain", "--list"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.lines().count() > 50, "{out}");
    for line in out.lines() {
        let (code, sentence) = line.split_once(' ').expect("a code and its sentence");
        assert!(code.starts_with("mcl::"), "{line}");
        let sentence = sentence.trim();
        assert!(
            sentence.ends_with(['.', '?', '!']),
            "not a whole sentence: {line}"
        );
        assert_eq!(
            sentence.matches('`').count() % 2,
            0,
            "a cut code span: {line}"
        );
    }
}

#[test]
fn explain_flag_prints_the_hover_of_every_program_with_that_flag() {
    let o = mesosc(&["explain", "--flag", "work_dir"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("**`work_dir`** — mesos-master flag"), "{out}");
    assert!(out.contains("**`work_dir`** — mesos-agent flag"), "{out}");
    assert!(
        out.contains("- set by mesosc: use the `work_dir` setting of the `follower` block"),
        "{out}"
    );
    let one = mesosc(&["explain", "--flag", "marathon.http_credentials"]);
    let out = String::from_utf8_lossy(&one.stdout);
    assert!(
        out.starts_with("**`http_credentials`** — marathon flag"),
        "{out}"
    );
    assert!(out.contains("- secret: "), "{out}");
    let typo = mesosc(&["explain", "--flag", "agent.workdir"]);
    assert_eq!(typo.status.code(), Some(2));
    let err = String::from_utf8_lossy(&typo.stderr);
    assert!(
        err.contains("no flag `agent.workdir`") && err.contains("did you mean `work_dir`?"),
        "{err}"
    );
}

#[test]
fn completions_and_man_page_come_from_the_clap_definitions() {
    // bash's function asks mesosc for the commands (tests/completions.rs runs it).
    let bash = mesosc(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&bash.stdout).contains("mesosc __complete commands"));
    let commands = mesosc(&["__complete", "commands"]);
    let text = String::from_utf8_lossy(&commands.stdout);
    for sub in ["check", "build", "fmt", "explain", "lsp"] {
        assert!(text.lines().any(|l| l == sub), "completion lacks {sub}");
    }
    let zsh = mesosc(&["completions", "zsh"]);
    assert!(String::from_utf8_lossy(&zsh.stdout).contains("explain"));
    let man = mesosc(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let page = String::from_utf8_lossy(&man.stdout).into_owned();
    assert!(page.contains(".TH mesosc 1"), "{page}");
    for section in [".SH \"EXIT STATUS\"", ".SH \"ENVIRONMENT\"", ".SH EXAMPLES"] {
        assert!(page.contains(section), "{section}");
    }
}

#[test]
fn fmt_rewrites_files_and_check_reports_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("c.mcl");
    fs::write(&file, "cluster   \"c\"   {  mesos= \"1.11.0\" }   # note\n").expect("write");
    let path = file.to_str().expect("utf-8 path");
    let check = mesosc(&["fmt", "--check", path]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("c.mcl"));
    assert_eq!(mesosc(&["fmt", path]).status.code(), Some(0));
    let formatted = fs::read_to_string(&file).expect("read");
    assert!(
        formatted.contains("# note") && formatted.contains("mesos = \"1.11.0\""),
        "{formatted}"
    );
    assert_eq!(mesosc(&["fmt", "--check", path]).status.code(), Some(0));
    fs::write(&file, "cluster \"c\" {").expect("write");
    assert_eq!(
        mesosc(&["fmt", path]).status.code(),
        Some(1),
        "syntax errors are not formatted"
    );
    assert_eq!(
        fs::read_to_string(&file).expect("read"),
        "cluster \"c\" {",
        "and the file is untouched"
    );
}

#[test]
fn json_messages_are_one_object_a_line_then_a_summary() {
    let o = mesosc(&[
        "check",
        "--message-format",
        "json",
        "tests/errors/check/unknown_flag.mcl",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["code"], "mcl::check::unknown_flag");
    assert_eq!(lines[0]["range"]["start"]["line"], 6);
    assert_eq!(lines[1]["type"], "summary");
    assert_eq!(lines[1]["errors"], 1);
}

#[test]
fn fix_removes_what_the_schema_refuses_and_leaves_a_clean_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let main = dir.path().join("c.mcl");
    let lib = dir.path().join("lib.mcl");
    fs::write(
        &main,
        "cluster \"c\" { mesos = \"1.11.0\" }\nimport \"lib.mcl\"\n\
         host \"m\" { address = \"10.0.0.1\"  roles = [zookeeper, leader]\n  \
         leader { quorum = 1 }\n}\n",
    )
    .expect("writable");
    fs::write(&lib, "follower { resources \"r\" { cpus = 2 } }\n").expect("writable");
    let path = main.to_str().expect("utf-8");
    let before = mesosc(&["check", path]);
    assert_eq!(before.status.code(), Some(1), "{}", stderr(&before));
    let fixed = mesosc(&["fix", path]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
    assert_eq!(
        stderr(&fixed).matches("(1 fix)").count(),
        2,
        "{}",
        stderr(&fixed)
    );
    assert_eq!(
        fs::read_to_string(&main).expect("readable"),
        "cluster \"c\" { mesos = \"1.11.0\" }\nimport \"lib.mcl\"\n\
         host \"m\" { address = \"10.0.0.1\"  roles = [zookeeper, leader]\n  \
         leader { }\n}\n"
    );
    // The fix lands in the imported file, where the label was written.
    assert_eq!(
        fs::read_to_string(&lib).expect("readable"),
        "follower { resources { cpus = 2 } }\n"
    );
    let after = mesosc(&["check", path]);
    assert_eq!(after.status.code(), Some(0), "{}", stderr(&after));
    assert_eq!(mesosc(&["fix", "-"]).status.code(), Some(2));
}
