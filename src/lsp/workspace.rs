//! The workspace folders' `.mcl` files and what they import, so that a
//! library (a file with no `cluster` block that another file imports,
//! `examples/common.mcl`) opened alone is checked as a library: its own
//! diagnostics, without the whole-cluster `missing_cluster`.
//!
//! The folders are scanned once, at `initialize` (bounded: at most
//! [`MAX_FILES`] files, [`MAX_DEPTH`] levels, hidden folders and build
//! outputs skipped); open buffers update their own entry as they change,
//! and `workspace/didChangeWatchedFiles` re-reads the files it names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{FileChangeType, FileEvent};
use serde_json::Value;

use crate::files::normalize;
use crate::syntax::ast::Item;

use super::context::literal_name;
use super::convert::uri_to_path;

/// The most `.mcl` files scanned.
const MAX_FILES: usize = 5_000;

/// The deepest folder scanned below a workspace folder.
const MAX_DEPTH: usize = 8;

/// Folders never scanned.
const SKIPPED: &[&str] = &["target", "node_modules", "out"];

/// What each known `.mcl` file imports.
#[derive(Debug, Default)]
pub struct Workspace {
    imports: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// Whether the client registers file watchers on request.
    dynamic_watchers: bool,
}

impl Workspace {
    /// Scans the workspace folders of `initialize`'s parameters
    /// (`workspaceFolders`, else `rootUri`).
    pub fn from_initialize(params: &Value) -> Workspace {
        let mut roots: Vec<PathBuf> = params
            .get("workspaceFolders")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|f| f.get("uri")?.as_str())
            .filter_map(|u| u.parse().ok())
            .map(|u| uri_to_path(&u))
            .collect();
        if roots.is_empty()
            && let Some(root) = params.get("rootUri").and_then(Value::as_str)
            && let Ok(uri) = root.parse()
        {
            roots.push(uri_to_path(&uri));
        }
        let mut w = Workspace {
            dynamic_watchers: params
                .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            ..Workspace::default()
        };
        let mut budget = MAX_FILES;
        for root in roots {
            w.scan(&root, 0, &mut budget);
        }
        w
    }

    fn scan(&mut self, dir: &Path, depth: usize, budget: &mut usize) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            if *budget == 0 {
                return;
            }
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir()
                && depth < MAX_DEPTH
                && !name.starts_with('.')
                && !SKIPPED.contains(&name.as_str())
            {
                self.scan(&path, depth + 1, budget);
            } else if kind.is_file() && name.ends_with(".mcl") {
                *budget -= 1;
                self.read(&path);
            }
        }
    }

    fn read(&mut self, path: &Path) {
        match std::fs::read_to_string(path) {
            Ok(text) => self.update(path, &text),
            Err(_) => {
                self.imports.remove(&normalize(path));
            }
        }
    }

    /// The `client/registerCapability` request that asks the client to
    /// report changes to `.mcl` files, when it can register watchers.
    pub fn watch_request(&self) -> Option<lsp_server::Request> {
        let registration = serde_json::json!({ "registrations": [{
            "id": "mesosc-mcl-files",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": { "watchers": [{ "globPattern": "**/*.mcl" }] },
        }]});
        self.dynamic_watchers.then(|| {
            lsp_server::Request::new(
                "mesosc-watch-mcl".to_string().into(),
                "client/registerCapability".into(),
                registration,
            )
        })
    }

    /// Records what `path` imports, from its text.
    pub fn update(&mut self, path: &Path, text: &str) {
        let (file, _) = crate::syntax::parse_text(text);
        let dir = path.parent().unwrap_or(Path::new(""));
        let imports = file
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Import(i) => literal_name(&i.path),
                _ => None,
            })
            .map(|p| normalize(&dir.join(p)))
            .collect();
        self.imports.insert(normalize(path), imports);
    }

    /// Applies `workspace/didChangeWatchedFiles`.
    pub fn changed(&mut self, events: &[FileEvent]) {
        for e in events {
            let path = uri_to_path(&e.uri);
            if e.typ == FileChangeType::DELETED {
                self.imports.remove(&normalize(&path));
            } else if path.extension().is_some_and(|x| x == "mcl") {
                self.read(&path);
            }
        }
    }

    /// Whether another known file imports `path`.
    pub fn is_imported(&self, path: &Path) -> bool {
        let path = normalize(path);
        self.imports
            .iter()
            .any(|(from, list)| *from != path && list.contains(&path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_recorded_relative_to_the_importer() {
        let mut w = Workspace::default();
        w.update(
            Path::new("/w/main.mcl"),
            "import \"lib/common.mcl\"\ncluster \"c\" {}\n",
        );
        assert!(w.is_imported(Path::new("/w/lib/common.mcl")));
        assert!(!w.is_imported(Path::new("/w/main.mcl")));
        w.update(Path::new("/w/main.mcl"), "cluster \"c\" {}\n");
        assert!(!w.is_imported(Path::new("/w/lib/common.mcl")));
    }

    #[test]
    fn the_examples_folder_is_scanned() {
        let root = concat!("file://", env!("CARGO_MANIFEST_DIR"), "/examples");
        let w = Workspace::from_initialize(&serde_json::json!({ "rootUri": root }));
        let common = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/common.mcl");
        assert!(w.is_imported(&common));
    }
}
