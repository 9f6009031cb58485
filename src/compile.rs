//! The pipeline driver: one call from a path to a checked cluster.

use std::io;
use std::path::Path;

use miette::Diagnostic;
use thiserror::Error;

use crate::emit::{self, FileSet, Inputs};
use crate::files::Files;
use crate::model;
use crate::model::Cluster;
use crate::model::ModelError;
use crate::plan::PlanError;
use crate::plan::{self, Plan};
use crate::resolve::{self, CheckError, Resolved};
use crate::span::{SourceMap, Span};
use crate::syntax::ParseError;

/// A diagnostic from any stage.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error, Diagnostic)]
pub enum Error {
    /// From the parser.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(#[from] ParseError),
    /// From resolution and checking.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] CheckError),
    /// From the model checks (flags, topology, ports, auth, profiles).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Model(#[from] ModelError),
    /// From planning (the dependency graph).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Plan(#[from] PlanError),
    /// From a rollout's danger checks (`mesosc plan --from`).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rollout(#[from] crate::rollout::RolloutError),
}

/// Every diagnostic of one compilation (of any stage), in the order found.
pub type Diagnostics = crate::diagnostic::Diagnostics<Error>;

/// What the user chose on the command line (or the editor in its settings).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--env NAME`: the environment overlay to apply, over `cluster.environment`.
    pub env: Option<String>,
    /// Free the resolved tables once the model is built, leaving
    /// [`Checked::resolved`] `None`: the command line needs only the model
    /// and the plan, and at 10,000 hosts the tables are a third of a
    /// check's memory. Editors keep them (hover, completion, definitions).
    pub drop_resolved: bool,
}

/// The result of checking: the sources, every diagnostic, and what was built
/// before the first stage that failed.
#[derive(Debug)]
pub struct Checked {
    /// Every file read.
    pub sources: SourceMap,
    /// Every diagnostic, in the order found.
    pub diagnostics: Diagnostics,
    /// The resolved description (present unless the main file could not be read).
    pub resolved: Option<Resolved>,
    /// The checked model, when no error was found.
    pub model: Option<Cluster>,
    /// The rollout plan, when the model was built and its graph is acyclic.
    pub plan: Option<Plan>,
    /// What the output is a function of: the sources and everything else
    /// read (see [`Inputs`]).
    pub inputs: Inputs,
    /// Every variable `env()` read, with its value (`None`: not set). The
    /// language server never shows these values.
    pub vars: Vec<(String, Option<String>)>,
}

/// The result of a build: the check, and the files when it found no error.
#[derive(Debug)]
pub struct Built {
    /// Everything the check found.
    pub checked: Checked,
    /// The files of `out/`, in memory; `None` when there were errors.
    pub files: Option<FileSet>,
}

/// Checks `text` as the one in-memory file `/test.mcl`, with no
/// environment variables and default options (the unit tests' shorthand).
#[cfg(test)]
pub(crate) fn check_text(text: &str) -> Checked {
    let mut files = crate::files::MemoryFiles::new();
    files.insert("/test.mcl", text);
    let none = |_: &str| None;
    check_path(Path::new("/test.mcl"), &files, &none, &Options::default())
        .expect("an in-memory file is readable")
}

/// Reads `path` and everything it imports, and checks it all.
///
/// An I/O error on the main file is returned as `Err` (the CLI's exit code 2);
/// everything else, including unreadable imports, is a diagnostic.
pub fn check_path(
    path: &Path,
    files: &dyn Files,
    vars: &dyn Fn(&str) -> Option<String>,
    options: &Options,
) -> io::Result<Checked> {
    let text = files.read(path)?;
    let mut sources = SourceMap::new();
    let main = sources
        .add(path.display().to_string(), path.to_path_buf(), text)
        .ok_or_else(|| io::Error::other("the file is too large"))?;
    let mut diagnostics = Diagnostics::new();
    // Every variable `env()` reads, with its value: an input of the build.
    let read = std::cell::RefCell::new(std::collections::BTreeMap::new());
    let recording = |name: &str| {
        let value = vars(name);
        read.borrow_mut().insert(name.to_owned(), value.clone());
        value
    };
    let resolved = resolve::resolve_loaded(
        main,
        files,
        &recording,
        options.env.as_deref(),
        &mut sources,
        &mut diagnostics,
    );
    // The model is checked only over a clean resolution: a host lost to a
    // syntax error would otherwise cascade into "no leader" and the like.
    let model = match &resolved {
        Some(r) if diagnostics.error_count() == 0 => {
            model::build(r, &display_name(path), &mut diagnostics)
        }
        _ => None,
    };
    let resolved = resolved.filter(|_| !options.drop_resolved);
    let plan = model.as_ref().and_then(|m| match plan::plan(m) {
        Ok(p) => Some(p),
        Err(errors) => {
            errors.into_iter().for_each(|e| diagnostics.push(e));
            None
        }
    });
    diagnostics.dedup();
    let vars_read: Vec<(String, Option<String>)> = read.into_inner().into_iter().collect();
    let inputs = Inputs::new(
        &display_name(path),
        source_hashes(path, &sources),
        options.env.as_deref(),
        &vars_read,
    );
    Ok(Checked {
        sources,
        diagnostics,
        resolved,
        model,
        plan,
        inputs,
        vars: vars_read,
    })
}

/// Checks `path` and, when no error was found, emits the files of `out/`.
pub fn compile(
    path: &Path,
    files: &dyn Files,
    vars: &dyn Fn(&str) -> Option<String>,
    options: &Options,
) -> io::Result<Built> {
    let mut checked = check_path(path, files, vars, options)?;
    let files = emit_checked(&mut checked);
    Ok(Built { checked, files })
}

/// Emits the files of a check that found no error; `None` (with the reason
/// among the diagnostics) otherwise.
pub fn emit_checked(checked: &mut Checked) -> Option<FileSet> {
    let emitted = match (&checked.model, &checked.plan) {
        (Some(model), Some(plan)) if checked.diagnostics.error_count() == 0 => {
            Some(emit::emit(model, plan))
        }
        _ => None,
    };
    // A file where another file needs its folder (ZooKeeper's `myid` goes
    // into its work_dir, which may name a generated file) cannot be
    // written: say so here rather than fail in the writer.
    let clash = emitted
        .as_ref()
        .zip(checked.model.as_ref())
        .and_then(|(files, model)| folder_clash(files, model));
    if let Some(error) = clash {
        checked.diagnostics.push(error);
        return None;
    }
    emitted
}

/// The first generated file that another generated file needs as a folder,
/// as an error on its host.
fn folder_clash(files: &FileSet, model: &Cluster) -> Option<CheckError> {
    let (file, inner) = files.keys().find_map(|path| {
        let mut dir = path.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if files.contains_key(parent) {
                return Some((parent, path));
            }
            dir = parent;
        }
        None
    })?;
    let host = files[file].host.as_deref().or(files[inner].host.as_deref());
    let span = model
        .hosts
        .iter()
        .find(|h| Some(h.name.as_str()) == host)
        .map_or(Span::DETACHED, |h| h.span);
    Some(CheckError::InvalidValue {
        message: format!("`{file}` would be both a generated file and the folder of `{inner}`"),
        span,
        label: "on this host".into(),
        help: Some(
            "ZooKeeper writes `myid` into its `work_dir`: choose a work_dir that is not \
             a file mesosc generates"
                .into(),
        ),
    })
}

/// Every source file, named relative to the main file's folder, with the
/// sha256 of its text: what `manifest.json` records.
fn source_hashes(main: &Path, sources: &SourceMap) -> Vec<(String, String)> {
    let dir = main.parent().unwrap_or(Path::new(""));
    let mut out: Vec<(String, String)> = sources
        .files()
        .map(|(_, f)| {
            (
                relative_name(dir, &f.path),
                emit::sha256_hex(f.text.as_bytes()),
            )
        })
        .collect();
    out.sort();
    out
}

/// `path` relative to `dir` when it lies below it, else its file name, so
/// the output never holds where the sources were on this machine.
fn relative_name(dir: &Path, path: &Path) -> String {
    let rel = path
        .strip_prefix(dir)
        .ok()
        .filter(|r| !r.as_os_str().is_empty());
    match rel {
        Some(r) => r.to_string_lossy().replace('\\', "/"),
        None => display_name(path),
    }
}

/// The name of the main file as it goes into generated headers: its file
/// name only, so the output does not depend on where mesosc ran.
fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The process environment, as `env()` reads it.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}
