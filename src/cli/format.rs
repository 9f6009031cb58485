//! `mesosc fmt`, as rustfmt and `terraform fmt` work: files and folders
//! (every `.mcl` below a folder, hidden folders skipped), the current folder
//! when none is given, `--check` to list what is not formatted, `--diff` to
//! show what would change; `-` formats standard input to standard output.
//!
//! Without an argument `fmt` formats the `.mcl` files below the current
//! folder whether or not a `mesosc.toml` is there: formatting is about files,
//! not clusters, and a workspace's sources live below its folder.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mesosc::diagnostic::WithSource;
use miette::MietteHandlerOpts;

use super::ui::{self, Stream};
use super::{Render, out, targets};

/// What `fmt` does with a file that is not formatted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mode {
    /// `--check`: name it, write nothing.
    pub check: bool,
    /// `--diff`: show the change, write nothing.
    pub diff: bool,
}

impl Mode {
    fn writes(self) -> bool {
        !self.check && !self.diff
    }
}

/// Formats each path (a folder: every `.mcl` below it). Exit 1 for a file
/// that is not formatted (with `--check` or `--diff`) or does not parse, 2
/// for one that cannot be read or written.
pub fn run(paths: &[PathBuf], mode: Mode, stdin_name: Option<&Path>) -> ExitCode {
    let given = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut code = 0u8;
    let mut unformatted = Vec::new();
    for path in &given {
        if path == Path::new("-") {
            code = code.max(stdin(mode, stdin_name));
            continue;
        }
        let files = match mcl_files(path) {
            Ok(files) => files,
            Err(e) => {
                ui::error(&format!("cannot read `{}`: {e}", path.display()));
                code = 2;
                continue;
            }
        };
        for file in files {
            match one(&file, mode) {
                Outcome::Formatted | Outcome::Unchanged => {}
                Outcome::Differs => unformatted.push(file),
                Outcome::Failed(c) => code = code.max(c),
            }
        }
    }
    if !unformatted.is_empty() {
        code = code.max(1);
        let names: Vec<String> = unformatted
            .iter()
            .map(|p| ui::shell_word(&p.display().to_string()))
            .collect();
        ui::error(&format!(
            "{} not formatted (run `mesosc fmt {}`)",
            ui::count(unformatted.len(), "file is", "files are"),
            names.join(" ")
        ));
    }
    ExitCode::from(code)
}

/// The `.mcl` files of `path`: itself when it is a file (whatever its
/// name: it was asked for), every `.mcl` below it, sorted, when it is a
/// folder (hidden folders and links to folders are skipped).
pub fn mcl_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !std::fs::metadata(path)?.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let hidden = name.to_string_lossy().starts_with('.');
            let kind = entry.file_type()?;
            let p = entry.path();
            if kind.is_dir() && !hidden {
                stack.push(p);
            } else if !kind.is_dir() && p.extension().is_some_and(|e| e == "mcl") {
                found.push(clean(&p));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `./a/b.mcl` → `a/b.mcl`, as people write it.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}

enum Outcome {
    Formatted,
    Unchanged,
    Differs,
    Failed(u8),
}

fn one(path: &Path, mode: Mode) -> Outcome {
    let text = match mesosc::files::read_source(path) {
        Ok(t) => t,
        Err(e) => {
            ui::error(&format!("cannot read `{}`: {e}", path.display()));
            return Outcome::Failed(2);
        }
    };
    let formatted = match mesosc::fmt::format(&text) {
        Ok(f) => f,
        Err(e) => {
            show_parse_errors(path, text, &e.errors);
            return Outcome::Failed(1);
        }
    };
    if formatted == text {
        ui::detail("Unchanged", &path.display().to_string());
        return Outcome::Unchanged;
    }
    if mode.diff {
        show_diff(path, &text, &formatted);
    } else if mode.check {
        out(&format!("{}\n", path.display()));
    }
    if !mode.writes() {
        return Outcome::Differs;
    }
    if let Err(e) = write_atomically(path, &formatted) {
        ui::error(&format!("cannot write `{}`: {e}", path.display()));
        return Outcome::Failed(2);
    }
    ui::detail("Formatted", &path.display().to_string());
    Outcome::Formatted
}

/// The unified diff from `text` to `formatted`, git-coloured on a colour
/// terminal.
fn show_diff(path: &Path, text: &str, formatted: &str) {
    let name = path.display().to_string();
    let diff = mesosc::output::diff::unified(&name, &name, text, formatted);
    if ui::colors(Stream::Stdout) {
        out(&mesosc::output::diff::colored(&diff));
    } else {
        out(&diff);
    }
}

/// Formats standard input to standard output (with `--check`, only says
/// whether it is formatted; with `--diff`, shows the change).
fn stdin(mode: Mode, stdin_name: Option<&Path>) -> u8 {
    let name = stdin_name.unwrap_or(Path::new(targets::STDIN));
    let text = match targets::read_stdin() {
        Ok(t) => t,
        Err(e) => {
            ui::error(&format!("cannot read standard input: {e}"));
            return 2;
        }
    };
    match mesosc::fmt::format(&text) {
        Ok(formatted) if mode.diff && formatted != text => {
            show_diff(name, &text, &formatted);
            1
        }
        Ok(formatted) if mode.check && formatted != text => {
            out(&format!("{}\n", name.display()));
            1
        }
        Ok(_) if !mode.writes() => 0,
        Ok(formatted) => {
            out(&formatted);
            0
        }
        Err(e) => {
            show_parse_errors(name, text, &e.errors);
            1
        }
    }
}

/// Renders the parse errors that kept a file from being formatted.
fn show_parse_errors(path: &Path, text: String, errors: &[mesosc::syntax::ParseError]) {
    let mut sources = mesosc::span::SourceMap::new();
    if sources
        .add(path.display().to_string(), path.to_path_buf(), text)
        .is_none()
    {
        return;
    }
    let color = ui::colors(Stream::Stderr);
    let handler = MietteHandlerOpts::new().color(color).unicode(color).build();
    let mut shown = String::new();
    for e in errors {
        let with = WithSource {
            diagnostic: e,
            sources: &sources,
        };
        shown.push_str(&Render(&handler, &with).to_string());
    }
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), shown.as_bytes());
    ui::error(&format!(
        "`{}` has syntax errors; not formatted",
        path.display()
    ));
}

/// Replaces a file's content through a temporary sibling and a rename. A
/// symbolic link is written through: its target gets the new content, and
/// the link stays. The temporary file is created exclusively (a link or file
/// planted at its name is never written through: another name is taken),
/// readable by its owner only until it gets the file's mode.
pub(super) fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::{ErrorKind, Write as _};
    let target = match std::fs::symlink_metadata(path)? {
        m if m.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let permissions = std::fs::metadata(&target)?.permissions();
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for attempt in 0..100 {
        let suffix = if attempt == 0 {
            String::new()
        } else {
            format!(".{attempt}")
        };
        let tmp = target.with_file_name(format!(".{name}.mesosc-fmt{suffix}"));
        let mut options = std::fs::File::options();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = match options.open(&tmp) {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.set_permissions(permissions.clone()))
            .and_then(|()| std::fs::rename(&tmp, &target));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        return written;
    }
    Err(std::io::Error::new(
        ErrorKind::AlreadyExists,
        "every temporary name next to it is taken",
    ))
}
