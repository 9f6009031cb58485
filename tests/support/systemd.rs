//! `systemd-analyze verify` in throwaway roots, and the checks systemd does
//! not make.
//!
//! A [`Root`] is what one machine would hold: its units (and drop-ins) at
//! their paths, stub executables for the programs a real host has installed,
//! and a stub `docker.service` when its units run docker. Each is verified in
//! a root of its own, so a dependency on a unit another machine has fails.
//!
//! `systemd-analyze verify` warns about unknown keys and bad values and still
//! exits 0, so any output at all is a failure. It does not complain about a
//! `Wants=` on a unit that does not exist, nor about an `EnvironmentFile=`
//! nobody provides: [`own_checks`] does, and checks that units running docker
//! require and follow `docker.service`.
//!
//! Speed: a root is a copy of the system's `/lib/systemd/system` (about 250
//! files, slow to create on disk), so a few worker roots are made once and
//! reused: each job clears the previous job's units and stubs, writes its own
//! and runs one `systemd-analyze verify` over all its units (about 30 ms).
//! Identical roots (the twelve agents of a cluster) are verified once.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::proc;
use super::unit::{self, UnitFile};

/// The folder of the system's units; copied into every root.
const SYSTEM_UNITS: &str = "/lib/systemd/system";

/// Unit-file suffixes systemd loads.
pub const UNIT_SUFFIXES: [&str; 11] = [
    ".service",
    ".socket",
    ".target",
    ".timer",
    ".path",
    ".mount",
    ".automount",
    ".swap",
    ".slice",
    ".scope",
    ".device",
];

/// Folders systemd loads system units from.
pub const UNIT_DIRS: [&str; 4] = [
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
];

/// Where the docker daemon's unit of a real host lives, stubbed when needed.
pub const DOCKER_SERVICE: &str = "/usr/lib/systemd/system/docker.service";

/// The executables every real host of these clusters has (the packages'
/// binaries and the shell); stubbed as no-op scripts in every root.
pub const HOST_BINARIES: [&str; 6] = [
    "/usr/sbin/mesos-master",
    "/usr/sbin/mesos-agent",
    "/usr/bin/marathon",
    "/usr/bin/java",
    "/usr/bin/docker",
    "/bin/sh",
];

/// Units of programs the deployment itself provides: never taken from the
/// machine running the tests, even if it has them installed.
const FOREIGN_UNIT_PREFIXES: [&str; 6] = [
    "docker",
    "containerd",
    "zookeeper",
    "mesos",
    "marathon",
    "owca",
];

/// What one machine would hold.
#[derive(Clone, Debug, Default)]
pub struct Root {
    /// Who it is, for messages (`thegrid: host master-01`).
    pub label: String,
    /// Units and drop-ins by absolute path (`/etc/systemd/system/x.service`,
    /// `/etc/systemd/system/x.service.d/y.conf`).
    pub units: BTreeMap<String, String>,
    /// Absolute paths of executables installed on the machine (stubbed).
    pub stubs: BTreeSet<String>,
    /// Files the deployment puts on the machine besides the units (env
    /// files...), by absolute path; `None` when not known, which skips the
    /// `EnvironmentFile=`/`--env-file` check.
    pub provided: Option<BTreeSet<String>>,
}

impl Root {
    /// A root for `label` with the standard stubs.
    pub fn new(label: impl Into<String>) -> Root {
        Root {
            label: label.into(),
            stubs: HOST_BINARIES.iter().map(|s| (*s).to_owned()).collect(),
            ..Root::default()
        }
    }

    /// The unit files (not drop-ins), by absolute path.
    pub fn unit_files(&self) -> impl Iterator<Item = (&String, &String)> {
        self.units.iter().filter(|(p, _)| is_unit_path(p))
    }

    /// True when a unit runs the docker client.
    pub fn needs_docker(&self) -> bool {
        self.unit_files()
            .any(|(_, text)| runs_docker(&UnitFile::parse(text).unwrap_or_default()))
    }

    /// The content that decides the verdict of `systemd-analyze verify`.
    fn key(&self) -> (Vec<(String, String)>, Vec<String>) {
        (
            self.units
                .iter()
                .map(|(p, t)| (p.clone(), t.clone()))
                .collect(),
            self.stubs.iter().cloned().collect(),
        )
    }
}

/// True for a unit file path (`…/systemd/system/x.service`) as opposed to a
/// drop-in (`…/x.service.d/y.conf`).
pub fn is_unit_path(path: &str) -> bool {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    UNIT_DIRS.contains(&dir) && UNIT_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// True for a path systemd reads as a unit or a drop-in of one.
pub fn is_unit_or_dropin_path(path: &str) -> bool {
    if is_unit_path(path) {
        return true;
    }
    let Some((dir, name)) = path.rsplit_once('/') else {
        return false;
    };
    let Some((parent, unit_dir)) = dir.rsplit_once('/') else {
        return false;
    };
    UNIT_DIRS.contains(&parent)
        && unit_dir.ends_with(".d")
        && UNIT_SUFFIXES
            .iter()
            .any(|s| unit_dir.trim_end_matches(".d").ends_with(s))
        && name.ends_with(".conf")
}

/// The result of verifying one distinct root.
#[derive(Debug)]
pub struct Verdict {
    /// Every root that had this content.
    pub labels: Vec<String>,
    /// What `systemd-analyze verify` printed (the root's path removed), and
    /// its exit code.
    pub output: String,
    /// Exit code of `systemd-analyze`.
    pub code: Option<i32>,
    /// Problems found by [`own_checks`].
    pub own: Vec<String>,
}

impl Verdict {
    /// No output, exit 0, nothing from the harness' own checks.
    pub fn passed(&self) -> bool {
        self.output.trim().is_empty() && self.code == Some(0) && self.own.is_empty()
    }

    /// A readable account of a failure.
    pub fn describe(&self) -> String {
        let mut s = format!("[{}]", self.labels.join(", "));
        if !self.output.trim().is_empty() || self.code != Some(0) {
            s.push_str(&format!(
                "\n    systemd-analyze verify (exit {:?}):\n      {}",
                self.code,
                self.output.trim().replace('\n', "\n      ")
            ));
        }
        for p in &self.own {
            s.push_str(&format!("\n    {p}"));
        }
        s
    }
}

/// Fails with [`super::INSTALL_HINT`] when `systemd-analyze` is missing.
pub fn require_systemd_analyze() {
    let found = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "systemd-analyze is not installed: {}",
        super::INSTALL_HINT
    );
}

/// Verifies every root: roots with identical units and stubs share one
/// `systemd-analyze verify` run; the harness' own checks run on each.
pub fn verify(roots: &[Root]) -> Vec<Verdict> {
    require_systemd_analyze();
    // Groups of identical roots, in the order of their first member.
    let mut index: BTreeMap<_, usize> = BTreeMap::new();
    let mut jobs: Vec<Vec<&Root>> = Vec::new();
    for r in roots {
        let i = *index.entry(r.key()).or_insert_with(|| {
            jobs.push(Vec::new());
            jobs.len() - 1
        });
        jobs[i].push(r);
    }
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4)
        .min(jobs.len().max(1));
    let pool = WorkerPool::new(workers);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Verdict)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for w in &pool.roots {
            let (next, results, jobs) = (&next, &results, &jobs);
            let system_units = &pool.system_units;
            s.spawn(move || {
                let mut worker = Worker::new(w);
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(group) = jobs.get(i) else { break };
                    let first = group[0];
                    let (output, code) = worker.run(first);
                    let mut own = Vec::new();
                    for r in group {
                        for p in own_checks(r, system_units) {
                            own.push(format!("{}: {p}", r.label));
                        }
                    }
                    let verdict = Verdict {
                        labels: group.iter().map(|r| r.label.clone()).collect(),
                        output,
                        code,
                        own,
                    };
                    results.lock().expect("lock").push((i, verdict));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("lock");
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, v)| v).collect()
}

/// Worker roots, each a copy of the system's units, in one temporary folder.
struct WorkerPool {
    _dir: tempfile::TempDir,
    roots: Vec<PathBuf>,
    /// Names of the units in the copied system folder.
    system_units: BTreeSet<String>,
}

impl WorkerPool {
    fn new(n: usize) -> WorkerPool {
        let dir = tempfile::Builder::new()
            .prefix("mesosc-verify-")
            .tempdir()
            .expect("temporary folder");
        let mut system_units = BTreeSet::new();
        for e in fs::read_dir(SYSTEM_UNITS).expect("/lib/systemd/system") {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            if !is_foreign(&name) {
                system_units.insert(name);
            }
        }
        let roots: Vec<PathBuf> = (0..n)
            .map(|i| {
                let root = dir.path().join(format!("root{i}"));
                let target = root.join("usr/lib/systemd/system");
                copy_tree(Path::new(SYSTEM_UNITS), &target);
                root
            })
            .collect();
        WorkerPool {
            _dir: dir,
            roots,
            system_units,
        }
    }
}

fn is_foreign(name: &str) -> bool {
    FOREIGN_UNIT_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Copies a folder, keeping symlinks as symlinks (like `cp -a`), without the
/// units of [`FOREIGN_UNIT_PREFIXES`].
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("readable") {
        let e = e.expect("entry");
        let name = e.file_name();
        if is_foreign(&name.to_string_lossy()) {
            continue;
        }
        let (src, dst) = (e.path(), to.join(&name));
        let ty = e.file_type().expect("type");
        if ty.is_symlink() {
            let link = fs::read_link(&src).expect("link");
            std::os::unix::fs::symlink(link, &dst).expect("symlink");
        } else if ty.is_dir() {
            copy_tree(&src, &dst);
        } else {
            fs::copy(&src, &dst).expect("copy");
        }
    }
}

/// One worker root and what the last job put into it.
struct Worker<'a> {
    root: &'a Path,
    written: Vec<PathBuf>,
}

impl<'a> Worker<'a> {
    fn new(root: &'a Path) -> Worker<'a> {
        Worker {
            root,
            written: Vec::new(),
        }
    }

    fn put(&mut self, path: &str, content: &str, executable: bool) {
        let target = self.root.join(path.trim_start_matches('/'));
        fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        fs::write(&target, content).expect("write");
        if executable {
            fs::set_permissions(&target, fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        self.written.push(target);
    }

    fn clear(&mut self) {
        for p in self.written.drain(..) {
            let _ = fs::remove_file(&p);
        }
        // Drop-in folders and /etc are the job's alone.
        let _ = fs::remove_dir_all(self.root.join("etc"));
        let _ = fs::remove_dir_all(self.root.join("run"));
    }

    /// Writes `r` into the root and runs `systemd-analyze verify` on its units.
    fn run(&mut self, r: &Root) -> (String, Option<i32>) {
        self.clear();
        for (path, text) in &r.units {
            self.put(path, text, false);
        }
        for stub in &r.stubs {
            self.put(stub, "#!/bin/sh\nexit 0\n", true);
        }
        if r.needs_docker() && !r.units.contains_key(DOCKER_SERVICE) {
            self.put(DOCKER_SERVICE, DOCKER_STUB_UNIT, false);
        }
        let names: Vec<PathBuf> = r
            .unit_files()
            .map(|(p, _)| self.root.join(p.trim_start_matches('/')))
            .collect();
        if names.is_empty() {
            return (String::new(), Some(0));
        }
        let root = self.root.to_string_lossy().into_owned();
        let ran = proc::run(
            Command::new("systemd-analyze")
                .env_clear()
                .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                // The default; set so an inherited SYSTEMD_LOG_LEVEL=err
                // cannot hide the warnings that are the whole point.
                .env("SYSTEMD_LOG_LEVEL", "info")
                .current_dir(self.root.join("usr/lib/systemd/system"))
                .arg("verify")
                .arg(format!("--root={root}"))
                .args(["--man=no", "--generators=no", "--recursive-errors=yes"])
                .args(&names),
            Duration::from_secs(60),
        );
        let mut output = ran.output().replace(&root, "");
        if ran.timed_out {
            output.push_str("\n(systemd-analyze verify timed out after 60 s)");
        }
        (output, ran.code)
    }
}

/// The stub of the docker daemon's unit, for hosts whose units need it.
const DOCKER_STUB_UNIT: &str = "[Unit]\nDescription=Docker (stub of the harness)\n\n[Service]\nExecStart=/usr/bin/docker daemon\n\n[Install]\nWantedBy=multi-user.target\n";

/// Dependency keys whose targets must exist on the machine.
const DEPENDENCY_KEYS: [(&str, &str); 10] = [
    ("Unit", "Wants"),
    ("Unit", "Requires"),
    ("Unit", "Requisite"),
    ("Unit", "BindsTo"),
    ("Unit", "PartOf"),
    ("Unit", "Upholds"),
    ("Unit", "After"),
    ("Unit", "Before"),
    ("Unit", "OnFailure"),
    ("Unit", "OnSuccess"),
];

/// Install keys whose targets must exist when the unit is enabled.
const INSTALL_KEYS: [(&str, &str); 3] = [
    ("Install", "WantedBy"),
    ("Install", "RequiredBy"),
    ("Install", "Also"),
];

/// The checks `systemd-analyze verify` does not make:
///
/// - every unit named by a dependency (`Wants=`, `Requires=`, `After=`, …) or
///   `[Install]` key exists on the machine: in the root's units, the
///   system's, or the docker stub when docker is needed (`systemd-analyze`
///   passes a `Wants=` on a missing unit silently);
/// - every `EnvironmentFile=` (without `-`) and `docker run --env-file` names
///   a file the deployment provides on that machine (systemd refuses to start
///   the unit otherwise; docker refuses to run);
/// - a unit that runs docker has `Requires=` (or `BindsTo=`) and `After=`
///   on `docker.service`.
pub fn own_checks(r: &Root, system_units: &BTreeSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut known: BTreeSet<String> = system_units.clone();
    for p in r.units.keys().filter(|p| is_unit_path(p)) {
        known.insert(p.rsplit('/').next().unwrap_or(p).to_owned());
    }
    if r.needs_docker() {
        known.insert("docker.service".to_owned());
    }
    let exists = |name: &str| {
        known.contains(name)
            || name.split_once('@').is_some_and(|(stem, rest)| {
                let suffix = rest.rsplit_once('.').map_or("", |(_, s)| s);
                known.contains(&format!("{stem}@.{suffix}"))
            })
    };
    for (path, text) in &r.units {
        let name = path.rsplit('/').next().unwrap_or(path);
        let unit = match UnitFile::parse(text) {
            Ok(u) => u,
            Err(e) => {
                problems.push(format!("{path}: {e}"));
                continue;
            }
        };
        // What systemd-analyze calls the instance of a template it verifies.
        let instance = "test_instance";
        for (section, key) in DEPENDENCY_KEYS.iter().chain(&INSTALL_KEYS) {
            for dep in unit.names(section, key) {
                let dep = dep.replace("%i", instance).replace("%I", instance);
                let dep = if name.contains("@.") {
                    dep.replace("%p", name.split('@').next().unwrap_or(""))
                } else {
                    dep
                };
                if !exists(&dep) {
                    problems.push(format!(
                        "{path}: {key}={dep}, but no unit {dep} exists on this machine"
                    ));
                }
            }
        }
        if let Some(provided) = &r.provided {
            for file in unit.values("Service", "EnvironmentFile") {
                if file.starts_with('-') {
                    continue;
                }
                if !provided.contains(file) {
                    problems.push(format!(
                        "{path}: EnvironmentFile={file}, which nothing puts on this machine"
                    ));
                }
            }
            for file in docker_env_files(&unit) {
                if !provided.contains(&file) {
                    problems.push(format!(
                        "{path}: docker run --env-file {file}, which nothing puts on this machine"
                    ));
                }
            }
        }
        if is_unit_path(path) && runs_docker(&unit) {
            let hard = unit
                .names("Unit", "Requires")
                .into_iter()
                .chain(unit.names("Unit", "BindsTo"));
            if !hard.into_iter().any(|d| d == "docker.service") {
                problems.push(format!(
                    "{path}: runs docker without Requires=docker.service"
                ));
            }
            if !unit
                .names("Unit", "After")
                .iter()
                .any(|d| d == "docker.service")
            {
                problems.push(format!("{path}: runs docker without After=docker.service"));
            }
        }
    }
    problems
}

/// Every command of the unit's `Exec*=` settings.
pub fn exec_commands(unit: &UnitFile) -> Vec<unit::Command> {
    let keys = [
        "ExecStartPre",
        "ExecStart",
        "ExecStartPost",
        "ExecReload",
        "ExecStop",
        "ExecStopPost",
        "ExecCondition",
    ];
    keys.iter()
        .flat_map(|k| unit.values("Service", k))
        .filter_map(|v| unit::commands(v, "test_instance").ok())
        .flatten()
        .collect()
}

/// True when one of the unit's commands is the docker client.
pub fn runs_docker(unit: &UnitFile) -> bool {
    exec_commands(unit)
        .iter()
        .any(|c| c.argv.first().is_some_and(|p| p.ends_with("/docker")))
}

/// The `--env-file` arguments of the unit's `docker run` commands.
pub fn docker_env_files(unit: &UnitFile) -> Vec<String> {
    let mut out = Vec::new();
    for c in exec_commands(unit) {
        if !c.argv.first().is_some_and(|p| p.ends_with("/docker")) {
            continue;
        }
        let mut args = c.argv.iter().skip(1);
        while let Some(a) = args.next() {
            if a == "--env-file" {
                out.extend(args.next().cloned());
            } else if let Some(f) = a.strip_prefix("--env-file=") {
                out.push(f.to_owned());
            }
        }
    }
    out
}
