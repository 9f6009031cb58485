//! Attacks on mesosc's promises (issue 23), each reproduced and answered:
//!
//! - values that would change the meaning of a generated file (unit
//!   injection) are refused with `mcl::check::unwritable_value` and nothing
//!   is written; the values a format can carry come back unchanged when the
//!   file is parsed as its reader parses it;
//! - a secret-valued setting (marked `[secret]` in the flag tables) written
//!   as a literal is `mcl::check::literal_secret`;
//! - imports of special files (the environment under `/proc`, a FIFO, a
//!   device) are refused before reading, and a file that is not MCL is
//!   never quoted in a report.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use mesosc::files::MemoryFiles;
use mesosc::{Options, compile};
use miette::Diagnostic;
use support::unit::UnitFile;

const HOST: &str = r#"
host "devbox" {
  address = 127.0.0.1
  roles   = [zookeeper, leader, follower, marathon]
}
"#;

/// Compiles `text` (with `EVIL` set to `evil` for `env()`): the codes of its
/// errors, and the files when there were none.
fn compile_text(text: &str, evil: &str) -> (Vec<String>, Option<mesosc::emit::FileSet>) {
    let mut files = MemoryFiles::new();
    files.insert("main.mcl", text);
    let vars = |name: &str| (name == "EVIL").then(|| evil.to_owned());
    let built = compile(Path::new("main.mcl"), &files, &vars, &Options::default()).expect("read");
    let codes = built
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.severity() == Some(miette::Severity::Error) || d.severity().is_none())
        .filter_map(|d| d.code().map(|c| c.to_string()))
        .collect();
    (codes, built.files)
}

fn assert_refused(text: &str, evil: &str) {
    let (codes, files) = compile_text(text, evil);
    assert!(
        codes.iter().any(|c| c == "mcl::check::unwritable_value"),
        "not refused: {codes:?}\n{text}"
    );
    assert!(files.is_none(), "files were made for\n{text}");
}

fn cluster(name: &str) -> String {
    format!("cluster \"{name}\" {{\n  mesos = \"1.11.0\"\n}}\n{HOST}")
}

fn service(exec: &str, description: &str) -> String {
    format!(
        "{}service \"x\" {{\n  on = [devbox]\n  exec = {exec}\n  description = {description}\n}}\n",
        cluster("dev")
    )
}

#[test]
fn a_line_break_in_a_secret_path_is_refused() {
    let text = format!(
        "{}auth {{\n  frameworks = true\n  credential \"marathon\" {{ secret = file(\"/etc/mesos/f\\nExecStartPre=/bin/touch /tmp/pwned\") }}\n}}\n",
        cluster("dev")
    );
    assert_refused(&text, "");
}

#[test]
fn a_nul_in_the_cluster_name_is_refused() {
    assert_refused(&cluster("a\\u{0}b"), "");
}

#[test]
fn a_trailing_backslash_in_the_cluster_name_is_refused() {
    assert_refused(&cluster("dev\\\\"), "");
}

#[test]
fn a_trailing_backslash_in_a_service_is_refused() {
    assert_refused(&service("\"/bin/true \\\\\"", "\"d\""), "");
    assert_refused(&service("\"/bin/true\"", "\"d\\\\\""), "");
    assert_refused(&service("env(\"EVIL\")", "\"d\""), "/bin/echo 50% \\");
    assert_refused(
        &service("\"/bin/true\"", "env(\"EVIL\")"),
        "line\nExecStartPre=/bin/id",
    );
}

#[test]
fn a_control_character_in_any_string_setting_is_refused() {
    let text = format!(
        "{}follower {{\n  runtime = docker\n  image = env(\"EVIL\")\n}}\n",
        cluster("dev")
    );
    assert_refused(&text, "mesos\rRestart=no");
}

/// What the model meant comes back from the unit as systemd reads it.
#[test]
fn what_a_unit_can_carry_comes_back_unchanged() {
    let description = r#"100% "sure" $HOME \n \\ é"#;
    let text = service("\"/bin/echo 50% $HOME\"", "env(\"EVIL\")");
    let (codes, files) = compile_text(&text, description);
    assert!(codes.is_empty(), "{codes:?}");
    let files = files.expect("built");
    let unit = &files["hosts/devbox/etc/systemd/system/x.service"].content;
    let parsed = UnitFile::parse(unit).expect("a unit");
    // systemd expands `%%` to `%` in these settings.
    let got = parsed.get("Unit", "Description").expect("Description=");
    assert_eq!(got.replace("%%", "%"), description);
    assert_eq!(
        parsed
            .get("Service", "ExecStart")
            .map(|e| e.replace("%%", "%")),
        Some("/bin/echo 50% $HOME".to_owned())
    );
    assert_eq!(parsed.get("Service", "Restart"), Some("always"));
    assert_eq!(
        parsed.names("Unit", "After"),
        ["network-online.target"],
        "{unit}"
    );
}

/// Runs `mesosc check` on a main file importing `import`, in `dir`, with
/// `MESOSC_TEST_MARKER` set in its environment.
fn check_importing(dir: &Path, import: &str) -> support::proc::Ran {
    let main = dir.join("main.mcl");
    let text = format!("import \"{import}\"\n{}", cluster("dev"));
    std::fs::write(&main, text).expect("write");
    support::proc::run(
        Command::new(env!("CARGO_BIN_EXE_mesosc"))
            .args(["check", "--color", "never"])
            .arg(&main)
            .env("MESOSC_TEST_MARKER", "s3cr3t-value-from-the-environment"),
        Duration::from_secs(20),
    )
}

fn assert_import_refused(ran: &support::proc::Ran, secret: &str) {
    assert!(!ran.timed_out, "hung: {ran:?}");
    assert_eq!(ran.code, Some(1), "{}", ran.output());
    assert!(
        ran.output().contains("mcl::check::import_failed"),
        "{}",
        ran.output()
    );
    assert!(
        !ran.output().contains(secret),
        "quoted the secret:\n{}",
        ran.output()
    );
}

#[test]
fn the_environment_is_never_imported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secret = "s3cr3t-value-from-the-environment";
    assert_import_refused(&check_importing(dir.path(), "/proc/self/environ"), secret);
    // Through a link with an MCL name, too.
    let link = dir.path().join("env.mcl");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/proc/self/environ", &link).expect("symlink");
    assert_import_refused(&check_importing(dir.path(), "env.mcl"), secret);
}

#[test]
fn a_file_that_is_not_mcl_is_not_quoted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let shadow = "root:$6$Sup3rS4lt$hashhashhash:20228:0:99999:7:::\n";
    std::fs::write(dir.path().join("shadow"), shadow).expect("write");
    let ran = check_importing(dir.path(), "shadow");
    assert_import_refused(&ran, "Sup3rS4lt");
    assert!(ran.output().contains("column 5"), "{}", ran.output());
}

#[test]
fn devices_and_fifos_are_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    for device in ["/dev/zero", "/dev/null", "/proc/kmsg"] {
        assert_import_refused(&check_importing(dir.path(), device), "\0");
    }
    #[cfg(unix)]
    {
        let fifo = dir.path().join("pipe.mcl");
        let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
        assert!(made.success());
        assert_import_refused(&check_importing(dir.path(), "pipe.mcl"), "\0");
    }
}

#[test]
fn a_source_in_dev_shm_is_read() {
    // /dev/shm is a tmpfs of ordinary files, unlike the rest of /dev (the
    // benchmark keeps its workloads there).
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        return;
    }
    let dir = tempfile::tempdir_in(shm).expect("tempdir in /dev/shm");
    let input = dir.path().join("c.mcl");
    std::fs::write(&input, cluster("dev")).expect("write");
    let text = mesosc::files::read_source(&input).expect("a regular file on tmpfs is read");
    assert_eq!(text, cluster("dev"));
}

#[test]
fn literal_secrets_in_secret_valued_settings_are_refused() {
    let cases = [
        "marathon { flags { metrics_datadog_api_key = \"0123456789abcdef\" } }",
        "marathon { flags { http_credentials = env(\"EVIL\") } }",
        "zookeeper { settings { \"DigestAuthenticationProvider.superDigest\" = \"super:D/InIHSb7yEEbrWz8b9l71RjZJU=\" } }",
        "zookeeper { settings { \"ssl.keyStore.password\" = \"hunter2\" } }",
    ];
    for case in cases {
        let text = format!("{}{case}\n", cluster("dev"));
        let (codes, files) = compile_text(&text, "user:hunter2");
        assert!(
            codes.iter().any(|c| c == "mcl::check::literal_secret"),
            "{case}: {codes:?}"
        );
        assert!(files.is_none(), "{case}");
    }
}

/// Runs `mesosc check --message-format json` on `text`, with `env` set.
fn check_json(text: &str, env: &[(&str, &std::ffi::OsStr)]) -> support::proc::Ran {
    let dir = tempfile::tempdir().expect("tempdir");
    let main = dir.path().join("main.mcl");
    std::fs::write(&main, text).expect("write");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mesosc"));
    cmd.args(["check", "--message-format", "json"]).arg(&main);
    for (k, v) in env {
        cmd.env(k, v);
    }
    support::proc::run(&mut cmd, Duration::from_secs(20))
}

#[test]
fn names_in_messages_are_cut_to_64_characters() {
    let long = "k".repeat(5000);
    let text = format!("{}leader {{ {long} = 1 }}\n", cluster("dev"));
    let ran = check_json(&text, &[]);
    assert_eq!(ran.code, Some(1), "{}", ran.output());
    let cut = format!("`{}…`", "k".repeat(64));
    assert!(ran.stdout.contains(&cut), "{}", ran.stdout);
    assert!(
        !ran.stdout.contains(&"k".repeat(65)),
        "a name longer than 64 characters"
    );
}

#[cfg(unix)]
#[test]
fn an_env_value_that_is_not_utf8_is_reported_as_such() {
    use std::os::unix::ffi::OsStrExt as _;
    let text = format!(
        "{}leader {{ flags {{ logging_level = env(\"EVIL\") }} }}\n",
        cluster("dev")
    );
    let ran = check_json(&text, &[("EVIL", std::ffi::OsStr::from_bytes(b"INFO\xff"))]);
    assert_eq!(ran.code, Some(1), "{}", ran.output());
    assert!(
        ran.stdout.contains("`EVIL` is not valid UTF-8"),
        "{}",
        ran.stdout
    );
}

#[test]
fn a_comment_ends_at_a_lone_carriage_return() {
    let text = "# dev box\rcluster \"dev\" {\r  mesos = \"1.11.0\"\r}\rhost \"devbox\" {\r  address = 127.0.0.1\r  roles = [zookeeper, leader, follower, marathon]\r}\r";
    let (codes, files) = compile_text(text, "");
    assert!(codes.is_empty(), "{codes:?}");
    let files = files.expect("built: the comment did not swallow the file");
    assert!(files.contains_key("hosts/devbox/etc/systemd/system/mesos-master.service"));
}

#[test]
fn windows_device_names_are_refused() {
    for name in ["nul", "con", "com1", "lpt9", "aux", "prn"] {
        let text = format!(
            "cluster \"dev\" {{ mesos = \"1.11.0\" }}\nhost \"{name}\" {{\n  address = 127.0.0.1\n  roles = [zookeeper, leader, follower]\n}}\n"
        );
        let (codes, files) = compile_text(&text, "");
        assert!(
            codes.iter().any(|c| c == "mcl::check::invalid_host_name"),
            "{name}: {codes:?}"
        );
        assert!(files.is_none());
        let service = format!(
            "{}service \"{name}\" {{ on = [devbox]  exec = \"/bin/true\" }}\n",
            cluster("dev")
        );
        let (codes, files) = compile_text(&service, "");
        assert!(
            codes.iter().any(|c| c == "mcl::check::invalid_value"),
            "{name}: {codes:?}"
        );
        assert!(files.is_none());
    }
}

#[test]
fn invisible_characters_in_names_are_refused() {
    for c in ["\\u{202E}", "\\u{200B}", "\\u{2066}", "\\u{FEFF}"] {
        let service = format!(
            "{}service \"web{c}\" {{ on = [devbox]  exec = \"/bin/true\" }}\n",
            cluster("dev")
        );
        let (codes, files) = compile_text(&service, "");
        assert!(
            codes.iter().any(|x| x == "mcl::check::invisible_character"),
            "{c}: {codes:?}"
        );
        assert!(files.is_none());
        let (codes, _) = compile_text(&cluster(&format!("dev{c}")), "");
        assert!(
            codes.iter().any(|x| x == "mcl::check::invisible_character"),
            "{c}: {codes:?}"
        );
    }
}
