//! Each writer of the escaping layer (`mesosc::escape`), read back by the
//! harness's reader of its format: `Ok` when the reader gets exactly the
//! text written, or when the format refuses the text (`escape::refusal`:
//! the checker then reports it and nothing is written). Shared by
//! `tests/formats.rs` (proptest) and the `formats` fuzz target, which
//! includes this file and its readers by path.

use mesosc::escape::{self, Format, refusal};

use super::envfile;
use super::props::properties;
use super::unit::split_words;

/// Every writer on `text` (and on `text` with `other`, where a format has
/// two parts: a second word, a key).
pub fn all(text: &str, other: &str) -> Result<(), String> {
    exec_words(text, other)?;
    systemd_env(text)?;
    docker_env(text)?;
    if !other.is_empty() {
        zoo_cfg(other, text)?;
    }
    yaml(text)?;
    unit_text(text)
}

fn same<T: PartialEq + std::fmt::Debug>(got: T, want: T, what: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: read back {got:?}, meant {want:?}"))
    }
}

/// Two `ExecStart=` words, read as systemd reads a command line: words
/// split with quotes and C escapes, then in each word `%%` is a `%` (any
/// other `%` starts a specifier) and `$$` a `$` (any other `$` starts a
/// variable).
pub fn exec_words(a: &str, b: &str) -> Result<(), String> {
    if refusal(Format::Unit, a).is_some() || refusal(Format::Unit, b).is_some() {
        return Ok(());
    }
    let line = format!("/bin/x {} {}", escape::exec_word(a), escape::exec_word(b));
    let words = split_words(&line)?
        .into_iter()
        .map(|w| undouble(&w, '%').and_then(|w| undouble(&w, '$')))
        .collect::<Result<Vec<String>, String>>()?;
    same(words, vec!["/bin/x".into(), a.into(), b.into()], &line)
}

/// `word` with each doubled `c` read as one `c`; a single `c` is an error
/// (systemd would expand it).
fn undouble(word: &str, c: char) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = word.chars();
    while let Some(x) = chars.next() {
        if x == c && chars.next() != Some(c) {
            return Err(format!("a lone `{c}` systemd would expand in {word:?}"));
        }
        out.push(x);
    }
    Ok(out)
}

/// A value of systemd's `EnvironmentFile=`, between a comment and another
/// assignment.
pub fn systemd_env(v: &str) -> Result<(), String> {
    if refusal(Format::EnvFile, v).is_some() {
        return Ok(());
    }
    let text = format!("# c\nA={}\nB=b\n", escape::systemd_value(v));
    let vars = envfile::parse_systemd(&text)?;
    let got: Vec<(&str, &str)> = vars
        .iter()
        .map(|x| (x.name.as_str(), x.value.as_str()))
        .collect();
    same(got, vec![("A", v), ("B", "b")], &text)
}

/// A value of `docker run --env-file`.
pub fn docker_env(v: &str) -> Result<(), String> {
    if refusal(Format::EnvFile, v).is_some() {
        return Ok(());
    }
    let text = format!("A={}\nB=b\n", escape::docker_value(v));
    let vars = envfile::parse_docker(&text)?;
    let got: Vec<(&str, &str)> = vars
        .iter()
        .map(|x| (x.name.as_str(), x.value.as_str()))
        .collect();
    same(got, vec![("A", v), ("B", "b")], &text)
}

/// A zoo.cfg line, read as `java.util.Properties.load` reads it.
pub fn zoo_cfg(k: &str, v: &str) -> Result<(), String> {
    if k.is_empty() || refusal(Format::ZooCfg, v).is_some() {
        return Ok(());
    }
    let text = format!(
        "# c\n{}={}\nnext=1\n",
        escape::properties_key(k),
        escape::properties_value(v)
    );
    same(
        properties(&text),
        vec![(k.to_owned(), v.to_owned()), ("next".into(), "1".into())],
        &text,
    )
}

/// A YAML scalar, plain where safe, in a flow sequence, and double-quoted,
/// read by a YAML 1.2 reader (yaml-rust2).
pub fn yaml(v: &str) -> Result<(), String> {
    if refusal(Format::Yaml, v).is_some() {
        return Ok(());
    }
    let read = |doc: &str, flow: bool| -> Result<String, String> {
        let docs =
            yaml_rust2::YamlLoader::load_from_str(doc).map_err(|e| format!("{doc:?}: {e}"))?;
        let node = docs.first().map(|d| &d["k"]).ok_or("no document")?;
        let node = if flow { &node[1] } else { node };
        node.as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("not a string: {node:?} from {doc:?}"))
    };
    let plain = format!("k: {}\n", escape::yaml_scalar(v, false));
    same(read(&plain, false)?.as_str(), v, &plain)?;
    let flow = format!("k: [a, {}]\n", escape::yaml_scalar(v, true));
    same(read(&flow, true)?.as_str(), v, &flow)?;
    let quoted = format!("k: {}\n", escape::yaml_quoted(v));
    same(read(&quoted, false)?.as_str(), v, &quoted)
}

/// Free text of a unit setting (`Description=`): only `%` is doubled.
pub fn unit_text(v: &str) -> Result<(), String> {
    if refusal(Format::Unit, v).is_some() {
        return Ok(());
    }
    same(
        escape::unit_text(v).replace("%%", "%").as_str(),
        v,
        "unit text",
    )
}
