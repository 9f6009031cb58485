//! The vocabulary of the `type`, `deprecated` and `summary` columns.

use std::fmt;

use super::version::Version;

/// The value syntax of a flag: one variant per word of the type vocabulary in
/// `data/README.md`. [`super::check_value`] implements each one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagType {
    /// `bool`: Mesos `true false 1 0` (empty = true); ZooKeeper `true`/`false`
    /// in any case.
    Bool,
    /// `flag`: a Marathon switch that takes no value.
    Flag,
    /// `int`: signed 32-bit integer.
    Int,
    /// `uint`: unsigned integer (`size_t`).
    Uint,
    /// `long`: signed 64-bit integer (Java `Long`).
    Long,
    /// `float`: a decimal number (`double`).
    Float,
    /// `string`: free text.
    String,
    /// `hostname`: a DNS name.
    Hostname,
    /// `host`: a DNS name or an IP literal.
    Host,
    /// `class`: a fully qualified Java class name.
    Class,
    /// `command`: a shell command run through `sh -c`.
    Command,
    /// `path`: a filesystem path.
    Path,
    /// `pathlist`: colon-separated paths.
    PathList,
    /// `url`: an absolute URL.
    Url,
    /// `uri`: a URI (`file://…`, `s3://…`, `udp://host:port`...).
    Uri,
    /// `ip`: an IPv4 literal.
    Ip,
    /// `ip6`: an IPv6 literal.
    Ip6,
    /// `port`: 0–65535.
    Port,
    /// `list`: comma-separated words.
    List,
    /// `list(uint)`: comma-separated unsigned integers.
    ListUint,
    /// `list(enum(a|b))`: comma-separated words from a fixed set.
    ListEnum(Vec<&'static str>),
    /// `enum(a|b|c)`: one word from a fixed set (may include the empty word).
    Enum(Vec<&'static str>),
    /// `json` or `json(Msg)`: a JSON object, with the protobuf message name.
    Json(Option<&'static str>),
    /// `duration`: a stout duration such as `10secs`.
    Duration,
    /// `bytes`: a stout byte size such as `512MB`.
    Bytes,
    /// `bytes_or_auto`: a byte size or `auto`.
    BytesOrAuto,
    /// `duration_ms`: a plain integer of milliseconds.
    DurationMs,
    /// `duration_s`: a plain integer of seconds.
    DurationS,
    /// `duration_hours`: a plain integer of hours.
    DurationHours,
    /// `duration_ticks`: a plain integer of ZooKeeper ticks.
    DurationTicks,
    /// `bytes_int`: a plain integer of bytes.
    BytesInt,
    /// `kbytes_int`: a plain integer of KiB.
    KbytesInt,
    /// `resources`: `name(role):value;…` or a JSON array.
    Resources,
    /// `attributes`: `key:value;…`.
    Attributes,
    /// `resource_quantities`: `name:qty;name:qty|name:qty`.
    ResourceQuantities,
    /// `ranges`: `[b-e,…]`.
    Ranges,
    /// `rate`: `<int>/<duration>`.
    Rate,
    /// `percent`: `0%` to `100%`.
    Percent,
    /// `role_weights`: `role=weight,…`.
    RoleWeights,
    /// `hex16`: `0xAAAA`, non-zero.
    Hex16,
    /// `hex16_range`: `0xAAAA,0xBBBB`.
    Hex16Range,
    /// `zk_url`: `zk://host:port,…/path` (rules differ between Mesos and Marathon).
    ZkUrl,
    /// `master_url`: how an agent or Marathon finds the Mesos master.
    MasterUrl,
    /// `server_spec`: a ZooKeeper `server.N` line.
    ServerSpec,
    /// `group_spec`: a ZooKeeper `group.N` line.
    GroupSpec,
}

impl FlagType {
    /// Parses a `type` column entry; `None` for a word outside the vocabulary.
    pub fn parse(text: &'static str) -> Option<FlagType> {
        use FlagType::*;
        if let Some(inner) = strip_call(text, "list(enum(").and_then(|s| s.strip_suffix(')')) {
            return Some(ListEnum(enum_words(inner)?));
        }
        if let Some(inner) = strip_call(text, "enum(") {
            return Some(Enum(enum_words(inner)?));
        }
        if let Some(inner) = strip_call(text, "json(") {
            let ok = !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric());
            return ok.then_some(Json(Some(inner)));
        }
        Some(match text {
            "bool" => Bool,
            "flag" => Flag,
            "int" => Int,
            "uint" => Uint,
            "long" => Long,
            "float" => Float,
            "string" => String,
            "hostname" => Hostname,
            "host" => Host,
            "class" => Class,
            "command" => Command,
            "path" => Path,
            "pathlist" => PathList,
            "url" => Url,
            "uri" => Uri,
            "ip" => Ip,
            "ip6" => Ip6,
            "port" => Port,
            "list" => List,
            "list(uint)" => ListUint,
            "json" => Json(None),
            "duration" => Duration,
            "bytes" => Bytes,
            "bytes_or_auto" => BytesOrAuto,
            "duration_ms" => DurationMs,
            "duration_s" => DurationS,
            "duration_hours" => DurationHours,
            "duration_ticks" => DurationTicks,
            "bytes_int" => BytesInt,
            "kbytes_int" => KbytesInt,
            "resources" => Resources,
            "attributes" => Attributes,
            "resource_quantities" => ResourceQuantities,
            "ranges" => Ranges,
            "rate" => Rate,
            "percent" => Percent,
            "role_weights" => RoleWeights,
            "hex16" => Hex16,
            "hex16_range" => Hex16Range,
            "zk_url" => ZkUrl,
            "master_url" => MasterUrl,
            "server_spec" => ServerSpec,
            "group_spec" => GroupSpec,
            _ => return None,
        })
    }

    /// What a value of this type is, for messages: "a Mesos duration",
    /// "a port number"...
    pub fn noun(&self) -> &'static str {
        use FlagType::*;
        match self {
            Bool => "a boolean",
            Flag => "a switch without value",
            Int => "a 32-bit integer",
            Uint => "an unsigned integer",
            Long => "a 64-bit integer",
            Float => "a decimal number",
            String => "a string",
            Hostname => "a DNS host name",
            Host => "a host name or IP address",
            Class => "a Java class name",
            Command => "a shell command",
            Path => "a path",
            PathList => "a colon-separated path list",
            Url => "an absolute URL",
            Uri => "a URI",
            Ip => "an IPv4 address",
            Ip6 => "an IPv6 address",
            Port => "a port number",
            List => "a comma-separated list",
            ListUint => "a comma-separated list of unsigned integers",
            ListEnum(_) => "a comma-separated list of known words",
            Enum(_) => "one of the listed words",
            Json(_) => "a JSON object",
            Duration => "a Mesos duration",
            Bytes => "a Mesos byte size",
            BytesOrAuto => "a Mesos byte size or `auto`",
            DurationMs => "a plain number of milliseconds",
            DurationS => "a plain number of seconds",
            DurationHours => "a plain number of hours",
            DurationTicks => "a plain number of ticks",
            BytesInt => "a plain number of bytes",
            KbytesInt => "a plain number of KiB",
            Resources => "a Mesos resource list",
            Attributes => "a Mesos attribute list",
            ResourceQuantities => "a list of resource quantities",
            Ranges => "a list of ranges",
            Rate => "a rate",
            Percent => "a percentage",
            RoleWeights => "a list of role weights",
            Hex16 => "a 16-bit hex handle",
            Hex16Range => "a range of 16-bit hex handles",
            ZkUrl => "a ZooKeeper URL",
            MasterUrl => "a Mesos master address",
            ServerSpec => "a ZooKeeper server line",
            GroupSpec => "a ZooKeeper group line",
        }
    }
}

/// `text` without `prefix` and the final `)`, when it is `prefix…)`.
fn strip_call<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.strip_prefix(prefix)?.strip_suffix(')')
}

/// The `|`-separated words of an `enum(...)`; an empty word is allowed
/// (`enum(|gz|snappy)`), a word with spaces or parentheses is not.
fn enum_words(inner: &'static str) -> Option<Vec<&'static str>> {
    let words: Vec<&'static str> = inner.split('|').collect();
    let ok = words.iter().all(|w| {
        w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    });
    (ok && words.iter().any(|w| !w.is_empty())).then_some(words)
}

impl fmt::Display for FlagType {
    /// Writes the type back in the vocabulary of the `type` column.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FlagType::*;
        let word = match self {
            ListEnum(words) => return write!(f, "list(enum({}))", words.join("|")),
            Enum(words) => return write!(f, "enum({})", words.join("|")),
            Json(Some(msg)) => return write!(f, "json({msg})"),
            Json(None) => "json",
            Bool => "bool",
            Flag => "flag",
            Int => "int",
            Uint => "uint",
            Long => "long",
            Float => "float",
            String => "string",
            Hostname => "hostname",
            Host => "host",
            Class => "class",
            Command => "command",
            Path => "path",
            PathList => "pathlist",
            Url => "url",
            Uri => "uri",
            Ip => "ip",
            Ip6 => "ip6",
            Port => "port",
            List => "list",
            ListUint => "list(uint)",
            Duration => "duration",
            Bytes => "bytes",
            BytesOrAuto => "bytes_or_auto",
            DurationMs => "duration_ms",
            DurationS => "duration_s",
            DurationHours => "duration_hours",
            DurationTicks => "duration_ticks",
            BytesInt => "bytes_int",
            KbytesInt => "kbytes_int",
            Resources => "resources",
            Attributes => "attributes",
            ResourceQuantities => "resource_quantities",
            Ranges => "ranges",
            Rate => "rate",
            Percent => "percent",
            RoleWeights => "role_weights",
            Hex16 => "hex16",
            Hex16Range => "hex16_range",
            ZkUrl => "zk_url",
            MasterUrl => "master_url",
            ServerSpec => "server_spec",
            GroupSpec => "group_spec",
        };
        f.write_str(word)
    }
}

/// The lifecycle state of a flag, from the `deprecated` column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// In use, nothing to report.
    Current,
    /// An old spelling of the named flag: still accepted, logs a warning.
    AliasOf(&'static str),
    /// No longer accepted since `version`; the program fails to start.
    Removed {
        /// First version without the flag.
        version: Version,
        /// The flag to use instead, when there is one.
        replacement: Option<&'static str>,
    },
    /// Still accepted, but discouraged or ignored.
    Deprecated {
        /// Since when, if known.
        since: Option<Version>,
        /// What to do instead (free text).
        hint: &'static str,
    },
}

/// Values of an otherwise current flag that a release stopped accepting
/// (ZooKeeper `electionAlg`: "values 1 and 2 removed in 3.6.0").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedValues {
    /// The values no longer accepted.
    pub values: Vec<&'static str>,
    /// The first version that rejects them.
    pub version: Version,
}

/// Parses the `deprecated` column into a status and, for the
/// `values … removed in V` form, the removed values.
pub(super) fn parse_status(text: &'static str) -> Result<(Status, Option<RemovedValues>), String> {
    let version = |v: &str| Version::parse(v).map_err(|e| e.to_string());
    if text.is_empty() {
        return Ok((Status::Current, None));
    }
    if let Some(rest) = text.strip_prefix("removed in ") {
        let (ver, replacement) = match rest.split_once("; use ") {
            Some((ver, flag)) if is_flag_name(flag) => (ver, Some(flag)),
            Some(_) => return Err(format!("bad replacement in `{text}`")),
            None => (rest, None),
        };
        let version = version(ver)?;
        return Ok((
            Status::Removed {
                version,
                replacement,
            },
            None,
        ));
    }
    if let Some(rest) = text.strip_prefix("deprecated since ") {
        let (ver, hint) = rest.split_once("; ").unwrap_or((rest, ""));
        let since = Some(version(ver)?);
        return Ok((Status::Deprecated { since, hint }, None));
    }
    if let Some(hint) = text.strip_prefix("deprecated; ") {
        return Ok((Status::Deprecated { since: None, hint }, None));
    }
    if let Some(rest) = text.strip_prefix("values ") {
        let (list, ver) = rest
            .split_once(" removed in ")
            .ok_or_else(|| format!("expected `values … removed in V` in `{text}`"))?;
        let values = list
            .split(", ")
            .flat_map(|part| part.split(" and "))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        let removed = RemovedValues {
            values,
            version: version(ver)?,
        };
        return Ok((Status::Current, Some(removed)));
    }
    if is_flag_name(text) {
        return Ok((Status::AliasOf(text), None));
    }
    Err(format!("unknown `deprecated` form `{text}`"))
}

/// True for text that can be a flag name (`agent_ping_timeout`,
/// `ssl.keyStore.location`), as opposed to free text.
fn is_flag_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

/// A tag at the start of the `summary` column: a build condition (Mesos), a
/// visibility mark (Marathon) or where a setting must be written (ZooKeeper).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tag {
    /// `[linux]`: the flag exists only on Linux builds.
    Linux,
    /// `[not-windows]`: the flag is absent on Windows.
    NotWindows,
    /// `[build:--enable-x]`: the flag exists only when Mesos was configured
    /// with that `./configure` option (holds `--enable-x`).
    Build(&'static str),
    /// `[hidden]`: a Marathon option hidden from `--help`.
    Hidden,
    /// `[cfg]`: parsed directly by ZooKeeper's `QuorumPeerConfig`.
    Cfg,
    /// `[dyn]`: an ensemble line (`server.N`, `group.N`, `weight.N`).
    Dyn,
    /// `[fwd]`: a `zoo.cfg` key copied to the system property `zookeeper.<key>`.
    Fwd,
    /// `[jvm]` / `[jvm:P]`: works only as a JVM system property, named like
    /// the key or `P`.
    Jvm(Option<&'static str>),
    /// `[secret]` / `[secret:K]`: the value is itself a secret (a password, an
    /// API key), so it must not be written in the description; `K` is the
    /// setting that takes a file holding it instead, when there is one.
    Secret(Option<&'static str>),
    /// `[env:NAME]`: the program also reads the value from the environment
    /// variable `NAME` (Marathon's `MESOSPHERE_*` fallbacks, `HttpConf.scala`),
    /// so a secret can reach it from a file without entering a generated one.
    Env(&'static str),
    /// `[reads]`: the value names a file or folder on the host that the
    /// program reads (a configuration input the operator provides, as the
    /// program's documentation describes the flag). A container gets it
    /// mounted read-only at the same path.
    Reads,
}

impl Tag {
    /// Parses the text between the brackets.
    fn parse(text: &'static str) -> Option<Tag> {
        Some(match text {
            "linux" => Tag::Linux,
            "not-windows" => Tag::NotWindows,
            "hidden" => Tag::Hidden,
            "cfg" => Tag::Cfg,
            "dyn" => Tag::Dyn,
            "fwd" => Tag::Fwd,
            "jvm" => Tag::Jvm(None),
            "secret" => Tag::Secret(None),
            "reads" => Tag::Reads,
            _ => {
                if let Some(key) = text.strip_prefix("secret:") {
                    return (!key.is_empty()).then_some(Tag::Secret(Some(key)));
                }
                if let Some(var) = text.strip_prefix("env:") {
                    return (!var.is_empty()).then_some(Tag::Env(var));
                }
                if let Some(opt) = text.strip_prefix("build:") {
                    return opt.starts_with("--enable-").then_some(Tag::Build(opt));
                }
                let prop = text.strip_prefix("jvm:")?;
                return (!prop.is_empty()).then_some(Tag::Jvm(Some(prop)));
            }
        })
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::Linux => f.write_str("[linux]"),
            Tag::NotWindows => f.write_str("[not-windows]"),
            Tag::Build(opt) => write!(f, "[build:{opt}]"),
            Tag::Hidden => f.write_str("[hidden]"),
            Tag::Cfg => f.write_str("[cfg]"),
            Tag::Dyn => f.write_str("[dyn]"),
            Tag::Fwd => f.write_str("[fwd]"),
            Tag::Jvm(None) => f.write_str("[jvm]"),
            Tag::Jvm(Some(p)) => write!(f, "[jvm:{p}]"),
            Tag::Secret(None) => f.write_str("[secret]"),
            Tag::Secret(Some(k)) => write!(f, "[secret:{k}]"),
            Tag::Reads => f.write_str("[reads]"),
            Tag::Env(v) => write!(f, "[env:{v}]"),
        }
    }
}

/// Splits the leading `[tag]`s off a summary.
pub(super) fn parse_tags(summary: &'static str) -> Result<(Vec<Tag>, &'static str), String> {
    let mut tags = Vec::new();
    let mut rest = summary;
    while let Some(after) = rest.strip_prefix('[') {
        let (inner, tail) = after
            .split_once(']')
            .ok_or_else(|| format!("unclosed tag in `{summary}`"))?;
        tags.push(Tag::parse(inner).ok_or_else(|| format!("unknown tag `[{inner}]`"))?);
        rest = tail.trim_start();
    }
    Ok((tags, rest))
}
