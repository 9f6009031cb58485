//! The server's documents and the checks run over them.
//!
//! Open buffers live in a [`MemoryFiles`] that falls back to the disk, so an
//! import reads the open buffer when there is one. Every open document is
//! checked as a main file; a check remembers every file it read, so a change
//! to `common.mcl` re-checks each open file that imports it.
//!
//! Which diagnostics are shown: those of the *root* checks, the documents
//! no other open document imports. A library imported by an open main file
//! (`common.mcl` under `thegrid.mcl`) gets its diagnostics from the main's
//! check, in context, rather than from its own (which would complain, say,
//! that it has no `cluster` block). Documents importing each other are both
//! roots. Checks run lazily: changes mark documents dirty, and
//! [`State::flush`] runs the checks once the queue of incoming messages is
//! empty (or before a request that needs them), so a burst of keystrokes
//! costs one check.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use lsp_types::{Diagnostic, Uri};

use crate::compile::{self, Checked, Options};
use crate::files::{Files, MemoryFiles, normalize};
use crate::span::{FileId, SourceFile};

use super::convert::{path_to_uri, uri_to_path};
use super::diagnostics::{convert_all, local_model_diagnostics, unreadable};
use super::workspace::Workspace;

/// The code a library (a file with no `cluster` block that another file
/// imports) does not get when checked alone.
const MISSING_CLUSTER: &str = "mcl::check::missing_cluster";

/// An open document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The URI the editor uses for it.
    pub uri: Uri,
    /// The editor's version of its text.
    pub version: i32,
}

/// One check of an open document as a main file.
#[derive(Debug)]
pub struct Analysis {
    /// The check (absent when the main file could not be read).
    pub checked: Option<Checked>,
    /// Every file the check read, the main file first.
    pub loaded: Vec<PathBuf>,
    /// Its diagnostics, by file.
    pub diagnostics: BTreeMap<PathBuf, Vec<Diagnostic>>,
}

/// A `textDocument/publishDiagnostics` to send.
#[derive(Debug)]
pub struct Publish {
    /// The document.
    pub uri: Uri,
    /// Its version, when it is open.
    pub version: Option<i32>,
    /// The diagnostics (empty clears them).
    pub diagnostics: Vec<Diagnostic>,
}

/// Documents, their checks, and what was published.
#[derive(Default)]
pub struct State {
    docs: BTreeMap<PathBuf, Document>,
    files: MemoryFiles,
    analyses: BTreeMap<PathBuf, Analysis>,
    options: Options,
    dirty: BTreeSet<PathBuf>,
    /// Documents whose diagnostics are published even when unchanged.
    touched: BTreeSet<PathBuf>,
    published: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// What the workspace's files import.
    workspace: Workspace,
}

impl State {
    /// An empty state checking with `options`.
    pub fn new(options: Options) -> State {
        State {
            files: MemoryFiles {
                files: BTreeMap::new(),
                fall_back_to_disk: true,
            },
            options,
            ..State::default()
        }
    }

    /// The path of a document URI, normalised as the checker keys files.
    pub fn path_of(uri: &Uri) -> PathBuf {
        normalize(&uri_to_path(uri))
    }

    /// The workspace's files and their imports.
    pub fn workspace_mut(&mut self) -> &mut Workspace {
        &mut self.workspace
    }

    /// The diagnostics last published for a file.
    pub fn published(&self, path: &Path) -> &[Diagnostic] {
        self.published.get(path).map_or(&[], Vec::as_slice)
    }

    /// Every check of an open document (the check of each root first).
    pub fn checks(&self) -> impl Iterator<Item = &Checked> {
        let (roots, others): (Vec<_>, Vec<_>) = self
            .analyses
            .iter()
            .partition(|(main, _)| self.is_root(main));
        roots
            .into_iter()
            .chain(others)
            .filter_map(|(_, a)| a.checked.as_ref())
    }

    /// Opens (or replaces) a document.
    pub fn open(&mut self, uri: Uri, version: i32, text: String) {
        let path = State::path_of(&uri);
        self.workspace.update(&path, &text);
        self.files.insert(path.clone(), text);
        self.docs.insert(path.clone(), Document { uri, version });
        self.mark_dirty(&path);
    }

    /// The text of an open document.
    pub fn text(&self, path: &Path) -> Option<&str> {
        self.files.files.get(path).map(String::as_str)
    }

    /// The version of an open document.
    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.docs.get(&State::path_of(uri)).map(|d| d.version)
    }

    /// Replaces the text of an open document; `false` when it is not open.
    pub fn change(&mut self, uri: &Uri, version: i32, text: String) -> bool {
        let path = State::path_of(uri);
        let Some(doc) = self.docs.get_mut(&path) else {
            return false;
        };
        doc.version = version;
        self.workspace.update(&path, &text);
        self.files.insert(path.clone(), text);
        self.mark_dirty(&path);
        true
    }

    /// Marks a document (after a save) for checking again.
    pub fn saved(&mut self, uri: &Uri) {
        let path = State::path_of(uri);
        if self.docs.contains_key(&path) {
            self.mark_dirty(&path);
        }
    }

    /// Closes a document: imports read it from disk again.
    pub fn close(&mut self, uri: &Uri) {
        let path = State::path_of(uri);
        self.docs.remove(&path);
        self.files.files.remove(&path);
        self.analyses.remove(&path);
        self.mark_dirty(&path);
    }

    /// Marks every open document for checking again (the workspace's
    /// files changed: which are libraries may have too).
    pub fn recheck_all(&mut self) {
        let open: Vec<PathBuf> = self.docs.keys().cloned().collect();
        for path in open {
            self.mark_dirty(&path);
        }
    }

    /// Marks `path` and every open document whose check read it.
    fn mark_dirty(&mut self, path: &Path) {
        self.dirty.insert(path.to_path_buf());
        self.touched.insert(path.to_path_buf());
        for (main, a) in &self.analyses {
            if a.loaded.iter().any(|p| p == path) {
                self.dirty.insert(main.clone());
            }
        }
    }

    /// Whether any check is pending.
    pub fn is_dirty(&self) -> bool {
        !self.dirty.is_empty()
    }

    /// Runs the pending checks and returns the diagnostics to publish.
    pub fn flush(&mut self) -> Vec<Publish> {
        let dirty = std::mem::take(&mut self.dirty);
        for path in dirty.iter().filter(|p| self.docs.contains_key(*p)) {
            let analysis = self.analyse(path);
            self.analyses.insert(path.clone(), analysis);
        }
        self.publications()
    }

    /// Checks one open document as a main file.
    fn analyse(&self, path: &Path) -> Analysis {
        let files = EditorFiles(&self.files);
        let options = self.options_for(path);
        let checked = compile::check_path(path, &files, &compile::process_env, &options);
        let checked = match checked {
            Ok(c) => c,
            Err(e) => {
                return Analysis {
                    checked: None,
                    loaded: vec![path.to_path_buf()],
                    diagnostics: BTreeMap::from([(path.to_path_buf(), vec![unreadable(&e)])]),
                };
            }
        };
        let extra = local_model_diagnostics(&checked, path);
        let uri_of = |p: &Path| self.uri_of(p);
        let library = self.workspace.is_imported(path);
        let own = checked.diagnostics.iter().chain(&extra).filter(|d| {
            !(library
                && miette::Diagnostic::code(*d).is_some_and(|c| c.to_string() == MISSING_CLUSTER))
        });
        let diagnostics = convert_all(&checked.sources, own, &uri_of);
        let loaded = checked
            .sources
            .files()
            .map(|(_, f)| normalize(&f.path))
            .collect();
        Analysis {
            checked: Some(checked),
            loaded,
            diagnostics,
        }
    }

    /// The options to check `path` with: a `mesosc.toml` above it that
    /// lists it as a `source` gives its environment (the first such entry's);
    /// otherwise the editor's settings.
    fn options_for(&self, path: &Path) -> Options {
        let entry_env = (path.parent())
            .and_then(crate::workspace::find)
            .and_then(|toml| {
                let text = std::fs::read_to_string(&toml).ok()?;
                let ws = crate::workspace::parse(&text).ok()?;
                let dir = toml.parent()?.to_path_buf();
                let me = normalize(path);
                ws.clusters
                    .into_iter()
                    .find(|e| normalize(&dir.join(&e.source)) == me)
            })
            .and_then(|e| e.env);
        Options {
            env: entry_env.or_else(|| self.options.env.clone()),
            ..self.options.clone()
        }
    }

    /// The URI of a path: the open document's, else a `file:` URI.
    pub fn uri_of(&self, path: &Path) -> Option<Uri> {
        match self.docs.get(&normalize(path)) {
            Some(doc) => Some(doc.uri.clone()),
            None => path_to_uri(path),
        }
    }

    /// Whether `main`'s check is a root: no other open document's check
    /// read it, unless `main`'s check read that document too (a cycle).
    fn is_root(&self, main: &Path) -> bool {
        let mine = self.analyses.get(main);
        !self.analyses.iter().any(|(other, a)| {
            other != main
                && a.loaded.iter().any(|p| p == main)
                && !mine.is_some_and(|m| m.loaded.contains(other))
        })
    }

    /// The diagnostics of every file, from the root checks, without repeats.
    fn current_diagnostics(&self) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
        let mut now: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        let roots = self.analyses.iter().filter(|(main, _)| self.is_root(main));
        // The repeats are found by range and message first (a hash), then
        // compared whole: a file may have 40,000 diagnostics.
        let mut seen: std::collections::HashMap<(PathBuf, String), Vec<usize>> =
            std::collections::HashMap::new();
        for (path, list) in roots.flat_map(|(_, a)| &a.diagnostics) {
            let path = normalize(path);
            let entry = now.entry(path.clone()).or_default();
            for d in list {
                let r = d.range;
                let key = format!(
                    "{}:{}-{}:{} {}",
                    r.start.line, r.start.character, r.end.line, r.end.character, d.message
                );
                let same = seen.entry((path.clone(), key)).or_default();
                if !same.iter().any(|&i| entry[i] == *d) {
                    same.push(entry.len());
                    entry.push(d.clone());
                }
            }
        }
        now
    }

    /// What changed since the last publication (and what was touched).
    fn publications(&mut self) -> Vec<Publish> {
        let mut now = self.current_diagnostics();
        let touched = std::mem::take(&mut self.touched);
        let paths: BTreeSet<PathBuf> = now
            .keys()
            .chain(self.published.keys())
            .chain(&touched)
            .cloned()
            .collect();
        let mut out = Vec::new();
        for path in paths {
            let list = now.remove(&path).unwrap_or_default();
            let changed = self.published.get(&path).is_none_or(|old| *old != list);
            let forced = touched.contains(&path) && self.docs.contains_key(&path);
            if !(changed || forced) {
                continue;
            }
            if let Some(uri) = self.uri_of(&path) {
                let version = self.docs.get(&path).map(|d| d.version);
                out.push(Publish {
                    uri,
                    version,
                    diagnostics: list.clone(),
                });
            }
            if list.is_empty() {
                self.published.remove(&path);
            } else {
                self.published.insert(path, list);
            }
        }
        out
    }

    /// The check that best describes `path` and the file's id in it: the
    /// check of an open document that imports it, else its own.
    pub fn analysis_for<'s>(&'s self, path: &Path) -> Option<(&'s Checked, FileId)> {
        let find = |a: &'s Analysis| -> Option<(&'s Checked, FileId)> {
            let c = a.checked.as_ref()?;
            let id = c
                .sources
                .files()
                .find(|(_, f)| normalize(&f.path) == path)?
                .0;
            Some((c, id))
        };
        let importer = self
            .analyses
            .iter()
            .filter(|(main, _)| main.as_path() != path && self.is_root(main))
            .find_map(|(_, a)| find(a));
        importer.or_else(|| self.analyses.get(path).and_then(find))
    }

    /// The file's text as the best check read it (see [`State::analysis_for`]).
    pub fn source_file(&self, path: &Path) -> Option<(&Checked, &SourceFile)> {
        let (c, id) = self.analysis_for(path)?;
        Some((c, c.sources.file(id)))
    }
}

/// The open buffers, then the disk — regular files only: an import of
/// `/dev/zero` or of a FIFO would otherwise read forever and hang the
/// server.
struct EditorFiles<'a>(&'a MemoryFiles);

impl Files for EditorFiles<'_> {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        if !self.0.files.contains_key(&normalize(path)) && !std::fs::metadata(path)?.is_file() {
            return Err(std::io::Error::other("it is not a regular file"));
        }
        self.0.read(path)
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        self.0.canonical(path)
    }
}

#[cfg(test)]
mod workspace_tests {
    use super::*;

    #[test]
    fn a_workspace_entry_gives_its_environment() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let toml =
            "[[cluster]]\nsource = \"clusters/prod.mcl\"\nenv = \"staging\"\nout = \"out\"\n";
        std::fs::write(tmp.path().join("mesosc.toml"), toml).expect("write");
        std::fs::create_dir_all(tmp.path().join("clusters")).expect("mkdir");
        let state = State::new(Options {
            env: Some("editor".into()),
            ..Options::default()
        });
        let listed = tmp.path().join("clusters/prod.mcl");
        assert_eq!(state.options_for(&listed).env.as_deref(), Some("staging"));
        let other = tmp.path().join("clusters/other.mcl");
        assert_eq!(state.options_for(&other).env.as_deref(), Some("editor"));
    }
}
