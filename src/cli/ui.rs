//! How the command line talks: colour (cargo's rules), status lines
//! (`-q` hides them, `-v` adds detail), plurals and the commands hints give.
//!
//! The options are global (every subcommand takes `--color`, `-q`, `-v`) and
//! set once at start-up; the printing helpers read them.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

use clap::ValueEnum;

/// `--color`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Color {
    /// Colour a terminal unless the environment says otherwise.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The global output options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ui {
    /// `--color`.
    pub color: Color,
    /// `-q`: no status lines.
    pub quiet: bool,
    /// `-v`: status lines name every file.
    pub verbose: bool,
}

static UI: OnceLock<Ui> = OnceLock::new();

/// Sets the options (the first call wins).
pub fn set(ui: Ui) {
    let _ = UI.set(ui);
}

/// The options.
pub fn get() -> Ui {
    UI.get().copied().unwrap_or_default()
}

/// The stream a text goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Whether to colour `stream`.
pub fn colors(stream: Stream) -> bool {
    let terminal = match stream {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
    };
    decide(get().color, &|name| std::env::var_os(name), terminal)
}

/// Cargo's rules (as `anstream` applies them): `--color always|never` wins;
/// with `auto`, a non-empty `NO_COLOR` turns colour off, then a
/// `CLICOLOR_FORCE` other than `0` forces it on, `CLICOLOR=0` turns it off,
/// and otherwise a terminal gets colour unless `TERM` is `dumb` (or unset).
pub fn decide(choice: Color, env: &dyn Fn(&str) -> Option<OsString>, terminal: bool) -> bool {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto if set("NO_COLOR").is_some() => false,
        Color::Auto if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        Color::Auto if set("CLICOLOR").is_some_and(|v| v == "0") => false,
        Color::Auto => terminal && set("TERM").is_some_and(|t| t != "dumb"),
    }
}

/// `text` in bold `color` (an ANSI SGR number) when `on`.
pub fn paint(text: &str, sgr: &str, on: bool) -> String {
    if on {
        format!("\x1b[1;{sgr}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// Writes `text` to standard error; a closed stream is not a panic.
fn stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// A status line as cargo prints them (`    Checked c.mcl (4 hosts)`): the
/// verb right-aligned in 12 columns, green and bold on a colour terminal.
/// `-q` hides it.
pub fn status(verb: &str, rest: &str) {
    if get().quiet {
        return;
    }
    let verb = paint(&format!("{verb:>12}"), "32", colors(Stream::Stderr));
    stderr(&format!("{verb} {rest}\n"));
}

/// A detail line, printed with `-v` only (as a status line of `verb`).
pub fn detail(verb: &str, rest: &str) {
    if get().verbose && !get().quiet {
        status(verb, rest);
    }
}

/// `error: message` on standard error (`error:` red and bold when coloured).
pub fn error(message: &str) {
    let head = paint("error", "31", colors(Stream::Stderr));
    stderr(&format!("{head}: {message}\n"));
}

/// `warning: message` on standard error (yellow and bold when coloured).
pub fn warning(message: &str) {
    let head = paint("warning", "33", colors(Stream::Stderr));
    stderr(&format!("{head}: {message}\n"));
}

/// `1 file` or `2 files`: `n` and the noun, singular only for one.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// A word of a command line as a shell reads it back: quoted with `'`
/// when it holds anything but letters, digits and `-_./,:=@%+`.
pub fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./,:=@%+".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn cargo_colour_rules() {
        let term = [("TERM", "xterm-256color")];
        assert!(decide(Color::Auto, &with(&term), true));
        assert!(!decide(Color::Auto, &with(&term), false));
        assert!(!decide(Color::Auto, &with(&[("TERM", "dumb")]), true));
        assert!(!decide(Color::Auto, &with(&[]), true), "no TERM");
        let no_color = [("TERM", "xterm"), ("NO_COLOR", "1")];
        assert!(!decide(Color::Auto, &with(&no_color), true));
        assert!(!decide(Color::Auto, &with(&[("NO_COLOR", "")]), false));
        assert!(decide(
            Color::Auto,
            &with(&[("CLICOLOR_FORCE", "1")]),
            false
        ));
        assert!(decide(
            Color::Auto,
            &with(&[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")]),
            false
        ));
        assert!(!decide(
            Color::Auto,
            &with(&[("CLICOLOR_FORCE", "0")]),
            false
        ));
        assert!(!decide(
            Color::Auto,
            &with(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]),
            true
        ));
        assert!(!decide(
            Color::Auto,
            &with(&[("CLICOLOR", "0"), ("TERM", "xterm")]),
            true
        ));
        assert!(decide(Color::Always, &with(&[("NO_COLOR", "1")]), false));
        assert!(!decide(
            Color::Never,
            &with(&[("CLICOLOR_FORCE", "1")]),
            true
        ));
    }

    #[test]
    fn plurals_and_shell_words() {
        assert_eq!(count(1, "file differs", "files differ"), "1 file differs");
        assert_eq!(count(0, "file", "files"), "0 files");
        assert_eq!(count(2, "host", "hosts"), "2 hosts");
        assert_eq!(shell_word("out2"), "out2");
        assert_eq!(shell_word("my dir/c.mcl"), "'my dir/c.mcl'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn paint_wraps_only_when_on() {
        assert_eq!(paint("Built", "32", false), "Built");
        assert_eq!(paint("Built", "32", true), "\x1b[1;32mBuilt\x1b[0m");
    }
}
