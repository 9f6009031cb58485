//! A lexical scan from the start of a file to the cursor, for completion.
//!
//! Completion runs on text being typed, which rarely parses: `flags { off`
//! is not an entry yet. So instead of the syntax tree this scan tracks the
//! braces and brackets that are open at the cursor and what opened each
//! (`host "a" uses t {`, `leader {`, `roles = [`), skipping strings and
//! comments, and says whether the cursor is where a key, a value or a
//! template name goes.

/// What opened a `{` or `[` that is still open at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// An item's body: `host`, `template`, `cluster`, `service`.
    Item(&'static str),
    /// `for … {` or `environment "name" {`: holds items, like the top level.
    Items,
    /// A block entry `key {` or `key = {`.
    Key(String),
    /// A list `key = [`, with its key when there is one.
    List(Option<String>),
    /// Anything else (a stray brace).
    Other,
}

/// Where the cursor stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// Where a key (or, at top level, an item) starts.
    Key,
    /// In the value of `key` (after `key =`, or inside its list).
    Value(String),
    /// After `uses` in a host's header: a template name.
    Uses,
    /// Inside a string or a comment: nothing to offer.
    Text,
}

/// The scan's result.
#[derive(Debug, Clone)]
pub struct Scan {
    /// Open frames, outermost first.
    pub frames: Vec<Frame>,
    /// Where the cursor stands.
    pub slot: Slot,
    /// Byte offset where the word being typed starts.
    pub word_start: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str,
    Punct(char),
}

const ITEMS: &[&str] = &["host", "template", "cluster", "service"];

/// Whether a byte can be part of a word (names, dotted keys, `cloud-config`).
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Scans `text` up to `cursor` (a byte offset, clamped to the text).
pub fn scan(text: &str, cursor: usize) -> Scan {
    let bytes = text.as_bytes();
    let mut cursor = cursor.min(bytes.len());
    while cursor > 0 && !text.is_char_boundary(cursor) {
        cursor -= 1;
    }
    let mut word_start = cursor;
    while word_start > 0 && is_word_byte(bytes[word_start - 1]) {
        word_start -= 1;
    }
    let mut s = Scanner::default();
    let in_text = s.run(&bytes[..word_start]);
    let slot = if in_text { Slot::Text } else { s.slot() };
    Scan {
        frames: s.frames.into_iter().map(|(f, _)| f).collect(),
        slot,
        word_start,
    }
}

#[derive(Default)]
struct Scanner {
    /// Open frames, each with the tokens read since it opened.
    frames: Vec<(Frame, Vec<Tok>)>,
    top: Vec<Tok>,
}

impl Scanner {
    fn tokens(&mut self) -> &mut Vec<Tok> {
        match self.frames.last_mut() {
            Some((_, t)) => t,
            None => &mut self.top,
        }
    }

    /// Reads every token; true when the text ends inside a string or comment.
    fn run(&mut self, bytes: &[u8]) -> bool {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'#' => match bytes[i..].iter().position(|&c| c == b'\n' || c == b'\r') {
                    Some(n) => i += n,
                    None => return true,
                },
                b'"' => match string_end(bytes, i + 1) {
                    Some(end) => {
                        self.tokens().push(Tok::Str);
                        i = end;
                    }
                    None => return true,
                },
                b'{' => self.open_brace(),
                b'[' => self.open_list(),
                b'}' | b']' => self.close(b),
                _ if is_word_byte(b) => {
                    let n = bytes[i..].iter().take_while(|&&c| is_word_byte(c)).count();
                    let word = String::from_utf8_lossy(&bytes[i..i + n]).into_owned();
                    self.tokens().push(Tok::Word(word));
                    i += n - 1;
                }
                _ if b.is_ascii_whitespace() => {}
                _ => self.tokens().push(Tok::Punct(char::from(b))),
            }
            i += 1;
        }
        false
    }

    fn open_brace(&mut self) {
        let tokens = std::mem::take(self.tokens());
        self.frames.push((frame_for(&tokens), Vec::new()));
    }

    fn open_list(&mut self) {
        let key = match self.frames.last() {
            Some((Frame::List(k), t)) if t.last() != Some(&Tok::Punct('=')) => k.clone(),
            _ => assigned_key(self.tokens()),
        };
        self.frames.push((Frame::List(key), Vec::new()));
    }

    fn close(&mut self, b: u8) {
        let is_list = |f: &Frame| matches!(f, Frame::List(_));
        while let Some((f, _)) = self.frames.last() {
            let list = is_list(f);
            self.frames.pop();
            if list == (b == b']') {
                break;
            }
        }
        self.tokens().push(Tok::Punct(char::from(b)));
    }

    /// Where the cursor stands, from the innermost frame's tokens.
    fn slot(&self) -> Slot {
        let (frame, tokens) = match self.frames.last() {
            Some((f, t)) => (Some(f), t.as_slice()),
            None => (None, self.top.as_slice()),
        };
        if let Some(Frame::List(key)) = frame {
            return Slot::Value(key.clone().unwrap_or_default());
        }
        if let Some(key) = assigned_key(tokens) {
            return Slot::Value(key);
        }
        let host = tokens.iter().rposition(|t| *t == Tok::Word("host".into()));
        let uses = tokens.iter().rposition(|t| *t == Tok::Word("uses".into()));
        match (host, uses) {
            (Some(h), Some(u)) if u > h => Slot::Uses,
            _ => Slot::Key,
        }
    }
}

/// The key of `key =` at the end of the tokens.
fn assigned_key(tokens: &[Tok]) -> Option<String> {
    match tokens {
        [.., Tok::Word(k), Tok::Punct('=')] => Some(k.clone()),
        _ => None,
    }
}

/// What a `{` opens, from the tokens before it.
fn frame_for(tokens: &[Tok]) -> Frame {
    if let Some(key) = assigned_key(tokens) {
        return Frame::Key(key);
    }
    let keyword = tokens.iter().rposition(|t| match t {
        Tok::Word(w) => ITEMS.contains(&w.as_str()) || w == "for" || w == "environment",
        _ => false,
    });
    if let Some(k) = keyword
        && !tokens[k..].contains(&Tok::Punct('='))
        && let Tok::Word(w) = &tokens[k]
    {
        return match ITEMS.iter().find(|i| **i == w) {
            Some(item) => Frame::Item(item),
            None => Frame::Items,
        };
    }
    let last_word = match tokens {
        [.., Tok::Word(w), Tok::Str] | [.., Tok::Word(w)] => Some(w.clone()),
        _ => None,
    };
    last_word.map_or(Frame::Other, Frame::Key)
}

/// The index of the closing quote of a string whose body starts at `i`;
/// `None` when the text ends first. `${…}` may hold nested strings, tracked
/// with a stack rather than recursion, so no nesting overflows the stack.
fn string_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    // One entry per open string: the `${` depth inside it.
    let mut strings: Vec<usize> = vec![0];
    while i < bytes.len() {
        let depth = strings.last_mut()?;
        match bytes[i] {
            b'\\' if *depth == 0 => i += 1,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                *depth += 1;
                i += 1;
            }
            b'}' if *depth > 0 => *depth -= 1,
            b'"' if *depth > 0 => strings.push(0),
            b'"' => {
                strings.pop();
                if strings.is_empty() {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(text: &str) -> Scan {
        scan(text, text.len())
    }

    #[test]
    fn half_typed_flags() {
        let s = at_end("leader {\n  port = 5050\n  flags { offer_timeout = 1secs\n    offe");
        assert_eq!(
            s.frames,
            [Frame::Key("leader".into()), Frame::Key("flags".into())]
        );
        assert_eq!(s.slot, Slot::Key);
    }

    #[test]
    fn hosts_lists_and_uses() {
        let s = at_end("for n in 1..3 { host \"a-${n}\" uses worker {\n roles = [leader, fo");
        assert_eq!(s.frames[..2], [Frame::Items, Frame::Item("host")]);
        assert_eq!(s.slot, Slot::Value("roles".into()));
        assert_eq!(at_end("host \"a\" uses wo").slot, Slot::Uses);
        assert_eq!(
            at_end("cluster \"x\" { runtime = na").slot,
            Slot::Value("runtime".into())
        );
        assert_eq!(at_end("# leader { ").slot, Slot::Text);
        let s = at_end("host \"a\" { follower { resources { cpus = 8 } }\n  leader { ");
        assert_eq!(s.frames, [Frame::Item("host"), Frame::Key("leader".into())]);
        let nested = "host \"a${\"b${\"c\"}\"}\" { ";
        assert_eq!(at_end(nested).frames, [Frame::Item("host")]);
        let deep = "x = \"${".repeat(200_000);
        assert_eq!(at_end(&deep).slot, Slot::Text);
    }
}
