//! What a GitOps repository uses around mesosc: the pre-commit hooks (run by
//! the real `pre-commit` from PyPI, `PRE_COMMIT_HOME` in a temporary
//! folder, against a temporary Git repository), the GitHub Actions example
//! of `docs/ci.md` (parsed; its commands checked), and the recommended
//! `.gitattributes` (read by the real `git check-attr`).

#[path = "support/real_tools.rs"]
mod real_tools;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use yaml_rust2::{Yaml, YamlLoader};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

const CLUSTER: &str = r#"cluster "c" { mesos = "1.11.0" }
host "m1" { address = "10.0.0.1"  roles = [zookeeper, leader, marathon] }
host "a1" { address = "10.0.0.2"  roles = [follower] }
"#;

/// `PATH` with the `mesosc` under test first.
fn path_with_mesosc() -> String {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_mesosc"));
    let dir = bin.parent().expect("bin dir").display().to_string();
    format!("{dir}:{}", std::env::var("PATH").unwrap_or_default())
}

fn run(dir: &Path, program: &str, args: &[&str], home: &Path) -> Output {
    Command::new(program)
        .current_dir(dir)
        .args(args)
        .env("PATH", path_with_mesosc())
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e} (scripts/install-test-deps installs it)"))
}

fn ok(o: &Output) -> bool {
    o.status.success()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_pre_commit_hook_fails_on_a_stale_out_and_passes_on_a_fresh_one() {
    if real_tools::skip(&["pre-commit"]) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let (repo, home) = (tmp.path().join("repo"), tmp.path().join("pre-commit-home"));
    fs::create_dir_all(&repo).expect("mkdir");
    fs::write(repo.join("c.mcl"), CLUSTER).expect("write");
    fs::write(
        repo.join("mesosc.toml"),
        "[[cluster]]\nsource = \"c.mcl\"\nout = \"out\"\n",
    )
    .expect("write");
    assert!(ok(&run(&repo, "git", &["init", "-q"], &home)));
    let build = run(&repo, "mesosc", &["build"], &home);
    assert!(ok(&build), "{}", text(&build));
    assert!(ok(&run(&repo, "git", &["add", "-A"], &home)));
    assert!(ok(&run(&repo, "git", &["commit", "-qm", "c"], &home)));
    // `try-repo` reads the hook definitions of this repository.
    let hook = |id: &str| {
        run(
            &repo,
            "pre-commit",
            &["try-repo", REPO, id, "--all-files"],
            &home,
        )
    };
    let fresh = hook("mesosc-check");
    assert!(ok(&fresh), "fresh out/ must pass: {}", text(&fresh));
    let formatted = hook("mesosc-fmt");
    assert!(ok(&formatted), "{}", text(&formatted));

    fs::write(repo.join("out/hosts/a1/etc/mesos/agent.env"), "MESOS_X=1\n").expect("edit");
    let stale = hook("mesosc-check");
    assert!(!ok(&stale), "stale out/ must fail: {}", text(&stale));
    assert!(
        text(&stale).contains("differs: hosts/a1/etc/mesos/agent.env"),
        "{}",
        text(&stale)
    );

    // An unformatted source: the fmt hook rewrites it and fails.
    fs::write(repo.join("c.mcl"), CLUSTER.replace("  roles", " roles")).expect("write");
    let unformatted = hook("mesosc-fmt");
    assert!(!ok(&unformatted), "{}", text(&unformatted));
    assert_eq!(
        fs::read_to_string(repo.join("c.mcl")).expect("read"),
        CLUSTER
    );
}

/// The first ```yaml block of `docs/ci.md`.
fn ci_example() -> Yaml {
    let doc = fs::read_to_string(Path::new(REPO).join("docs/ci.md")).expect("docs/ci.md");
    let start = doc.find("```yaml\n").expect("a yaml block") + 8;
    let end = doc[start..].find("```").expect("its end");
    let mut docs = YamlLoader::load_from_str(&doc[start..start + end]).expect("valid YAML");
    docs.remove(0)
}

#[test]
fn the_ci_example_is_valid_and_runs_the_gate() {
    let ci = ci_example();
    let steps = ci["jobs"]["check"]["steps"].as_vec().expect("steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.contains(&"mesosc build --check"), "{runs:?}");
    assert!(
        runs.iter().any(|r| r.starts_with("mesosc fmt --check")),
        "{runs:?}"
    );
    assert!(
        steps
            .iter()
            .any(|s| s["uses"].as_str() == Some("actions/checkout@v4"))
    );
    // The commands it runs are real: the gate's flags parse.
    let help = Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .args(["build", "--check", "--help"])
        .output()
        .expect("mesosc");
    assert!(help.status.success());
}

#[test]
fn the_hook_definitions_run_the_commands_the_docs_name() {
    let text = fs::read_to_string(Path::new(REPO).join(".pre-commit-hooks.yaml")).expect("hooks");
    let hooks = YamlLoader::load_from_str(&text).expect("YAML").remove(0);
    let hooks = hooks.as_vec().expect("a list");
    let by_id = |id: &str| {
        hooks
            .iter()
            .find(|h| h["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no hook {id}"))
    };
    assert_eq!(by_id("mesosc-fmt")["entry"].as_str(), Some("mesosc fmt"));
    assert_eq!(
        by_id("mesosc-check")["entry"].as_str(),
        Some("mesosc build --check")
    );
    for h in hooks {
        assert_eq!(h["language"].as_str(), Some("system"));
    }
    assert_eq!(
        by_id("mesosc-check")["pass_filenames"].as_bool(),
        Some(false)
    );
}

#[test]
fn the_recommended_gitattributes_marks_out_generated() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    assert!(ok(&run(tmp.path(), "git", &["init", "-q"], &home)));
    let attributes = fs::read_to_string(Path::new(REPO).join(".gitattributes")).expect("file");
    assert!(attributes.contains("out/** linguist-generated=true"));
    let docs = fs::read_to_string(Path::new(REPO).join("docs/ci.md")).expect("docs");
    assert!(docs.contains("out/** linguist-generated=true"));
    fs::write(tmp.path().join(".gitattributes"), attributes).expect("write");
    let o = run(
        tmp.path(),
        "git",
        &[
            "check-attr",
            "linguist-generated",
            "--",
            "out/hosts/a/etc/x.env",
            "c.mcl",
        ],
        &home,
    );
    let shown = text(&o);
    assert!(
        shown.contains("out/hosts/a/etc/x.env: linguist-generated: true"),
        "{shown}"
    );
    assert!(
        shown.contains("c.mcl: linguist-generated: unspecified"),
        "{shown}"
    );
}

#[test]
fn the_test_command_never_skips_and_the_variable_means_what_the_readme_says() {
    let script = fs::read_to_string(Path::new(REPO).join("scripts/test")).expect("scripts/test");
    let unset = script
        .find("unset MESOSC_SKIP_REAL_TOOLS")
        .expect("scripts/test unsets MESOSC_SKIP_REAL_TOOLS");
    let tests = script.find("cargo test").expect("runs cargo test");
    assert!(unset < tests, "the variable is unset before the tests run");
    assert!(real_tools::asks_to_skip(Some("1")));
    assert!(real_tools::asks_to_skip(Some("yes")));
    for value in [None, Some(""), Some("0"), Some(" ")] {
        assert!(!real_tools::asks_to_skip(value), "{value:?}");
    }
}
