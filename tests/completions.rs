//! The bash completion of `mesosc completions bash`, run by the real `bash`
//! (sourced, then its function called the way bash calls it on TAB, with
//! `COMP_WORDS` and `COMP_CWORD`): commands, flags, `.mcl` files and folders
//! only, `explain <TAB>` codes, `--env <TAB>` the environments of the file
//! on the command line.

use std::path::Path;
use std::process::Command;

/// What the completion offers for the words typed so far (the last one is
/// the word being completed), run in `dir`.
fn complete(dir: &Path, words: &[&str]) -> Vec<String> {
    let bin = Path::new(env!("CARGO_BIN_EXE_mesosc"));
    let script = Command::new(bin)
        .args(["completions", "bash"])
        .output()
        .expect("mesosc completions bash");
    assert!(script.status.success());
    let quoted: Vec<String> = words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', r"'\''")))
        .collect();
    let program = format!(
        "source /dev/stdin\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_mesosc\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        quoted.join(" "),
        words.len() - 1
    );
    let path = format!(
        "{}:{}",
        bin.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .current_dir(dir)
        .env("PATH", path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("bash");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&script.stdout)
        .expect("script");
    let out = child.wait_with_output().expect("bash ran");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    got.sort();
    got
}

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(
        d.join("cluster.mcl"),
        "cluster \"c\" { mesos = \"1.11.0\" }\n\
         host \"m1\" { address = 10.0.0.1  roles = [zookeeper, leader, follower] }\n\
         environment \"staging\" { }\nenvironment \"production\" { }\n",
    )
    .expect("write");
    std::fs::write(d.join("notes.txt"), "not mcl").expect("write");
    std::fs::write(d.join("common.mcl"), "let x = 1\n").expect("write");
    std::fs::create_dir(d.join("clusters")).expect("mkdir");
    dir
}

#[test]
fn commands_and_flags_come_from_the_definitions() {
    let dir = scratch();
    let commands = complete(dir.path(), &["mesosc", ""]);
    for c in ["build", "check", "explain", "fmt", "graph", "lsp"] {
        assert!(commands.contains(&c.to_owned()), "{commands:?}");
    }
    assert!(
        !commands.iter().any(|c| c.starts_with("__")),
        "hidden: {commands:?}"
    );
    assert_eq!(complete(dir.path(), &["mesosc", "ex"]), ["explain"]);
    let flags = complete(dir.path(), &["mesosc", "build", "--"]);
    for f in [
        "--out",
        "--env",
        "--quiet",
        "--verbose",
        "--color",
        "--check",
    ] {
        assert!(flags.contains(&f.to_owned()), "{flags:?}");
    }
    assert_eq!(complete(dir.path(), &["mesosc", "fmt", "--di"]), ["--diff"]);
    assert_eq!(
        complete(dir.path(), &["mesosc", "check", "--color", ""]),
        ["always", "auto", "never"]
    );
}

#[test]
fn files_are_mcl_files_and_folders() {
    let dir = scratch();
    assert_eq!(
        complete(dir.path(), &["mesosc", "build", ""]),
        ["cluster.mcl", "clusters", "common.mcl"]
    );
    assert_eq!(
        complete(dir.path(), &["mesosc", "check", "clu"]),
        ["cluster.mcl", "clusters"]
    );
    assert_eq!(
        complete(dir.path(), &["mesosc", "build", "-o", ""]),
        ["clusters"]
    );
}

#[test]
fn explain_offers_codes() {
    let dir = scratch();
    let codes = complete(dir.path(), &["mesosc", "explain", "mcl::check::unknown_f"]);
    assert_eq!(codes, ["mcl::check::unknown_flag"]);
    let all = complete(dir.path(), &["mesosc", "explain", ""]);
    assert!(all.len() > 50, "{}", all.len());
}

#[test]
fn env_offers_the_environments_of_the_file_given() {
    let dir = scratch();
    assert_eq!(
        complete(dir.path(), &["mesosc", "build", "cluster.mcl", "--env", ""]),
        ["production", "staging"]
    );
    assert_eq!(
        complete(
            dir.path(),
            &["mesosc", "check", "--strict", "cluster.mcl", "--env", "st"]
        ),
        ["staging"]
    );
    assert!(
        complete(dir.path(), &["mesosc", "build", "--env", ""]).is_empty(),
        "no file yet"
    );
}
