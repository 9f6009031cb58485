//! cloud-init's own schema code, run once over many files.
//!
//! `cloud-init schema --config-file F` costs about 185 ms a file, almost all
//! of it Python starting up; [`validate`] runs the same steps
//! (`validate_cloudconfig_file`: the `#cloud-config` header, YAML through
//! cloud-init's `safeyaml`, a mapping at the top, then
//! `validate_cloudconfig_schema(cfg, get_schema(), strict=True)`) for every
//! file in one Python process, with the interpreter cloud-init itself runs
//! on (its `#!` line), and returns each file's parsed YAML as JSON with the
//! files it writes decoded (`write_files` with cloud-init's own
//! `extract_contents`) and CoreOS' `coreos.units`, so the systemd harness
//! can verify the units a cloud-config carries.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// The outcome for one cloud-config.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The name it was given (its path in the build).
    pub name: String,
    /// Schema errors (and format errors: header, YAML, not a mapping).
    pub errors: Vec<String>,
    /// Deprecated keys: `cloud-init schema` prints them and passes; the
    /// harness fails on them too.
    pub deprecations: Vec<String>,
    /// The parsed document (`null` when it did not parse).
    pub config: Value,
    /// `write_files` entries, contents decoded.
    pub files: Vec<WrittenFile>,
    /// `coreos.units` entries.
    pub units: Vec<CoreosUnit>,
}

/// A `write_files` entry.
#[derive(Clone, Debug)]
pub struct WrittenFile {
    /// Absolute path on the host.
    pub path: String,
    /// Decoded content (`None` when it is not UTF-8).
    pub content: Option<String>,
    /// `permissions` as written (a string such as `"0644"`, or what YAML made of it).
    pub permissions: Value,
}

/// A `coreos.units` entry.
#[derive(Clone, Debug)]
pub struct CoreosUnit {
    /// `name`.
    pub name: String,
    /// `content`, when the unit is defined here.
    pub content: Option<String>,
    /// `drop-ins`: (name, content).
    pub drop_ins: Vec<(String, String)>,
    /// `command` (`start`...).
    pub command: Option<String>,
}

/// The Python that runs cloud-init: the interpreter of `cloud-init`'s `#!`
/// line (a `python3` earlier on `PATH` may not have the `cloudinit` module).
pub fn python() -> PathBuf {
    let which = Command::new("sh")
        .args(["-c", "command -v cloud-init"])
        .output()
        .expect("sh");
    let path = String::from_utf8_lossy(&which.stdout).trim().to_owned();
    assert!(
        which.status.success() && !path.is_empty(),
        "cloud-init is not installed: {}",
        super::INSTALL_HINT
    );
    let script = std::fs::read_to_string(&path).expect("cloud-init is readable");
    let shebang = script.lines().next().unwrap_or_default();
    let interpreter = shebang
        .strip_prefix("#!")
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or("/usr/bin/python3");
    PathBuf::from(interpreter)
}

const SCRIPT: &str = r#"
import base64, json, sys
from cloudinit import safeyaml
from cloudinit.config import schema as S
from cloudinit.config.cc_write_files import canonicalize_extraction, extract_contents
try:
    S.get_jsonschema_validator()
except ImportError as e:
    print("jsonschema is missing, so cloud-init would skip validation: %s" % e, file=sys.stderr)
    sys.exit(3)
SCHEMA = S.get_schema()
HEADER = S.CLOUD_CONFIG_HEADER.decode()

def text(b):
    if isinstance(b, str):
        return b
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return None

def check(name, content):
    out = {"name": name, "errors": [], "deprecations": [], "config": None, "files": [], "units": []}
    if not content.startswith(HEADER):
        out["errors"].append('format-l1.c1: needs to begin with "%s"' % HEADER)
        return out
    try:
        cfg = safeyaml.load(content)
    except Exception as e:
        out["errors"].append("not valid YAML: %s" % e)
        return out
    if not isinstance(cfg, dict):
        out["errors"].append("Cloud-config is not a YAML dict.")
        return out
    out["config"] = json.loads(json.dumps(cfg, default=str))
    try:
        S.validate_cloudconfig_schema(cfg, SCHEMA, strict=True, log_details=False)
    except S.SchemaValidationError as e:
        out["errors"] += ["%s: %s" % p for p in e.schema_errors]
        out["deprecations"] += ["%s: %s" % p for p in e.schema_deprecations]
    for f in cfg.get("write_files") or []:
        if not isinstance(f, dict):
            continue
        body = f.get("content", "")
        raw = body.encode() if isinstance(body, str) else body
        try:
            decoded = extract_contents(raw, canonicalize_extraction(f.get("encoding")))
        except Exception as e:
            out["errors"].append("write_files %s: cannot decode: %s" % (f.get("path"), e))
            decoded = b""
        out["files"].append({"path": f.get("path"), "content": text(decoded),
                             "permissions": json.loads(json.dumps(f.get("permissions"), default=str))})
    coreos = cfg.get("coreos")
    for u in (coreos.get("units") or []) if isinstance(coreos, dict) else []:
        if not isinstance(u, dict):
            continue
        out["units"].append({
            "name": u.get("name"), "content": u.get("content"), "command": u.get("command"),
            "drop_ins": [[d.get("name"), d.get("content")] for d in u.get("drop-ins") or []],
        })
    return out

docs = json.load(sys.stdin)
json.dump([check(d["name"], d["content"]) for d in docs], sys.stdout)
"#;

/// Validates every `(name, content)` in one Python process.
pub fn validate(docs: &[(String, String)]) -> Vec<Checked> {
    if docs.is_empty() {
        return Vec::new();
    }
    let input: Vec<Value> = docs
        .iter()
        .map(|(n, c)| serde_json::json!({"name": n, "content": c}))
        .collect();
    let mut child = Command::new(python())
        .args(["-c", SCRIPT])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start cloud-init's python: {e}"));
    let body = serde_json::to_vec(&input).expect("json");
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let out = child.wait_with_output().expect("python ran");
    writer.join().expect("writer").expect("write to python");
    assert!(
        out.status.success(),
        "cloud-init's schema code failed (exit {:?}); {}\n{}",
        out.status.code(),
        super::INSTALL_HINT,
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Vec<Value> = serde_json::from_slice(&out.stdout).expect("python's JSON");
    parsed.into_iter().map(from_json).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn from_json(v: Value) -> Checked {
    let s = |v: &Value| v.as_str().map(str::to_owned);
    Checked {
        name: s(&v["name"]).unwrap_or_default(),
        errors: strings(&v["errors"]),
        deprecations: strings(&v["deprecations"]),
        config: v["config"].clone(),
        files: v["files"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| WrittenFile {
                path: s(&f["path"]).unwrap_or_default(),
                content: s(&f["content"]),
                permissions: f["permissions"].clone(),
            })
            .collect(),
        units: v["units"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|u| CoreosUnit {
                name: s(&u["name"]).unwrap_or_default(),
                content: s(&u["content"]),
                command: s(&u["command"]),
                drop_ins: u["drop_ins"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|d| Some((s(&d[0])?, s(&d[1])?)))
                    .collect(),
            })
            .collect(),
    }
}

/// The cloud-configs of a build: every file named `cloud-config.yaml`, or
/// any `.yaml`/`.yml` file that starts with `#cloud-config`, or one whose
/// name says cloud-config; by path.
/// The host a cloud-config at `path` (`cloud-config/<host>.yaml`) is for.
pub fn host_of(path: &str) -> Option<&str> {
    path.strip_prefix("cloud-config/")?.strip_suffix(".yaml")
}

pub fn cloud_configs(files: &mesosc::emit::FileSet) -> Vec<(String, String)> {
    files
        .iter()
        .filter(|(p, e)| {
            let name = p.rsplit('/').next().unwrap_or(p);
            name.contains("cloud-config")
                || name.contains("user-data")
                || ((name.ends_with(".yaml") || name.ends_with(".yml"))
                    && e.content.starts_with("#cloud-config"))
        })
        .map(|(p, e)| (p.clone(), e.content.clone()))
        .collect()
}
