//! Mesos resources, ranges, attributes and resource quantities
//! (`src/common/{resources,values,attributes}.cpp`).

use std::fmt::Write as _;

use super::error::{ValueError, fail};

/// The resource names Mesos knows without configuration. Any other name is
/// valid syntax (custom resources), so a caller may warn about it: `cpu:4` is
/// almost certainly meant to be `cpus:4`.
pub const KNOWN_RESOURCE_NAMES: [&str; 5] = ["cpus", "mem", "disk", "gpus", "ports"];

/// One entry of a `--resources` value.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The resource name (`cpus`, `mem`, `ports`, or a custom one).
    pub name: String,
    /// The role in parentheses (`cpus(analytics):4`), a static reservation.
    /// `None` means `--default_role` (default `*`).
    pub role: Option<String>,
    /// The amount.
    pub value: ResourceValue,
}

/// The value of a resource.
#[derive(Debug, Clone, PartialEq)]
pub enum ResourceValue {
    /// A non-negative number (`cpus:4`, `mem:8192` in MB).
    Scalar(f64),
    /// Inclusive, non-overlapping ranges (`ports:[31000-32000]`).
    Ranges(Vec<(u64, u64)>),
    /// A set of words (`{a,b,c}`).
    Set(Vec<String>),
}

impl ResourceValue {
    fn kind(&self) -> &'static str {
        match self {
            ResourceValue::Scalar(_) => "a scalar",
            ResourceValue::Ranges(_) => "ranges",
            ResourceValue::Set(_) => "a set",
        }
    }
}

/// One entry of an `--attributes` value.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The key (text before the first `:`).
    pub name: String,
    /// The value.
    pub value: AttributeValue,
}

/// The value of an attribute: sets are not allowed.
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeValue {
    /// A number (`rack:2`).
    Scalar(f64),
    /// Ranges (`slots:[1-4]`).
    Ranges(Vec<(u64, u64)>),
    /// Text (`zone:us-east-1a`), with spaces removed as Mesos does.
    Text(String),
}

/// Parses a `--resources` value: a JSON array of `Resource` objects (tried
/// first, as Mesos does) or the text form `name(role):value;name:value`.
///
/// Text form rules: entries split on `;` (empty entries are skipped); each
/// needs exactly one `:`; the optional `(role)` must be closed and followed
/// by nothing; spaces in values are removed; a value is a non-negative scalar,
/// `[b-e,…]` ranges (begin ≤ end, no overlaps) or a `{a,b}` set, never plain
/// text (`cpus:four` is an error). One name used with two value types, or
/// overlapping ranges within one entry, are errors. Unknown names such as
/// `cpu` are valid syntax: compare with [`KNOWN_RESOURCE_NAMES`].
///
/// JSON form: each object needs `name` and `type` (`SCALAR`, `RANGES`,
/// `SET`) with the matching `scalar`/`ranges`/`set` field; persistent
/// volumes (`disk.persistence`), `revocable` resources and dynamic
/// reservations are rejected as on the command line.
pub fn parse_resources(text: &str) -> Result<Vec<Resource>, ValueError> {
    if text.starts_with("file://") {
        return fail(format!(
            "`{text}` is read from a file when the agent starts"
        ))
        .map_err(|e| e.with_help("mesosc cannot check a resource file; write the value inline"));
    }
    let resources = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(items)) => items
            .iter()
            .map(json_resource)
            .collect::<Result<Vec<_>, _>>()?,
        Ok(_) => {
            return Err(
                ValueError::new("JSON resources must be an array of Resource objects")
                    .with_help(r#"e.g. [{"name":"cpus","type":"SCALAR","scalar":{"value":4}}]"#),
            );
        }
        Err(_) => text
            .split(';')
            .filter(|t| !t.trim().is_empty())
            .map(text_resource)
            .collect::<Result<Vec<_>, _>>()?,
    };
    check_consistent_types(&resources)?;
    Ok(resources)
}

/// Writes resources in the canonical text form `name(role):value;…`:
/// scalars as plain numbers, ranges as `[b-e,b-e]`, sets as `{a,b}`.
pub fn format_resources(resources: &[Resource]) -> String {
    let mut out = String::new();
    for (i, r) in resources.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(&r.name);
        if let Some(role) = &r.role {
            let _ = write!(out, "({role})");
        }
        out.push(':');
        match &r.value {
            ResourceValue::Scalar(v) => {
                let _ = write!(out, "{v}");
            }
            ResourceValue::Ranges(ranges) => out.push_str(&format_ranges(ranges)),
            ResourceValue::Set(items) => {
                let _ = write!(out, "{{{}}}", items.join(","));
            }
        }
    }
    out
}

/// Parses `[b-e,b-e,…]`: non-negative integers, begin ≤ end, no two ranges
/// overlapping (adjacent ones such as `[1-5,6-9]` are fine). Spaces are
/// ignored, as Mesos removes them.
pub fn parse_ranges(text: &str) -> Result<Vec<(u64, u64)>, ValueError> {
    let ranges = parse_ranges_lenient(text)?;
    let mut sorted = ranges.clone();
    sorted.sort_unstable();
    for pair in sorted.windows(2) {
        if let [(b1, e1), (b2, e2)] = pair
            && b2 <= e1
        {
            return Err(ValueError::new(format!(
                "ranges `{b1}-{e1}` and `{b2}-{e2}` overlap in `{text}`"
            ))
            .with_help(format!("merge them: `{b1}-{}`", e1.max(e2))));
        }
    }
    Ok(ranges)
}

/// Writes ranges as `[b-e,b-e]`.
pub fn format_ranges(ranges: &[(u64, u64)]) -> String {
    let items: Vec<String> = ranges.iter().map(|(b, e)| format!("{b}-{e}")).collect();
    format!("[{}]", items.join(","))
}

/// Ranges syntax without the overlap rule (Mesos merges overlapping ranges
/// in attributes).
fn parse_ranges_lenient(text: &str) -> Result<Vec<(u64, u64)>, ValueError> {
    let squeezed: String = text.chars().filter(|c| *c != ' ').collect();
    let example = "write ranges as `[b-e,b-e]`, e.g. `[31000-32000]`";
    let Some(inner) = squeezed.strip_prefix('[').and_then(|s| s.strip_suffix(']')) else {
        let help = if squeezed.contains('-') && !squeezed.contains('[') {
            format!("wrap ranges in brackets: `[{squeezed}]`")
        } else {
            example.to_owned()
        };
        return Err(ValueError::new(format!("`{text}` is not a list of ranges")).with_help(help));
    };
    let mut ranges = Vec::new();
    for item in inner.split(',') {
        let Some((b, e)) = item.split_once('-') else {
            let help = match item.split_once(':') {
                Some((b, e)) => format!("ranges use `-`: `{b}-{e}`"),
                None if item.is_empty() => "remove the empty item".to_owned(),
                None => format!("a single value is written `{item}-{item}`"),
            };
            return Err(
                ValueError::new(format!("`{item}` in `{text}` is not a range")).with_help(help),
            );
        };
        let (Some(b), Some(e)) = (uint(b), uint(e)) else {
            return Err(
                ValueError::new(format!("`{item}` in `{text}` is not a range"))
                    .with_help("ranges are non-negative integers `begin-end`"),
            );
        };
        if b > e {
            return Err(
                ValueError::new(format!("range `{item}` ends before it begins"))
                    .with_help(format!("write `{e}-{b}`")),
            );
        }
        ranges.push((b, e));
    }
    Ok(ranges)
}

fn uint(text: &str) -> Option<u64> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// A scalar as Mesos values accept it: a finite decimal number.
pub(super) fn scalar(text: &str) -> Option<f64> {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exp) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    let v: f64 = text.parse().ok()?;
    (super::units::decimal(mantissa).is_some() && exp_ok && v.is_finite()).then_some(v)
}

/// One `name(role):value` entry of the text form.
fn text_resource(token: &str) -> Result<Resource, ValueError> {
    let parts: Vec<&str> = token.split(':').collect();
    let [head, value] = parts[..] else {
        let help = if parts.len() < 2 {
            "write `name:value`, e.g. `cpus:4`".to_owned()
        } else {
            "each entry needs exactly one `:`; separate entries with `;`".to_owned()
        };
        return Err(
            ValueError::new(format!("missing or extra `:` in resource `{token}`")).with_help(help),
        );
    };
    let (name, role) = match head.split_once('(') {
        None => (head.trim(), None),
        Some((name, rest)) => {
            let Some((role, after)) = rest.split_once(')') else {
                return fail(format!("unclosed `(` in resource `{token}`"));
            };
            if !after.trim().is_empty() {
                return fail(format!("unexpected `{after}` after the role in `{token}`"));
            }
            check_role(role.trim())?;
            (name.trim(), Some(role.trim().to_owned()))
        }
    };
    if name.is_empty() {
        return fail(format!("resource `{token}` has no name"));
    }
    let value = resource_value(name, value)?;
    Ok(Resource {
        name: name.to_owned(),
        role,
        value,
    })
}

/// Role names: non-empty, no whitespace or `,`, not `.`/`..`, not starting
/// with `-` (`src/common/roles.cpp`).
fn check_role(role: &str) -> Result<(), ValueError> {
    let bad = role.is_empty()
        || role == "."
        || role == ".."
        || role.starts_with('-')
        || role.contains(|c: char| c.is_whitespace() || c == ',');
    if bad {
        return fail(format!("`{role}` is not a valid role name"));
    }
    Ok(())
}

/// The value after `:` of one text-form resource.
fn resource_value(name: &str, raw: &str) -> Result<ResourceValue, ValueError> {
    let value: String = raw.chars().filter(|c| *c != ' ').collect();
    if value.starts_with('[') {
        return parse_ranges(&value).map(ResourceValue::Ranges);
    }
    if let Some(inner) = value.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        let items: Vec<String> = inner
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if items.iter().any(|i| i.contains(['{', '}', '[', ']'])) {
            return fail(format!("`{raw}` is not a valid set"));
        }
        return Ok(ResourceValue::Set(items));
    }
    match scalar(&value) {
        Some(v) if v >= 0.0 => Ok(ResourceValue::Scalar(v)),
        Some(_) => Err(ValueError::new(format!(
            "resource `{name}` cannot be negative"
        ))),
        None => Err(ValueError::new(format!(
            "`{raw}` is not a valid value for resource `{name}`"
        ))
        .with_help(resource_value_help(name, &value))),
    }
}

fn resource_value_help(name: &str, value: &str) -> String {
    if matches!(name, "mem" | "disk")
        && let Some(bytes) = super::units::lenient_bytes(value)
        && bytes % (1 << 20) == 0
    {
        return format!("`{name}` is a plain number of MB: `{}`", bytes >> 20);
    }
    if value.contains('-') && !value.contains(['[', ']']) {
        return format!("wrap ranges in brackets: `[{value}]`");
    }
    "a resource value is a number (`4`), ranges (`[31000-32000]`) or a set (`{a,b}`)".to_owned()
}

/// One object of the JSON form.
fn json_resource(item: &serde_json::Value) -> Result<Resource, ValueError> {
    let obj = item
        .as_object()
        .ok_or_else(|| ValueError::new("each JSON resource must be an object"))?;
    let name = obj
        .get("name")
        .and_then(|n| n.as_str())
        .ok_or_else(|| ValueError::new("a JSON resource needs a string `name`"))?;
    if obj.get("disk").and_then(|d| d.get("persistence")).is_some() {
        return fail(format!(
            "persistent volume `{name}` cannot be given in --resources"
        ));
    }
    if obj.contains_key("revocable") {
        return fail(format!(
            "revocable resource `{name}` cannot be given in --resources"
        ));
    }
    let role = json_role(name, obj)?;
    let value = match obj.get("type").and_then(|t| t.as_str()) {
        Some("SCALAR") => obj
            .get("scalar")
            .and_then(|s| s.get("value"))
            .and_then(|v| v.as_f64())
            .filter(|v| *v >= 0.0)
            .map(ResourceValue::Scalar),
        Some("RANGES") => json_ranges(obj.get("ranges")).map(ResourceValue::Ranges),
        Some("SET") => obj
            .get("set")
            .and_then(|s| s.get("item"))
            .and_then(|i| i.as_array())
            .and_then(|items| {
                items
                    .iter()
                    .map(|i| i.as_str().map(str::to_owned))
                    .collect()
            })
            .map(ResourceValue::Set),
        _ => {
            return Err(
                ValueError::new(format!("JSON resource `{name}` needs a `type`"))
                    .with_help("use SCALAR, RANGES or SET"),
            );
        }
    };
    let value = value.ok_or_else(|| {
        ValueError::new(format!(
            "JSON resource `{name}` has no valid value for its type"
        ))
    })?;
    if let ResourceValue::Ranges(r) = &value {
        parse_ranges(&format_ranges(r))?;
    }
    Ok(Resource {
        name: name.to_owned(),
        role,
        value,
    })
}

fn json_role(
    name: &str,
    obj: &serde_json::Map<String, serde_json::Value>,
) -> Result<Option<String>, ValueError> {
    let mut role = obj.get("role").and_then(|r| r.as_str()).map(str::to_owned);
    if let Some(reservations) = obj.get("reservations").and_then(|r| r.as_array()) {
        for r in reservations {
            if r.get("type").and_then(|t| t.as_str()) == Some("DYNAMIC") {
                return fail(format!(
                    "dynamically reserved resource `{name}` cannot be given in --resources"
                ));
            }
            if let Some(r) = r.get("role").and_then(|r| r.as_str()) {
                role = Some(r.to_owned());
            }
        }
    }
    if obj.get("reservation").is_some() {
        return fail(format!(
            "dynamically reserved resource `{name}` cannot be given in --resources"
        ));
    }
    if let Some(r) = &role {
        check_role(r)?;
    }
    Ok(role)
}

fn json_ranges(ranges: Option<&serde_json::Value>) -> Option<Vec<(u64, u64)>> {
    let list = ranges?.get("range")?.as_array()?;
    list.iter()
        .map(|r| Some((r.get("begin")?.as_u64()?, r.get("end")?.as_u64()?)))
        .collect()
}

/// One name must not be used with two value types.
fn check_consistent_types(resources: &[Resource]) -> Result<(), ValueError> {
    for (i, a) in resources.iter().enumerate() {
        let clash = resources.get(i + 1..).unwrap_or_default().iter().find(|b| {
            b.name == a.name && std::mem::discriminant(&a.value) != std::mem::discriminant(&b.value)
        });
        if let Some(b) = clash {
            return Err(ValueError::new(format!(
                "resource `{}` is given as {} and as {}",
                a.name,
                a.value.kind(),
                b.value.kind()
            ))
            .with_help("use one value type per resource name"));
        }
    }
    Ok(())
}

/// Parses `--attributes`: `key:value` entries split on `;` or newline, each
/// split on its first `:`.
///
/// Values are a scalar (`rack:2`), ranges (`slots:[1-4]`) or text
/// (`zone:us-east-1a`); spaces are removed from values as Mesos does. Empty
/// keys or values, sets (`k:{a,b}`) and misplaced or unbalanced brackets are
/// errors (the agent aborts on them).
pub fn parse_attributes(text: &str) -> Result<Vec<Attribute>, ValueError> {
    let mut out = Vec::new();
    for token in text.split([';', '\n']).filter(|t| !t.is_empty()) {
        let Some((key, raw)) = token.split_once(':') else {
            return Err(ValueError::new(format!("attribute `{token}` has no `:`"))
                .with_help("write `key:value`, e.g. `rack:r1`"));
        };
        if key.is_empty() || raw.is_empty() {
            return Err(
                ValueError::new(format!("attribute `{token}` has an empty key or value"))
                    .with_help("write `key:value`, e.g. `rack:r1`"),
            );
        }
        let value: String = raw.chars().filter(|c| *c != ' ').collect();
        if value.is_empty() {
            return fail(format!("attribute `{key}` has an empty value"));
        }
        out.push(Attribute {
            name: key.to_owned(),
            value: attribute_value(key, &value)?,
        });
    }
    Ok(out)
}

fn attribute_value(key: &str, value: &str) -> Result<AttributeValue, ValueError> {
    for (open, close) in [('{', '}'), ('[', ']'), ('(', ')')] {
        if !brackets_match(value, open, close) {
            return fail(format!(
                "mismatched `{open}{close}` in attribute `{key}:{value}`"
            ));
        }
    }
    if value.starts_with('{') {
        return Err(
            ValueError::new(format!("attribute `{key}` cannot be a set"))
                .with_help("attributes take a scalar, ranges or text; use several keys instead"),
        );
    }
    if value.contains('{') {
        return fail(format!("unexpected `{{` in attribute `{key}:{value}`"));
    }
    if value.starts_with('[') {
        return parse_ranges_lenient(value).map(AttributeValue::Ranges);
    }
    if value.contains('[') {
        return fail(format!("unexpected `[` in attribute `{key}:{value}`"));
    }
    Ok(match scalar(value) {
        Some(v) => AttributeValue::Scalar(v),
        None => AttributeValue::Text(value.to_owned()),
    })
}

/// stout's `checkBracketsMatching`: never more closes than opens, and equal
/// counts at the end.
fn brackets_match(text: &str, open: char, close: char) -> bool {
    let mut depth: i64 = 0;
    for c in text.chars() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth < 0 {
                return false;
            }
        }
    }
    depth == 0
}

/// Parses `name:qty;name:qty|name:qty` (master `--min_allocatable_resources`):
/// `|` separates alternatives, `;` joins quantities within one; each entry
/// needs exactly one `:` and a non-negative scalar.
pub fn parse_resource_quantities(text: &str) -> Result<Vec<Vec<(String, f64)>>, ValueError> {
    let mut alternatives = Vec::new();
    for alt in text.split('|').filter(|a| !a.is_empty()) {
        let mut quantities = Vec::new();
        for token in alt.split(';').filter(|t| !t.is_empty()) {
            let parts: Vec<&str> = token.split(':').collect();
            let [name, qty] = parts[..] else {
                return Err(
                    ValueError::new(format!("missing or extra `:` in `{token}`"))
                        .with_help("write `name:quantity`, e.g. `cpus:0.01|mem:32`"),
                );
            };
            let name = name.trim();
            let squeezed: String = qty.chars().filter(|c| *c != ' ').collect();
            match scalar(&squeezed) {
                Some(q) if q >= 0.0 && !name.is_empty() => quantities.push((name.to_owned(), q)),
                _ => {
                    return Err(
                        ValueError::new(format!("`{token}` is not a resource quantity"))
                            .with_help("quantities are non-negative numbers, e.g. `mem:32`"),
                    );
                }
            }
        }
        alternatives.push(quantities);
    }
    if alternatives.is_empty() {
        return fail("an empty list of resource quantities");
    }
    Ok(alternatives)
}
