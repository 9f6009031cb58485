//! systemd unit files as systemd reads them: sections and assignments with
//! continuation lines (`conf-parser.c`), and command lines split into words
//! (`extract_first_word` with unquoting and C escapes, after `%` specifiers;
//! `$$` is a literal `$` at exec time).

/// One assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// The section (`Service`).
    pub section: String,
    /// The key (`ExecStart`).
    pub key: String,
    /// The value, continuation lines joined.
    pub value: String,
    /// 1-based line of the key.
    pub line: usize,
}

/// A parsed unit file or drop-in.
#[derive(Clone, Debug, Default)]
pub struct UnitFile {
    /// Every assignment in file order.
    pub assignments: Vec<Assignment>,
    /// Section names in order.
    pub sections: Vec<String>,
}

impl UnitFile {
    /// Parses unit-file syntax. Lines ending in an unescaped `\` continue on
    /// the next line (the `\` becomes a space); `#` and `;` start comments.
    pub fn parse(text: &str) -> Result<UnitFile, String> {
        let mut out = UnitFile::default();
        let mut section: Option<String> = None;
        let mut pending: Option<(String, usize)> = None;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim_end_matches('\r');
            let (mut text, start) = match pending.take() {
                Some((mut acc, start)) => {
                    // Comment lines inside a continuation are skipped.
                    let t = line.trim_start();
                    if t.starts_with('#') || t.starts_with(';') {
                        pending = Some((acc, start));
                        continue;
                    }
                    acc.push_str(line);
                    (acc, start)
                }
                None => (line.to_owned(), line_no),
            };
            if ends_in_unescaped_backslash(&text) {
                text.pop();
                text.push(' ');
                pending = Some((text, start));
                continue;
            }
            let t = text.trim();
            if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
                continue;
            }
            if let Some(rest) = t.strip_prefix('[') {
                let name = rest
                    .strip_suffix(']')
                    .ok_or_else(|| format!("line {start}: bad section header `{t}`"))?;
                section = Some(name.to_owned());
                out.sections.push(name.to_owned());
                continue;
            }
            let Some((k, v)) = t.split_once('=') else {
                return Err(format!("line {start}: not an assignment: `{t}`"));
            };
            let Some(sec) = &section else {
                return Err(format!("line {start}: assignment outside a section"));
            };
            out.assignments.push(Assignment {
                section: sec.clone(),
                key: k.trim().to_owned(),
                value: v.trim().to_owned(),
                line: start,
            });
        }
        if let Some((_, start)) = pending {
            return Err(format!(
                "line {start}: the file ends inside a continuation line"
            ));
        }
        Ok(out)
    }

    /// Every value of `key` in `section`, in order (an empty assignment
    /// resets the list, as systemd does for list settings).
    pub fn values(&self, section: &str, key: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for a in &self.assignments {
            if a.section == section && a.key == key {
                if a.value.is_empty() {
                    out.clear();
                } else {
                    out.push(a.value.as_str());
                }
            }
        }
        out
    }

    /// The last value of `key` in `section`.
    pub fn get(&self, section: &str, key: &str) -> Option<&str> {
        self.assignments
            .iter()
            .rev()
            .find(|a| a.section == section && a.key == key)
            .map(|a| a.value.as_str())
    }

    /// The space-separated unit names of list keys such as `Wants=`.
    pub fn names(&self, section: &str, key: &str) -> Vec<String> {
        self.values(section, key)
            .iter()
            .flat_map(|v| v.split_whitespace())
            .map(str::to_owned)
            .collect()
    }
}

fn ends_in_unescaped_backslash(text: &str) -> bool {
    let trailing = text.bytes().rev().take_while(|&b| b == b'\\').count();
    trailing % 2 == 1
}

/// `text` without the section `[name]` (e.g. fleet's `[X-Fleet]`), up to the
/// next section header.
pub fn strip_section(text: &str, name: &str) -> String {
    let header = format!("[{name}]");
    let mut out = String::new();
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') && t.ends_with(']') {
            skipping = t == header;
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

/// A command of `ExecStart=` and friends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The special prefixes before the path (`-`, `@`, `:`, `+`, `!`).
    pub prefixes: String,
    /// The words: the program, then its arguments.
    pub argv: Vec<String>,
}

/// Splits the value of `ExecStart=` into commands (several only where `;`
/// words separate them), resolving `%i`/`%I` to `instance`.
///
/// `$NAME` and `${NAME}` (expanded by systemd from the unit's environment at
/// exec time) are an error: the harness does not know that environment.
pub fn commands(value: &str, instance: &str) -> Result<Vec<Command>, String> {
    let expanded = specifiers(value, instance)?;
    let words = split_words(&expanded)?;
    let mut out = Vec::new();
    for group in words.split(|w| w == ";") {
        let mut argv = Vec::new();
        for w in group {
            argv.push(dollars(w)?);
        }
        let Some(first) = argv.first_mut() else {
            continue;
        };
        let prefix_len = first
            .find(|c: char| !"-@:+!".contains(c))
            .unwrap_or(first.len());
        let prefixes = first[..prefix_len].to_owned();
        first.replace_range(..prefix_len, "");
        if prefixes.contains('@') && argv.len() > 1 {
            // `@`: the second word is argv[0], not an argument.
            argv.remove(1);
        }
        out.push(Command { prefixes, argv });
    }
    Ok(out)
}

/// The one command of an `ExecStart=` value.
pub fn command(value: &str, instance: &str) -> Result<Command, String> {
    let mut all = commands(value, instance)?;
    match all.len() {
        1 => Ok(all.remove(0)),
        n => Err(format!("{n} commands in `{value}`, expected one")),
    }
}

/// `%%` → `%`, `%i`/`%I` → the instance; any other specifier is an error.
fn specifiers(value: &str, instance: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('i' | 'I') => out.push_str(instance),
            other => {
                return Err(format!(
                    "specifier %{} in `{value}` is not handled by the harness",
                    other.map(String::from).unwrap_or_default()
                ));
            }
        }
    }
    Ok(out)
}

/// `$$` → `$`; a `$` that starts a variable reference is an error.
fn dollars(word: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('$') => {
                chars.next();
                out.push('$');
            }
            Some(&n) if n == '{' || n == '_' || n.is_ascii_alphabetic() => {
                return Err(format!(
                    "`{word}` refers to an environment variable, which the harness does not expand"
                ));
            }
            _ => out.push('$'),
        }
    }
    Ok(out)
}

/// Whitespace-separated words with `"…"`/`'…'` quoting anywhere in a word
/// and C escapes (`\n`, `\t`, `\\`, `\"`, `\'`, `\xNN`) inside and outside
/// quotes.
pub fn split_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(words);
        }
        let mut word = String::new();
        let mut quote: Option<char> = None;
        while let Some(c) = chars.next() {
            match (quote, c) {
                (None, c) if c.is_whitespace() => break,
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (_, '\\') => {
                    let e = chars
                        .next()
                        .ok_or_else(|| format!("trailing `\\` in `{text}`"))?;
                    match e {
                        'n' => word.push('\n'),
                        't' => word.push('\t'),
                        'r' => word.push('\r'),
                        'a' => word.push('\x07'),
                        'b' => word.push('\x08'),
                        'f' => word.push('\x0c'),
                        'v' => word.push('\x0b'),
                        's' => word.push(' '),
                        'x' => {
                            let hex: String = (0..2).filter_map(|_| chars.next()).collect();
                            let n = u8::from_str_radix(&hex, 16)
                                .map_err(|_| format!("bad `\\x{hex}` in `{text}`"))?;
                            word.push(char::from(n));
                        }
                        '\\' | '"' | '\'' | ' ' | ';' => word.push(e),
                        other => return Err(format!("unknown escape `\\{other}` in `{text}`")),
                    }
                }
                (_, c) => word.push(c),
            }
        }
        if quote.is_some() {
            return Err(format!("unterminated quote in `{text}`"));
        }
        words.push(word);
    }
}
