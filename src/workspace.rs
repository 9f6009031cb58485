//! `mesosc.toml`, the workspace file: the clusters of a repository, each a
//! main source, an optional environment and an output folder.
//!
//! ```toml
//! [[cluster]]
//! source = "prod.mcl"
//! out    = "out/prod"
//!
//! [[cluster]]
//! source = "prod.mcl"
//! env    = "staging"
//! out    = "out/staging"
//! ```
//!
//! Found like cargo finds `Cargo.toml`: in the working directory or the
//! nearest folder above it. Paths in it are relative to its folder. Every key
//! is checked: an unknown one is an error with a "did you mean".

use std::fmt;
use std::path::{Path, PathBuf};

/// The workspace file's name.
pub const FILE_NAME: &str = "mesosc.toml";

/// A parsed `mesosc.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    /// The `[[cluster]]` entries, in file order.
    pub clusters: Vec<Entry>,
}

/// One `[[cluster]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The main `.mcl` file, relative to the workspace folder.
    pub source: PathBuf,
    /// The environment overlay to apply, if any.
    pub env: Option<String>,
    /// The output folder, relative to the workspace folder.
    pub out: PathBuf,
}

impl Entry {
    /// `prod.mcl`, or `prod.mcl --env staging`: how reports name the entry.
    pub fn name(&self) -> String {
        match &self.env {
            Some(env) => format!("{} --env {env}", self.source.display()),
            None => self.source.display().to_string(),
        }
    }
}

/// A problem in `mesosc.toml`, with its place (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceError {
    /// The line, 1-based (0 when unknown).
    pub line: usize,
    /// The column, 1-based (0 when unknown).
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The fix, when there is one.
    pub help: Option<String>,
}

impl fmt::Display for WorkspaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: ", self.line, self.column)?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

/// The keys of a `[[cluster]]` table.
const ENTRY_KEYS: [&str; 3] = ["source", "env", "out"];

/// The workspace file in `start` or the nearest folder above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|file| file.is_file())
}

/// Parses the text of a workspace file.
pub fn parse(text: &str) -> Result<Workspace, WorkspaceError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let (line, column) = e.span().map_or((0, 0), |s| line_column(text, s.start));
        WorkspaceError {
            line,
            column,
            message: e.message().to_owned(),
            help: None,
        }
    })?;
    let locate = Locator { text };
    if let Some(key) = table.keys().find(|k| *k != "cluster") {
        return Err(locate.unknown(key, 0, &["cluster"], "at the top level"));
    }
    let Some(list) = table.get("cluster") else {
        return Err(WorkspaceError {
            line: 1,
            column: 1,
            message: "no `[[cluster]]` entry".into(),
            help: Some("add `[[cluster]]` with `source = \"….mcl\"` and `out = \"out\"`".into()),
        });
    };
    let Some(list) = list.as_array() else {
        return Err(locate.error("cluster", 0, "`cluster` must be `[[cluster]]` tables"));
    };
    let mut clusters = Vec::new();
    for (n, item) in list.iter().enumerate() {
        let Some(t) = item.as_table() else {
            return Err(locate.error("cluster", n, "each `cluster` must be a table"));
        };
        clusters.push(entry(&locate, n, t)?);
    }
    Ok(Workspace { clusters })
}

fn entry(locate: &Locator, n: usize, t: &toml::Table) -> Result<Entry, WorkspaceError> {
    if let Some(key) = t.keys().find(|k| !ENTRY_KEYS.contains(&k.as_str())) {
        return Err(locate.unknown(key, n, &ENTRY_KEYS, "in `[[cluster]]`"));
    }
    let string = |key: &str| -> Result<Option<String>, WorkspaceError> {
        match t.get(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(_) => Err(locate.error(key, n, &format!("`{key}` must be a non-empty string"))),
        }
    };
    let missing = |key: &str| WorkspaceError {
        line: locate.section(n).0,
        column: 1,
        message: format!("`[[cluster]]` number {} has no `{key}`", n + 1),
        help: Some(format!("add `{key} = \"…\"`")),
    };
    Ok(Entry {
        source: string("source")?.ok_or_else(|| missing("source"))?.into(),
        env: string("env")?,
        out: string("out")?.ok_or_else(|| missing("out"))?.into(),
    })
}

/// Finds where keys were written, for messages (the parsed table keeps no
/// places).
struct Locator<'a> {
    text: &'a str,
}

impl Locator<'_> {
    /// The lines of the `n`th `[[cluster]]` section: (first line, 1-based; end).
    fn section(&self, n: usize) -> (usize, usize) {
        let lines: Vec<&str> = self.text.lines().collect();
        let headers: Vec<usize> = (lines.iter().enumerate())
            .filter(|(_, l)| l.trim_start().starts_with("[["))
            .map(|(i, _)| i)
            .collect();
        let start = headers.get(n).copied().unwrap_or(0);
        let end = headers.get(n + 1).copied().unwrap_or(lines.len());
        (start + 1, end)
    }

    /// The line and column of `key` in the `n`th section (or before the
    /// first section).
    fn place(&self, key: &str, n: usize) -> (usize, usize) {
        let (first, end) = self.section(n);
        for (i, line) in self
            .text
            .lines()
            .enumerate()
            .take(end)
            .skip(first.saturating_sub(1))
        {
            let trimmed = line.trim_start();
            let bare = trimmed.trim_start_matches('"');
            if bare.starts_with(key) || trimmed.starts_with(&format!("[[{key}")) {
                return (i + 1, line.len() - trimmed.len() + 1);
            }
        }
        (first, 1)
    }

    fn error(&self, key: &str, n: usize, message: &str) -> WorkspaceError {
        let (line, column) = self.place(key, n);
        WorkspaceError {
            line,
            column,
            message: message.to_owned(),
            help: None,
        }
    }

    fn unknown(&self, key: &str, n: usize, known: &[&str], place: &str) -> WorkspaceError {
        let listed: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        let help = crate::suggest::did_you_mean(key, known.iter().copied())
            .unwrap_or_else(|| format!("the keys are {}", listed.join(", ")));
        WorkspaceError {
            help: Some(help),
            ..self.error(key, n, &format!("unknown key `{key}` {place}"))
        }
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_in_order_with_optional_env() {
        let ws = parse(
            "[[cluster]]\nsource = \"prod.mcl\"\nout = \"out/prod\"\n\n\
             [[cluster]]\nsource = \"prod.mcl\"\nenv = \"staging\"\nout = \"out/staging\"\n",
        )
        .expect("parses");
        assert_eq!(ws.clusters.len(), 2);
        assert_eq!(ws.clusters[0].env, None);
        assert_eq!(ws.clusters[1].env.as_deref(), Some("staging"));
        assert_eq!(ws.clusters[1].out, PathBuf::from("out/staging"));
        assert_eq!(ws.clusters[1].name(), "prod.mcl --env staging");
    }

    #[test]
    fn unknown_keys_are_errors_with_a_suggestion_and_a_place() {
        let e = parse("[[cluster]]\nsource = \"a.mcl\"\nouts = \"out\"\n").expect_err("unknown");
        assert_eq!((e.line, e.column), (3, 1), "{e}");
        assert_eq!(e.message, "unknown key `outs` in `[[cluster]]`");
        assert_eq!(e.help.as_deref(), Some("did you mean `out`?"));
        let e = parse("[[clusters]]\nsource = \"a.mcl\"\n").expect_err("unknown");
        assert_eq!(e.help.as_deref(), Some("did you mean `cluster`?"));
        assert_eq!(e.line, 1);
        let e = parse(
            "[[cluster]]\nsource = \"a\"\nout = \"o\"\n[[cluster]]\nsource = \"b\"\n  colour = 1\n",
        )
        .expect_err("unknown");
        assert_eq!((e.line, e.column), (6, 3), "{e}");
        assert_eq!(
            e.help.as_deref(),
            Some("the keys are `source`, `env`, `out`")
        );
    }

    #[test]
    fn missing_and_mistyped_values() {
        let e = parse("[[cluster]]\nsource = \"a.mcl\"\n").expect_err("no out");
        assert_eq!(e.message, "`[[cluster]]` number 1 has no `out`");
        let e = parse("[[cluster]]\nsource = 1\nout = \"o\"\n").expect_err("int");
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "`source` must be a non-empty string")
        );
        let e = parse("").expect_err("empty");
        assert!(e.message.contains("no `[[cluster]]`"));
        let e = parse("[[cluster]\n").expect_err("syntax");
        assert!(e.line >= 1, "{e}");
    }

    #[test]
    fn found_in_the_nearest_folder_above() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let deep = tmp.path().join("a/b");
        std::fs::create_dir_all(&deep).expect("mkdir");
        assert_eq!(find(&deep), None);
        std::fs::write(tmp.path().join("a").join(FILE_NAME), "").expect("write");
        assert_eq!(find(&deep), Some(tmp.path().join("a").join(FILE_NAME)));
    }
}
