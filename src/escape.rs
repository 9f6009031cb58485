//! The one place that knows what each output format can carry, and how to
//! write a value into it.
//!
//! Every value that reaches a generated file goes through a function of this
//! module for its format: [`exec_word`], [`exec_script`], [`unit_text`] and
//! [`unit_comment`] for systemd units, [`systemd_value`] and
//! [`docker_value`] for env files, [`properties_key`] and
//! [`properties_value`] for zoo.cfg, [`sh_quote`] for the shell lines of a
//! unit, [`yaml_scalar`] and [`yaml_quoted`] for YAML scalars (whose tree
//! `emit::yaml` lays out). What a format cannot carry at all is refused earlier, with a
//! diagnostic at the value's place in the source, by the check stage calling
//! [`refusal`] with every format the value reaches; the writers here then
//! only escape.
//!
//! What each format cannot carry (systemd 252 `systemd.syntax(7)` and
//! `conf-parser.c`, `env-file.c`; `java.util.Properties.load`; POSIX `sh`):
//!
//! - every generated file is made of lines (**line**): no value may hold a
//!   control character, which would end or cut the line in some reader.
//! - a **unit** line ends at a line break (LF, and CR before it), a NUL cuts
//!   it, and a line whose last character is an unescaped `\` is joined with
//!   the next one (the next setting, e.g. `After=`, is lost). Free text
//!   (`Description=`, an extra service's command line) has no escape for
//!   any of these, so a control character or a trailing `\` is refused. `%`
//!   specifiers are doubled; `$` is doubled in words mesosc builds.
//! - an **env file** line ends at a line break; systemd's parser keeps one
//!   inside double quotes, but docker's `--env-file` takes every line
//!   literally, so neither a line break nor any other control character is
//!   carried.
//! - **zoo.cfg** (a Java properties file) carries everything with `\`
//!   escapes; nothing is refused.
//! - a **shell** word (single-quoted) carries everything but NUL.
//! - **YAML** double-quoted scalars carry everything. A string is written
//!   plain only when YAML 1.1 readers (PyYAML in cloud-init, go-yaml v1 in
//!   coreos-cloudinit, ruamel in OWCA) and YAML 1.2 readers read back the
//!   same string: printable ASCII, no leading indicator character (but `-`
//!   before a non-space, as in `--now`) or whitespace, no `: ` or ` #`, no
//!   trailing `:` or whitespace, and not a word YAML 1.1 resolves to another
//!   type: booleans (`yes`, `no`, `on`, `off`, `y`, `n`, `true`, `false`, any
//!   case), null (`null`, `~`), `=`, `<<`, or anything that starts like a
//!   number (`0644`, `1:20`, `.5`, `1e3`); inside a flow sequence `,[]{}`
//!   also force quotes.

use std::fmt::Write as _;

/// An output format a value can reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Any line of any generated file: what every format refuses.
    Line,
    /// A line of a systemd unit (or fleet unit).
    Unit,
    /// A line of an env file (systemd `EnvironmentFile=` or docker `--env-file`).
    EnvFile,
    /// A line of zoo.cfg.
    ZooCfg,
    /// A word of a `/bin/sh -c` script in a unit.
    Shell,
    /// A YAML scalar (cloud-config, OWCA's config).
    Yaml,
}

impl Format {
    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Line => "a line of a generated file",
            Format::Unit => "a systemd unit",
            Format::EnvFile => "an env file",
            Format::ZooCfg => "zoo.cfg",
            Format::Shell => "a shell command",
            Format::Yaml => "YAML",
        }
    }
}

/// Why `format` cannot carry `text`, or `None` when it can.
pub fn refusal(format: Format, text: &str) -> Option<String> {
    let control = text.chars().find(|c| c.is_control());
    match format {
        Format::Line | Format::Unit | Format::EnvFile => {
            if let Some(c) = control {
                return Some(format!(
                    "{} has no way to write {}: it would end or cut the line",
                    format.name(),
                    char_name(c)
                ));
            }
            let trailing = text.len() - text.trim_end_matches('\\').len();
            (format == Format::Unit && trailing % 2 == 1).then(|| {
                "a `\\` at the end of a unit line joins it with the next line, which drops that setting"
                    .to_owned()
            })
        }
        Format::Shell => text
            .contains('\0')
            .then(|| "a shell command cannot hold a NUL character".to_owned()),
        Format::ZooCfg | Format::Yaml => None,
    }
}

/// Why any of `formats` cannot carry `text`.
pub fn refusal_in(formats: &[Format], text: &str) -> Option<String> {
    formats.iter().find_map(|f| refusal(*f, text))
}

/// A character as messages name it: `a line break (U+000A)`.
pub fn char_name(c: char) -> String {
    let what = match c {
        '\n' => "a line break",
        '\r' => "a carriage return",
        '\0' => "a NUL character",
        '\t' => "a tab",
        _ => "a control character",
    };
    format!("{what} (U+{:04X})", u32::from(c))
}
/// One word of an `ExecStart=` line. systemd expands `%` specifiers and `$`
/// variables in command lines, so both are doubled; a word with whitespace,
/// quotes, `\` or `;` is double-quoted with C-style escapes.
pub fn exec_word(word: &str) -> String {
    let text = word.replace('%', "%%").replace('$', "$$");
    let plain = !text.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'\\;".contains(c));
    if plain {
        return text;
    }
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A shell script as one `ExecStart`-style word, a statement a line: each
/// line but the last ends in a continuation (`\`), which systemd replaces by
/// a space before it parses the quotes, so the shell sees one line.
pub fn exec_script(lines: &[String]) -> String {
    let quoted: Vec<String> = lines
        .iter()
        .map(|l| {
            let word = exec_word(&format!("{l} "));
            let inner = word.strip_prefix('"').and_then(|w| w.strip_suffix('"'));
            inner.unwrap_or(&word).to_owned()
        })
        .collect();
    format!("\"{}\"", quoted.join("\\\n    ").trim_end())
}

/// Free text in a unit setting (`Description=`, an extra service's command
/// line as the user wrote it): `%` specifiers are doubled, and a control
/// character (refused earlier by [`refusal`]) becomes a space. `$VARIABLE`s in a command line
/// stay: systemd expands them from the unit's environment, as documented.
pub fn unit_text(text: &str) -> String {
    text.replace('%', "%%")
        .replace(|c: char| c.is_control(), " ")
}

/// A comment line of a unit (without its `# `): a control character, which
/// could end the comment and start a setting, becomes a space. The values in
/// comments (secret paths) were refused earlier when they hold one; this
/// keeps a comment a comment whatever reaches it.
pub fn unit_comment(text: &str) -> String {
    text.replace(|c: char| c.is_control(), " ")
}

/// A value for systemd's `EnvironmentFile=` parser (see the module docs).
pub fn systemd_value(value: &str) -> String {
    let special = |c: char| c.is_whitespace() || c.is_control() || "\"'\\$`#".contains(c);
    if !value.chars().any(special) {
        return value.to_owned();
    }
    let mut quoted = String::from("\"");
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '`' | '$') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// A value for `docker run --env-file` (see the module docs).
pub fn docker_value(value: &str) -> String {
    value.replace(['\n', '\r'], " ")
}

/// A key of a properties file: `=`, `:`, space, `#`, `!` and `\` escaped
/// with `\`, and (like every character outside printable ASCII) tabs and
/// line breaks as `\uXXXX`.
pub fn properties_key(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if "=: #!\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    escape_non_latin(&out)
}

/// A value of a properties file: `\` doubled, line breaks and tabs as `\n`,
/// `\r`, `\t`, leading white space escaped (the loader would skip it), and
/// everything outside printable ASCII as `\uXXXX`.
pub fn properties_value(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        match c {
            // `Properties.load` skips white space before a value (tabs and
            // form feeds are escaped below anyway).
            ' ' if i == 0 => out.push_str("\\ "),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    escape_non_latin(&out)
}

/// Characters outside printable ASCII as `\uXXXX` (UTF-16 units).
fn escape_non_latin(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if (' '..='~').contains(&c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{u:04X}");
            }
        }
    }
    out
}

/// A word for `/bin/sh`: bare when it is plain, else single-quoted.
pub fn sh_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:,=@".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Text for a Markdown table cell (the generated README): `|` escaped, line
/// breaks as spaces.
pub fn md(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Whether a character may appear in a YAML literal block as it is.
pub fn yaml_block_safe(c: char) -> bool {
    c == '\n' || c == '\t' || yaml_printable(c)
}

/// Printable in both YAML 1.1 and 1.2, and no line break in either.
fn yaml_printable(c: char) -> bool {
    !(c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        ))
}

/// A string as a YAML scalar on one line: plain when safe, else
/// double-quoted. `flow` is true inside a flow sequence.
pub fn yaml_scalar(s: &str, flow: bool) -> String {
    if yaml_plain_ok(s, flow) {
        s.to_owned()
    } else {
        yaml_quoted(s)
    }
}

/// Whether `s` can be written plain and read back as the same string by YAML
/// 1.1 and 1.2 readers (see the YAML rules in the module docs).
fn yaml_plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let printable_ascii = s.chars().all(|c| (' '..='~').contains(&c));
    // `-` may start a plain scalar when a non-space follows (`--now`).
    let dash_ok = first == '-' && s.len() > 1 && !s[1..].starts_with(' ');
    let indicator = ("-?:,[]{}#&*!|>'\"%@`".contains(first) || first == ' ') && !dash_ok;
    let breaks_plain = s.contains(": ") || s.contains(" #") || s.ends_with([':', ' ']);
    let flow_clash = flow && s.contains([',', '[', ']', '{', '}']);
    printable_ascii
        && !indicator
        && !breaks_plain
        && !flow_clash
        && !yaml_special_word(s)
        && !yaml_numeric_like(s)
}

/// Words YAML 1.1 (or 1.2) resolves to a boolean, null or another type.
fn yaml_special_word(s: &str) -> bool {
    const WORDS: [&str; 12] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "=", "<<",
    ];
    WORDS.contains(&s.to_ascii_lowercase().as_str())
}

/// Starts like a number: a digit or `.` after an optional sign. Covers YAML
/// 1.1's octal (`0644`), sexagesimal (`1:20`), `.inf`/`.nan`, timestamps and
/// every float and integer form.
fn yaml_numeric_like(s: &str) -> bool {
    let rest = s.strip_prefix(['+', '-']).unwrap_or(s);
    rest.starts_with(|c: char| c.is_ascii_digit() || c == '.')
}

/// A double-quoted YAML scalar: `\` escapes for `"`, `\` and every
/// character outside the printable set.
pub fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (' '..='~').contains(&c) => out.push(c),
            c if (c as u32) > 0x9f && yaml_printable(c) => out.push(c),
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_refuse_line_ends_nul_and_a_trailing_backslash() {
        for bad in ["a\nb", "a\rb", "a\0b", "a\u{7f}", "a\\", "a\\\\\\"] {
            assert!(refusal(Format::Unit, bad).is_some(), "{bad:?}");
        }
        for good in ["a\\\\", "100% $x \"q\"", "a\\b", ""] {
            assert_eq!(refusal(Format::Unit, good), None, "{good:?}");
        }
        assert!(refusal(Format::EnvFile, "a\nb").is_some());
        assert_eq!(refusal(Format::EnvFile, "a\\"), None);
        assert!(refusal(Format::Shell, "a\0").is_some());
        assert_eq!(refusal(Format::Shell, "a\n'b"), None);
        assert_eq!(refusal(Format::ZooCfg, "a\nb\\"), None);
        assert_eq!(
            refusal_in(&[Format::Shell, Format::Unit], "a\\"),
            refusal(Format::Unit, "a\\")
        );
    }

    #[test]
    fn a_properties_value_keeps_its_leading_white_space() {
        assert_eq!(properties_value(" a"), "\\ a");
        assert_eq!(properties_value("\ta b "), "\\ta b ");
        assert_eq!(properties_value("\u{c}x"), "\\u000Cx");
        assert_eq!(properties_value("a b"), "a b");
    }

    #[test]
    fn comments_and_free_text_stay_on_their_line() {
        assert_eq!(unit_comment("a\nb\0c"), "a b c");
        assert_eq!(unit_text("50%\r\n"), "50%%  ");
    }
}
