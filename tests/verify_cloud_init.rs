//! Every cloud-config mesosc writes passes cloud-init's schema.
//!
//! - All of them, in every example and environment, go through cloud-init's
//!   own validation code in one Python process (`support::cloud`): header,
//!   YAML, `validate_cloudconfig_schema(strict=True)`; deprecated keys fail
//!   too.
//! - At least one per example also goes through the real CLI,
//!   `cloud-init schema --config-file F`, which must exit 0 and print only
//!   `Valid cloud-config: F`.
//! - Every file a cloud-config writes that the build also writes under
//!   `hosts/<host>/` has the same content there (one source of truth).
//! - A build whose `outputs` ask for `cloud-config` has one for each host.
//! - The machine it boots runs its services: every unit it writes is
//!   started (after a `daemon-reload`), and it starts no unit it lacks.
//! - `broken_cloud_configs_fail`: the checks reject what cloud-init rejects.
//!
//! cloud-init passes unknown top-level keys silently, so the `coreos:` block
//! of a CoreOS cloud-config is not checked by the schema; the units it
//! carries are verified by `tests/verify_systemd.rs`.

mod support;

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use support::{Build, cloud, proc};

/// Runs `cloud-init schema --config-file` on `content`; `Ok` when it exits 0
/// and prints nothing but the "Valid" line.
fn cli(name: &str, content: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let file = dir.path().join("user-data.yaml");
    std::fs::write(&file, content).expect("write");
    let ran = proc::run(
        Command::new("cloud-init")
            .args(["schema", "--config-file"])
            .arg(&file),
        Duration::from_secs(60),
    );
    let output = ran.output();
    let valid = format!("Valid cloud-config: {}", file.display());
    if ran.ok() && output.trim() == valid {
        Ok(())
    } else {
        Err(format!(
            "{name}: cloud-init schema --config-file exited {:?}{}:\n      {}",
            ran.code,
            if ran.timed_out { " (timed out)" } else { "" },
            output
                .trim()
                .replace(&file.display().to_string(), name)
                .replace('\n', "\n      ")
        ))
    }
}

fn problems_of(checked: &cloud::Checked) -> Vec<String> {
    let mut out: Vec<String> = checked
        .errors
        .iter()
        .map(|e| format!("{}: {e}", checked.name))
        .collect();
    out.extend(
        checked
            .deprecations
            .iter()
            .map(|d| format!("{}: deprecated: {d}", checked.name)),
    );
    out
}

/// Files a cloud-config writes that differ from the same path in the host's
/// folder of the same build.
fn disagreements(build: &Build, checked: &cloud::Checked) -> Vec<String> {
    let Some(host) = cloud::host_of(&checked.name) else {
        return Vec::new();
    };
    let files = build.host_files(host);
    let mut out = Vec::new();
    for f in &checked.files {
        if let Some(entry) = files.get(&f.path)
            && f.content.as_deref() != Some(entry.content.as_str())
        {
            out.push(format!(
                "{}: write_files {} differs from hosts/{host}{}",
                checked.name, f.path, f.path
            ));
        }
    }
    out
}

/// The words of a `runcmd` entry (a list, or a string run by `sh`).
fn runcmd_words(entry: &serde_json::Value) -> Vec<String> {
    match entry {
        serde_json::Value::Array(a) => a
            .iter()
            .map(|w| w.as_str().map_or_else(|| w.to_string(), str::to_owned))
            .collect(),
        serde_json::Value::String(s) => s.split_whitespace().map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

/// A machine booted from the cloud-config runs its services: every unit it
/// writes is started (`runcmd: systemctl enable --now`, after a
/// `daemon-reload`, or CoreOS' `command: start`), and every unit it starts is
/// one it defines.
fn started_units(checked: &cloud::Checked) -> Vec<String> {
    let name = &checked.name;
    let mut problems = Vec::new();
    let mut defined = BTreeMap::new();
    for f in &checked.files {
        if let Some(unit) = f.path.strip_prefix("/etc/systemd/system/")
            && !unit.contains('/')
            && unit.ends_with(".service")
        {
            defined.insert(unit.to_owned(), false);
        }
    }
    for u in checked.units.iter().filter(|u| u.content.is_some()) {
        let started = matches!(u.command.as_deref(), Some("start" | "restart"));
        defined.insert(u.name.clone(), started);
    }
    let mut reloaded = false;
    let runcmd = checked.config["runcmd"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for entry in &runcmd {
        let words = runcmd_words(entry);
        let Some(at) = words.iter().position(|w| w == "systemctl") else {
            continue;
        };
        let args: Vec<&str> = words[at + 1..].iter().map(String::as_str).collect();
        if args.first() == Some(&"daemon-reload") {
            reloaded = true;
            continue;
        }
        let starts = args.first() == Some(&"start")
            || (args.first() == Some(&"enable") && args.contains(&"--now"));
        if !starts {
            continue;
        }
        for unit in args.iter().skip(1).filter(|a| !a.starts_with('-')) {
            if !reloaded {
                problems.push(format!(
                    "{name}: runcmd starts {unit} before `systemctl daemon-reload`"
                ));
            }
            match defined.get_mut(*unit) {
                Some(started) => *started = true,
                None => problems.push(format!(
                    "{name}: runcmd starts {unit}, which the cloud-config does not write"
                )),
            }
        }
    }
    for (unit, started) in defined {
        if !started {
            problems.push(format!("{name}: writes {unit} but never starts it"));
        }
    }
    problems
}

#[test]
fn every_cloud_config_passes_cloud_init_schema() {
    if support::real_tools::skip(&["cloud-init"]) {
        return;
    }
    let builds = support::builds();
    let start = Instant::now();
    let mut docs = Vec::new();
    let mut owner = Vec::new();
    let mut problems = Vec::new();
    for (i, b) in builds.iter().enumerate() {
        let found = cloud::cloud_configs(&b.files);
        if b.model.outputs.cloud_config.is_some() {
            for host in b.hosts() {
                if !found.iter().any(|(p, _)| cloud::host_of(p) == Some(host)) {
                    problems.push(format!(
                        "{}: outputs ask for cloud-config, but host {host} has none",
                        b.label()
                    ));
                }
            }
        }
        for (path, content) in found {
            docs.push((format!("{}: {path}", b.label()), content));
            owner.push((i, path));
        }
    }
    assert!(
        !docs.is_empty(),
        "no example writes a cloud-config (examples/thegrid.mcl and coreos-ha.mcl ask for one)"
    );
    let checked = cloud::validate(&docs);
    let batch = start.elapsed();
    // The CLI on the first cloud-config of each example.
    let mut first: BTreeMap<&str, (String, &str)> = BTreeMap::new();
    for ((name, content), (i, _)) in docs.iter().zip(&owner) {
        first
            .entry(builds[*i].example.as_str())
            .or_insert((name.clone(), content.as_str()));
    }
    let cli_results: Vec<Result<(), String>> = std::thread::scope(|s| {
        let handles: Vec<_> = first
            .values()
            .map(|(name, content)| s.spawn(move || cli(name, content)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("cli thread"))
            .collect()
    });
    for (c, (i, path)) in checked.iter().zip(&owner) {
        problems.extend(problems_of(c));
        let mut renamed = c.clone();
        renamed.name = path.clone();
        problems.extend(disagreements(&builds[*i], &renamed));
        problems.extend(started_units(&renamed));
    }
    problems.extend(cli_results.into_iter().filter_map(Result::err));
    eprintln!(
        "{} cloud-configs of {} builds validated in one process in {batch:.2?}; \
         the CLI on {} of them; total {:.2?}",
        docs.len(),
        builds.len(),
        first.len(),
        start.elapsed()
    );
    assert!(
        problems.is_empty(),
        "{}",
        support::report("cloud-configs cloud-init rejects", &problems)
    );
}

#[test]
fn broken_cloud_configs_fail() {
    if support::real_tools::skip(&["cloud-init"]) {
        return;
    }
    let good = "#cloud-config\nhostname: core-01\nwrite_files:\n  - path: /etc/mesos/master.env\n    \
                permissions: \"0644\"\n    content: |\n      MESOS_QUORUM=2\n";
    let cases = [
        ("control", good.to_owned(), ""),
        (
            "no #cloud-config header",
            good.replacen("#cloud-config\n", "", 1),
            "needs to begin with",
        ),
        (
            "unquoted permissions (YAML reads 0644 as 420)",
            good.replace("\"0644\"", "0644"),
            "420 is not of type 'string'",
        ),
        (
            "a misspelt key of write_files",
            good.replace("content: |", "contents: |"),
            "'contents' was unexpected",
        ),
        (
            "not YAML",
            good.replace("hostname: core-01", "hostname: [core-01"),
            "not valid YAML",
        ),
        (
            "a top-level list",
            "#cloud-config\n- a\n".to_owned(),
            "not a YAML dict",
        ),
    ];
    let docs: Vec<(String, String)> = cases
        .iter()
        .map(|(n, c, _)| ((*n).to_owned(), c.clone()))
        .collect();
    let checked = cloud::validate(&docs);
    let mut wrong = Vec::new();
    for ((what, _, expect), c) in cases.iter().zip(&checked) {
        let problems = problems_of(c).join("\n");
        match (expect.is_empty(), problems.is_empty()) {
            (true, true) => {}
            (true, false) => wrong.push(format!("{what}: should pass: {problems}")),
            (false, true) => wrong.push(format!("{what}: passed, should fail")),
            (false, false) if !problems.contains(expect) => {
                wrong.push(format!("{what}: failed without `{expect}`: {problems}"));
            }
            (false, false) => {}
        }
    }
    // The CLI agrees on the control and on a schema error.
    if let Err(e) = cli("control", &cases[0].1) {
        wrong.push(format!("CLI rejects the control: {e}"));
    }
    match cli("permissions", &cases[2].1) {
        Ok(()) => wrong.push("CLI accepts unquoted permissions".to_owned()),
        Err(e) if !e.contains("420 is not of type 'string'") => {
            wrong.push(format!("CLI fails for another reason: {e}"));
        }
        Err(_) => {}
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn units_written_but_not_started_fail() {
    if support::real_tools::skip(&["cloud-init"]) {
        return;
    }
    let doc = "#cloud-config\nwrite_files:\n  - path: /etc/systemd/system/a.service\n    \
               content: |\n      [Unit]\n  - path: /etc/systemd/system/b.service\n    \
               content: |\n      [Unit]\nruncmd:\n  - [systemctl, enable, --now, a.service]\n  \
               - [systemctl, daemon-reload]\n  - [systemctl, enable, --now, c.service]\n";
    let c = &cloud::validate(&[("doc".to_owned(), doc.to_owned())])[0];
    assert!(problems_of(c).is_empty(), "{:?}", problems_of(c));
    let problems = started_units(c).join("\n");
    for e in [
        "runcmd starts a.service before `systemctl daemon-reload`",
        "runcmd starts c.service, which the cloud-config does not write",
        "writes b.service but never starts it",
    ] {
        assert!(
            problems.contains(e),
            "not reported: {e}\nreported:\n{problems}"
        );
    }
}

#[test]
fn the_units_a_cloud_config_carries_are_extracted() {
    if support::real_tools::skip(&["cloud-init"]) {
        return;
    }
    let doc = "#cloud-config\nwrite_files:\n  - path: /etc/systemd/system/a.service\n    \
               encoding: b64\n    content: W1VuaXRdCg==\ncoreos:\n  units:\n    - name: b.service\n      \
               command: start\n      content: |\n        [Unit]\n      drop-ins:\n        - name: 10-x.conf\n          \
               content: |\n            [Service]\n";
    let c = &cloud::validate(&[("doc".to_owned(), doc.to_owned())])[0];
    assert_eq!(c.files.len(), 1);
    assert_eq!(c.files[0].content.as_deref(), Some("[Unit]\n"));
    assert_eq!(c.units.len(), 1);
    assert_eq!(c.units[0].name, "b.service");
    assert_eq!(c.units[0].content.as_deref(), Some("[Unit]\n"));
    assert_eq!(
        c.units[0].drop_ins,
        [("10-x.conf".to_owned(), "[Service]\n".to_owned())]
    );
}
