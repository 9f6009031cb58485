//! The two env-file syntaxes mesosc writes, parsed the way their readers
//! parse them.

/// One `NAME=value` of an env file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    /// The variable name.
    pub name: String,
    /// The value the program sees.
    pub value: String,
    /// 1-based line where the assignment starts.
    pub line: usize,
}

/// systemd's `EnvironmentFile=` parser (`parse_env_file_internal` in
/// `src/basic/env-file.c`, systemd 252), state for state:
///
/// - leading whitespace is skipped; a line starting with `#` or `;` is a
///   comment (a `\` at its end continues the comment);
/// - the key runs to `=` (trailing whitespace dropped); a line without `=`
///   is ignored by systemd, and an error here (mesosc never means that);
/// - the value: leading whitespace skipped; `'…'` is literal; in `"…"`,
///   `\` escapes `"`, `\`, `` ` ``, `$` and a line break, and is kept before
///   anything else; unquoted, `\` escapes the next character (a line break:
///   continuation) and trailing whitespace is dropped; quoted and unquoted
///   parts concatenate.
///
/// systemd then drops assignments whose name is not a valid variable name or
/// whose value is not UTF-8 (`load_env_file_push`); those are errors here.
pub fn parse_systemd(text: &str) -> Result<Vec<Var>, String> {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        PreKey,
        Key,
        PreValue,
        Value,
        ValueEscape,
        Single,
        Double,
        DoubleEscape,
        Comment,
        CommentEscape,
    }
    let mut vars = Vec::new();
    let mut state = S::PreKey;
    let mut key = String::new();
    let mut value = String::new();
    let mut key_ws: Option<usize> = None;
    let mut value_ws: Option<usize> = None;
    let mut line = 1;
    let mut start = 1;
    let mut push = |key: &mut String, value: &mut String, start: usize| -> Result<(), String> {
        let valid = key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!(
                "line {start}: `{key}` is not a variable name; systemd drops the assignment"
            ));
        }
        vars.push(Var {
            name: std::mem::take(key),
            value: std::mem::take(value),
            line: start,
        });
        Ok(())
    };
    for c in text.chars().chain(std::iter::once('\n')) {
        let newline = c == '\n' || c == '\r';
        match state {
            S::PreKey => {
                if c == '#' || c == ';' {
                    state = S::Comment;
                } else if !c.is_whitespace() {
                    state = S::Key;
                    start = line;
                    key.clear();
                    key.push(c);
                    key_ws = None;
                }
            }
            S::Key => {
                if newline {
                    return Err(format!(
                        "line {start}: `{key}` has no `=`; systemd ignores the line"
                    ));
                } else if c == '=' {
                    if let Some(n) = key_ws {
                        key.truncate(n);
                    }
                    state = S::PreValue;
                    value.clear();
                    value_ws = None;
                } else {
                    if !c.is_whitespace() {
                        key_ws = None;
                    } else if key_ws.is_none() {
                        key_ws = Some(key.len());
                    }
                    key.push(c);
                }
            }
            S::PreValue => {
                if newline {
                    state = S::PreKey;
                    if let Some(n) = value_ws {
                        value.truncate(n);
                    }
                    push(&mut key, &mut value, start)?;
                } else if c == '\'' {
                    state = S::Single;
                } else if c == '"' {
                    state = S::Double;
                } else if c == '\\' {
                    state = S::ValueEscape;
                } else if !c.is_whitespace() {
                    state = S::Value;
                    value.push(c);
                }
            }
            S::Value => {
                if newline {
                    state = S::PreKey;
                    if let Some(n) = value_ws {
                        value.truncate(n);
                    }
                    push(&mut key, &mut value, start)?;
                } else if c == '\\' {
                    state = S::ValueEscape;
                    value_ws = None;
                } else {
                    if !c.is_whitespace() {
                        value_ws = None;
                    } else if value_ws.is_none() {
                        value_ws = Some(value.len());
                    }
                    value.push(c);
                }
            }
            S::ValueEscape => {
                state = S::Value;
                if !newline {
                    value.push(c);
                }
            }
            S::Single => {
                if c == '\'' {
                    state = S::PreValue;
                } else {
                    value.push(c);
                }
            }
            S::Double => {
                if c == '"' {
                    state = S::PreValue;
                } else if c == '\\' {
                    state = S::DoubleEscape;
                } else {
                    value.push(c);
                }
            }
            S::DoubleEscape => {
                state = S::Double;
                if "\"\\`$".contains(c) {
                    value.push(c);
                } else if c != '\n' {
                    value.push('\\');
                    value.push(c);
                }
            }
            S::Comment => {
                if c == '\\' {
                    state = S::CommentEscape;
                } else if newline {
                    state = S::PreKey;
                }
            }
            S::CommentEscape => state = S::Comment,
        }
        if c == '\n' {
            line += 1;
        }
    }
    match state {
        S::Single | S::Double | S::DoubleEscape => {
            Err(format!("line {start}: unterminated quote in `{key}`"))
        }
        _ => Ok(vars),
    }
}

/// `docker run --env-file` (`opts/envfile.go`, `parseKeyValueFile`): per
/// line, leading whitespace dropped; empty lines and lines starting with `#`
/// skipped; `NAME=value` with the value taken literally to the end of the
/// line. A line without `=` imports the variable from the docker client's
/// own environment (never what mesosc means: an error here), and a name with
/// whitespace is an error of docker's.
pub fn parse_docker(text: &str) -> Result<Vec<Var>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut vars = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            return Err(format!(
                "line {}: `{line}` has no `=`: docker would copy it from the client's environment",
                i + 1
            ));
        };
        if name.is_empty() {
            return Err(format!("line {}: empty variable name", i + 1));
        }
        if name.chars().any(char::is_whitespace) {
            return Err(format!(
                "line {}: variable '{name}' contains whitespaces (docker refuses the file)",
                i + 1
            ));
        }
        vars.push(Var {
            name: name.to_owned(),
            value: value.to_owned(),
            line: i + 1,
        });
    }
    Ok(vars)
}
