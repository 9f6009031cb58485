//! Values that would change the meaning of a generated file (issue 23,
//! "unit injection"): every attack is refused with
//! `mcl::check::unwritable_value` and writes nothing; the values a format can
//! carry come back unchanged when the file is parsed as its reader parses it.

mod support;

use std::path::Path;

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
