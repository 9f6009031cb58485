//! Java properties files (zoo.cfg), read as `java.util.Properties.load`
//! reads them.

/// A Java properties file (zoo.cfg), as `java.util.Properties.load` reads
/// it: `#`/`!` comments, `key=value`, `key: value` or `key value`,
/// continuation lines, `\` escapes.
pub fn properties(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut logical = String::new();
    for raw in text.lines() {
        let line = raw.trim_start();
        if logical.is_empty() && (line.is_empty() || line.starts_with('#') || line.starts_with('!'))
        {
            continue;
        }
        let trailing = line.bytes().rev().take_while(|&b| b == b'\\').count();
        if trailing % 2 == 1 {
            logical.push_str(&line[..line.len() - 1]);
            continue;
        }
        logical.push_str(line);
        let l = std::mem::take(&mut logical);
        let mut key = String::new();
        let mut chars = l.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => key.push(unescape(&mut chars)),
                '=' | ':' => break,
                c if c.is_whitespace() => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                    if matches!(chars.peek(), Some('=' | ':')) {
                        chars.next();
                    }
                    break;
                }
                c => key.push(c),
            }
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            if c == '\\' {
                value.push(unescape(&mut chars));
            } else {
                value.push(c);
            }
        }
        out.push((key, value));
    }
    out
}

fn unescape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> char {
    match chars.next() {
        Some('t') => '\t',
        Some('n') => '\n',
        Some('r') => '\r',
        Some('f') => '\x0c',
        Some('u') => {
            // Java strings are UTF-16: a character outside the BMP is two
            // `\uXXXX` escapes, a high and a low surrogate.
            let hex4 = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                u16::from_str_radix(&hex, 16).ok()
            };
            let Some(unit) = hex4(chars) else {
                return '\u{fffd}';
            };
            let mut units = vec![unit];
            if (0xd800..0xdc00).contains(&unit) {
                let mut ahead = chars.clone();
                if ahead.next() == Some('\\') && ahead.next() == Some('u') {
                    chars.next();
                    chars.next();
                    units.extend(hex4(chars));
                }
            }
            char::decode_utf16(units)
                .next()
                .and_then(Result::ok)
                .unwrap_or('\u{fffd}')
        }
        Some(c) => c,
        None => '\\',
    }
}
