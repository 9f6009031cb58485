//! What a command acts on: the FILE given (`-` for standard input), or
//! every `[[cluster]]` of the workspace file `mesosc.toml`.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use mesosc::files::{MAX_FILE_SIZE, MemoryFiles};
use mesosc::workspace::{self, Entry};

use super::Common;

/// The name standard input gets in reports, unless `--stdin-filename`.
pub const STDIN: &str = "<stdin>";

/// One cluster to act on.
pub struct Target {
    /// The main file (or standard input's name).
    pub file: PathBuf,
    /// The environment overlay.
    pub env: Option<String>,
    /// The output folder.
    pub out: PathBuf,
    /// The workspace entry it comes from.
    pub entry: Option<Entry>,
    /// Standard input's text under `file`'s name, the disk for the rest.
    pub stdin: Option<MemoryFiles>,
}

impl Target {
    /// The main file, for messages.
    pub fn file_name(&self) -> String {
        self.file.display().to_string()
    }

    /// The command line that runs `verb` on this target again, for hints:
    /// `mesosc build cluster.mcl --out out2` (`--out` and `--env` only when
    /// given; just `mesosc build` for a workspace entry, which the workspace
    /// folder's `mesosc build` covers).
    pub fn command(&self, verb: &str) -> String {
        let mut words = vec!["mesosc".to_owned(), verb.to_owned()];
        if self.entry.is_none() && self.stdin.is_none() {
            words.push(super::ui::shell_word(&self.file_name()));
            if self.out != Path::new("out") {
                words.push("--out".into());
                words.push(super::ui::shell_word(&self.out.display().to_string()));
            }
            if let Some(env) = &self.env {
                words.push("--env".into());
                words.push(super::ui::shell_word(env));
            }
        }
        words.join(" ")
    }

    /// Names the workspace entry before its reports: a line on standard
    /// error, and an `entry` record in JSON.
    pub fn announce(&self, json: bool) {
        let Some(entry) = &self.entry else {
            return;
        };
        if !super::ui::get().quiet {
            let _ = writeln!(
                std::io::stderr(),
                "==> {} (into {})",
                entry.name(),
                entry.out.display()
            );
        }
        if json {
            let (source, out) = (
                entry.source.display().to_string(),
                entry.out.display().to_string(),
            );
            let mut line = mesosc::json::records::line(&mesosc::json::records::Entry {
                kind: "entry",
                source: &source,
                env: entry.env.as_deref(),
                out: &out,
            });
            line.push('\n');
            let _ = std::io::stdout().lock().write_all(line.as_bytes());
        }
    }
}

/// Reads standard input as a source: UTF-8, at most the size limit of a file.
pub fn read_stdin() -> std::io::Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(std::io::Error::other("more than 16 MiB"));
    }
    String::from_utf8(bytes).map_err(|_| std::io::Error::other("not UTF-8"))
}

/// The targets of a command: FILE with `--env` and `--out`, or, without
/// FILE, every entry of the nearest `mesosc.toml` (the working directory
/// becomes its folder, so paths and generated headers are the same from
/// any folder below it). An error is a message for a usage problem.
pub fn resolve(
    file: Option<&Path>,
    out: Option<&Path>,
    common: &Common,
) -> Result<Vec<Target>, String> {
    if let Some(file) = file {
        let stdin = if file == Path::new("-") {
            Some(read_stdin().map_err(|e| format!("cannot read standard input: {e}"))?)
        } else {
            None
        };
        let name = match (&stdin, &common.stdin_filename) {
            (Some(_), Some(name)) => name.clone(),
            (Some(_), None) => PathBuf::from(STDIN),
            (None, _) => file.to_path_buf(),
        };
        let stdin = stdin.map(|text| {
            let mut files = MemoryFiles::new();
            files.fall_back_to_disk = true;
            files.insert(name.clone(), text);
            files
        });
        return Ok(vec![Target {
            file: name,
            env: common.env.clone(),
            out: out.map_or_else(|| PathBuf::from("out"), Path::to_path_buf),
            entry: None,
            stdin,
        }]);
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let Some(path) = workspace::find(&cwd) else {
        return Err(format!(
            "no FILE given, and no `{}` in this folder or above (give the main `.mcl` file, or list the clusters in `{}`)",
            workspace::FILE_NAME,
            workspace::FILE_NAME
        ));
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let ws = workspace::parse(&text).map_err(|e| format!("{}:{e}", path.display()))?;
    for (flag, given) in [("--env", common.env.is_some()), ("--out", out.is_some())] {
        if given {
            return Err(format!(
                "`{flag}` needs a FILE: each cluster of `{}` gives its own",
                path.display()
            ));
        }
    }
    if let Some(dir) = path.parent() {
        std::env::set_current_dir(dir)
            .map_err(|e| format!("cannot enter `{}`: {e}", dir.display()))?;
    }
    Ok(ws
        .clusters
        .into_iter()
        .map(|entry| Target {
            file: entry.source.clone(),
            env: entry.env.clone(),
            out: entry.out.clone(),
            entry: Some(entry),
            stdin: None,
        })
        .collect())
}
