//! Addresses: host names, IP literals, URLs, ZooKeeper URLs, master
//! addresses and ZooKeeper ensemble lines.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::error::{ValueError, fail};
use super::program::Program;

/// True for a DNS name: dot-separated labels of 1–63 letters, digits and
/// `-` (not at either end), at most 253 characters, an optional final dot,
/// and a last label that is not all digits (so `10.0.0.256` is not a name).
pub fn is_hostname(text: &str) -> bool {
    let name = text.strip_suffix('.').unwrap_or(text);
    if name.is_empty() || name.len() > 253 {
        return false;
    }
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let last_numeric = name
        .rsplit('.')
        .next()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()));
    name.split('.').all(label_ok) && !last_numeric
}

/// Checks a `hostname` value: a DNS host name, or an IP literal — Mesos'
/// and Marathon's `--hostname` are advertised as they are, and an address
/// is what a host without resolvable names advertises.
pub(super) fn check_hostname(text: &str) -> Result<(), ValueError> {
    if is_hostname(text) || text.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    let err = ValueError::new(format!("`{text}` is not a valid host name"));
    Err(if text.contains('_') {
        err.with_help("DNS host names cannot contain `_`")
    } else if text.contains("://") || text.contains('/') {
        err.with_help("give the host name alone, without scheme or path")
    } else if text.contains(':') && text.parse::<Ipv6Addr>().is_err() {
        err.with_help("give the host name alone, without a port")
    } else if looks_like_ipv4(text) {
        err.with_help("this looks like an IPv4 address, but it is not a valid one")
    } else {
        err.with_help("use letters, digits, `-` and `.`, e.g. `master-01.example.com`")
    })
}

/// Checks a host: DNS name, IPv4 or IPv6 literal (bare or in brackets).
pub(super) fn check_host(text: &str) -> Result<(), ValueError> {
    let unbracketed = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    if unbracketed.parse::<Ipv6Addr>().is_ok() || text.parse::<Ipv4Addr>().is_ok() {
        return Ok(());
    }
    if looks_like_ipv4(text) {
        return fail(format!("`{text}` is not a valid IPv4 address"));
    }
    check_hostname(text)
}

fn looks_like_ipv4(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.') && text.contains('.')
}

/// Checks an IPv4 literal (Mesos `--ip`: libprocess rejects other families).
pub(super) fn check_ipv4(text: &str) -> Result<(), ValueError> {
    if text.parse::<Ipv4Addr>().is_ok() {
        return Ok(());
    }
    let err = ValueError::new(format!("`{text}` is not an IPv4 address"));
    Err(if text.parse::<Ipv6Addr>().is_ok() {
        err.with_help("Mesos binds IPv4 only here; give IPv6 addresses with `ip6`")
    } else if is_hostname(text) {
        err.with_help("give an address, not a host name (host names go in `hostname`)")
    } else {
        err.with_help("write four numbers 0–255 separated by dots, e.g. `10.0.0.1`")
    })
}

/// Checks an IPv6 literal.
pub(super) fn check_ipv6(text: &str) -> Result<(), ValueError> {
    let bare = text.strip_prefix('[').and_then(|t| t.strip_suffix(']'));
    if text.parse::<Ipv6Addr>().is_ok() {
        return Ok(());
    }
    let err = ValueError::new(format!("`{text}` is not an IPv6 address"));
    Err(match bare {
        Some(b) if b.parse::<Ipv6Addr>().is_ok() => {
            err.with_help(format!("remove the brackets: `{b}`"))
        }
        _ => err,
    })
}

/// Parses a decimal port 0–65535.
pub(super) fn port(text: &str) -> Option<u16> {
    (!text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Splits `host:port`, `[v6]:port`; the port is required.
fn host_port(text: &str) -> Result<(&str, u16), ValueError> {
    let (host, p) = if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']').unwrap_or((rest, ""));
        (host, after.strip_prefix(':').unwrap_or(""))
    } else {
        text.rsplit_once(':').unwrap_or((text, ""))
    };
    if p.is_empty() {
        return Err(ValueError::new(format!("`{text}` has no port"))
            .with_help(format!("write `{text}:PORT`")));
    }
    let p = port(p)
        .ok_or_else(|| ValueError::new(format!("`{p}` in `{text}` is not a port number")))?;
    check_host(host)?;
    Ok((host, p))
}

/// Checks an absolute URL: `scheme://authority[/path…]` with a valid host
/// and optional port (`file:///path` has an empty authority).
pub(super) fn check_url(text: &str) -> Result<(), ValueError> {
    let err = || ValueError::new(format!("`{text}` is not an absolute URL"));
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(err().with_help(format!("add a scheme, e.g. `http://{text}`")));
    };
    if !is_scheme(scheme) {
        return Err(err().with_help("the scheme must be letters, digits, `+`, `-` or `.`"));
    }
    if text.contains(char::is_whitespace) {
        return Err(err().with_help("encode spaces as `%20`"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() {
        return if scheme == "file" {
            Ok(())
        } else {
            Err(err().with_help("the URL has no host"))
        };
    }
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let has_port = if host_port.starts_with('[') {
        host_port.contains("]:")
    } else {
        host_port.contains(':')
    };
    if has_port {
        host_port_checked(host_port)
    } else {
        check_host(host_port)
    }
}

fn host_port_checked(text: &str) -> Result<(), ValueError> {
    host_port(text).map(|_| ())
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Checks a URI: `scheme:rest`, no whitespace.
pub(super) fn check_uri(text: &str) -> Result<(), ValueError> {
    match text.split_once(':') {
        Some((scheme, rest))
            if is_scheme(scheme) && !rest.is_empty() && !text.contains(char::is_whitespace) =>
        {
            if rest.starts_with("//") {
                check_url(text)
            } else {
                Ok(())
            }
        }
        _ => Err(ValueError::new(format!("`{text}` is not a URI")).with_help(
            "write `scheme:…`, e.g. `file:///var/backups/marathon` or `s3://bucket/key`",
        )),
    }
}

/// A parsed ZooKeeper URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZkUrl {
    /// `user:password` before `@`, if any.
    pub credentials: Option<(String, String)>,
    /// The servers as `(host, port)`; `None` when the port was omitted
    /// (allowed by Marathon, which then uses 2181).
    pub servers: Vec<(String, Option<u16>)>,
    /// The znode path, always starting with `/` (Mesos: `/` when omitted).
    pub path: String,
}

/// Parses a ZooKeeper URL with the rules of `program`.
///
/// - Mesos (`include/mesos/zookeeper/url.hpp` and the C client):
///   `zk://[user:pass@]host:port[,host:port…][/path]`; every server needs a
///   port; the path is optional and defaults to `/`.
/// - Marathon (`ZookeeperConf.scala`): the regex
///   `^zk://(user:pass@)?host[:port](,host[:port])*(/node)+$`: the path is
///   mandatory, hosts match `[A-z0-9-.]+` (no IPv6), ports are optional.
///
/// Both reject empty path segments and a trailing `/` (ZooKeeper path rules).
/// `file://` is not handled here: Mesos reads such a value from the file, see
/// [`super::check_value`].
pub fn parse_zk_url(program: Program, text: &str) -> Result<ZkUrl, ValueError> {
    let not_zk = || ValueError::new(format!("`{text}` is not a ZooKeeper URL"));
    let example = "e.g. `zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/mesos`";
    let Some(rest) = text.strip_prefix("zk://") else {
        return Err(not_zk().with_help(format!("start it with `zk://`, {example}")));
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let path = check_zk_path(program, text, path)?;
    let (credentials, servers) = match authority.rsplit_once('@') {
        Some((cred, servers)) => {
            let (user, pass) = cred
                .split_once(':')
                .filter(|(u, p)| !u.is_empty() && !p.is_empty() && !p.contains(':'))
                .ok_or_else(|| not_zk().with_help("credentials are written `user:password@`"))?;
            (Some((user.to_owned(), pass.to_owned())), servers)
        }
        None => (None, authority),
    };
    if servers.is_empty() {
        return Err(not_zk().with_help(format!("list at least one server, {example}")));
    }
    let servers = servers
        .split(',')
        .map(|s| zk_server(program, text, s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ZkUrl {
        credentials,
        servers,
        path,
    })
}

fn check_zk_path(program: Program, url: &str, path: &str) -> Result<String, ValueError> {
    if path.is_empty() || path == "/" {
        if program == Program::Marathon {
            return Err(
                ValueError::new(format!("`{url}` has no znode path")).with_help(format!(
                    "Marathon needs one, e.g. `{}/marathon`",
                    url.trim_end_matches('/')
                )),
            );
        }
        return Ok("/".to_owned());
    }
    if path.ends_with('/') {
        return Err(
            ValueError::new(format!("the znode path of `{url}` ends with `/`"))
                .with_help(format!("write `{}`", path.trim_end_matches('/'))),
        );
    }
    if path.contains("//") {
        return fail(format!("the znode path of `{url}` has an empty segment"));
    }
    Ok(path.to_owned())
}

fn zk_server(
    program: Program,
    url: &str,
    server: &str,
) -> Result<(String, Option<u16>), ValueError> {
    if server.is_empty() {
        return fail(format!("empty server in `{url}`"));
    }
    if program == Program::Marathon {
        if server.starts_with('[') || server.matches(':').count() > 1 {
            return Err(ValueError::new(format!(
                "`{server}` in `{url}` is not a valid ZooKeeper server"
            ))
            .with_help(
                "Marathon does not accept IPv6 addresses in ZooKeeper URLs; use a host name",
            ));
        }
        let (host, p) = match server.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (server, None),
        };
        let host_ok = !host.is_empty()
            && host.bytes().all(|b| {
                (b'A'..=b'z').contains(&b) || b.is_ascii_digit() || b == b'-' || b == b'.'
            });
        if !host_ok {
            return Err(ValueError::new(format!(
                "`{server}` in `{url}` is not a valid ZooKeeper server"
            ))
            .with_help("hosts may contain letters, digits, `-` and `.`"));
        }
        let p = match p {
            Some(p) => Some(port(p).ok_or_else(|| {
                ValueError::new(format!("`{p}` in `{url}` is not a port number"))
            })?),
            None => None,
        };
        return Ok((host.to_owned(), p));
    }
    let (host, p) = host_port(server).map_err(|e| {
        ValueError::new(format!(
            "`{server}` in `{url}` is not a ZooKeeper server: {}",
            e.message
        ))
        .with_help_opt(e.help)
        .with_help_opt(
            server
                .parse::<Ipv4Addr>()
                .is_ok()
                .then(|| format!("write `{server}:2181`")),
        )
    })?;
    Ok((host.to_owned(), Some(p)))
}

/// Checks an agent's or Marathon's `--master`.
///
/// - Agent: `host:port` (optionally `master@host:port`) or a Mesos ZooKeeper
///   URL. (`file://` is handled by the generic Mesos rule.)
/// - Marathon: a ZooKeeper URL (Marathon's rules, plus a port on every
///   server, since libmesos's C ZooKeeper client needs one), or
///   `http(s)://host:port`; a bare `host:port` still works but is deprecated,
///   which the returned warning says.
pub(super) fn check_master_url(
    program: Program,
    text: &str,
) -> Result<Option<ValueError>, ValueError> {
    if text.starts_with("zk://") {
        let url = parse_zk_url(program, text)?;
        if program == Program::Marathon
            && let Some((host, _)) = url.servers.iter().find(|(_, p)| p.is_none())
        {
            return Err(
                ValueError::new(format!("server `{host}` in `{text}` has no port"))
                    .with_help("the Mesos scheduler driver needs `host:port` for every server"),
            );
        }
        return Ok(None);
    }
    if program == Program::Marathon {
        if let Some(rest) = text
            .strip_prefix("http://")
            .or_else(|| text.strip_prefix("https://"))
        {
            return host_port(rest.trim_end_matches('/')).map(|_| None);
        }
        host_port(text).map_err(|e| {
            ValueError::new(format!("`{text}` is not a Mesos master address"))
                .with_help("use `zk://host:2181,…/mesos`, `http://host:5050` or `host:5050`")
                .with_help_opt(e.help.filter(|_| text.contains(':')))
        })?;
        return Ok(Some(
            ValueError::new(format!(
                "a bare `host:port` master (`{text}`) is deprecated in Marathon"
            ))
            .with_help(format!("write `http://{text}`, or a `zk://` URL for HA")),
        ));
    }
    let bare = text.strip_prefix("master@").unwrap_or(text);
    host_port(bare).map(|_| None).map_err(|e| {
        ValueError::new(format!("`{text}` is not a Mesos master address"))
            .with_help("use `host:5050` or `zk://host:2181,…/mesos`")
            .with_help_opt(e.help.filter(|_| !bare.contains(':')))
    })
}

/// A parsed ZooKeeper `server.N` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSpec {
    /// `(host, quorumPort, electionPort)`, one per `|`-separated address
    /// (more than one needs `multiAddress.enabled=true`).
    pub addresses: Vec<(String, u16, u16)>,
    /// `participant` or `observer`, lower-cased, when given.
    pub role: Option<String>,
    /// The client address after `;`: optional host and the port.
    pub client: Option<(Option<String>, u16)>,
}

/// Parses `host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort]`
/// (`QuorumPeer.QuorumServer`): host names or `[IPv6]` literals, ports
/// 0–65535, the quorum and election ports different, one role for all
/// addresses.
pub fn parse_server_spec(text: &str) -> Result<ServerSpec, ValueError> {
    let bad = |why: &str| {
        ValueError::new(format!("`{text}` is not a ZooKeeper server line: {why}"))
            .with_help("write `host:2888:3888[:participant|observer][;2181]`")
    };
    let parts: Vec<&str> = text.split(';').collect();
    let (servers, client) = match parts[..] {
        [servers] => (servers, None),
        [servers, client] => (servers, Some(client)),
        _ => return Err(bad("more than one `;`")),
    };
    let mut addresses = Vec::new();
    let mut role: Option<String> = None;
    for address in servers.split('|') {
        let fields = split_server_config(address);
        let [host, quorum, election, ref more @ ..] = fields[..] else {
            return Err(bad("expected host:port:port"));
        };
        if more.len() > 1 {
            return Err(bad("too many `:`-separated fields"));
        }
        check_host(host).map_err(|e| bad(&e.message))?;
        let q = port(quorum).ok_or_else(|| bad(&format!("`{quorum}` is not a port")))?;
        let e = port(election).ok_or_else(|| bad(&format!("`{election}` is not a port")))?;
        if q == e {
            return Err(ValueError::new(format!(
                "quorum and election ports are both {q} in `{text}`"
            ))
            .with_help("they must differ, e.g. `2888:3888`"));
        }
        if let Some(r) = more.first() {
            let r = r.trim().to_ascii_lowercase();
            if r != "participant" && r != "observer" {
                return Err(bad(&format!(
                    "unknown role `{r}` (participant or observer)"
                )));
            }
            if role.as_ref().is_some_and(|old| *old != r) {
                return Err(bad("all addresses must have the same role"));
            }
            role = Some(r);
        }
        addresses.push((host.to_owned(), q, e));
    }
    let client = match client {
        None => None,
        Some(c) => {
            let fields = split_server_config(c);
            let (host, p) = match fields[..] {
                [p] => (None, p),
                [h, p] => (Some(h), p),
                _ => return Err(bad("the client address must be `[host:]port`")),
            };
            if let Some(h) = host {
                check_host(h).map_err(|e| bad(&e.message))?;
            }
            let p = port(p).ok_or_else(|| bad(&format!("`{p}` is not a client port")))?;
            Some((host.map(str::to_owned), p))
        }
    };
    Ok(ServerSpec {
        addresses,
        role,
        client,
    })
}

/// `ConfigUtils.splitServerConfig`: split on `:`, keeping a leading
/// `[IPv6]` literal whole.
fn split_server_config(text: &str) -> Vec<&str> {
    if let Some(rest) = text.strip_prefix('[')
        && let Some(end) = rest.find(']')
    {
        let (host, after) = text.split_at(end + 2);
        let mut out = vec![host];
        if let Some(after) = after.strip_prefix(':') {
            out.extend(after.split(':'));
        } else if !after.is_empty() {
            out.push(after);
        }
        return out;
    }
    text.split(':').collect()
}

/// Parses a ZooKeeper `group.N` value: `id:id:id`, positive server ids, no
/// repeats. (That groups are disjoint and cover every voter is a rule about
/// the whole file.)
pub fn parse_group_spec(text: &str) -> Result<Vec<u64>, ValueError> {
    let mut ids: Vec<u64> = Vec::new();
    for part in text.split(':') {
        let id = (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u64>().ok())
            .flatten()
            .ok_or_else(|| {
                ValueError::new(format!("`{part}` in `{text}` is not a server id"))
                    .with_help("write server ids separated by `:`, e.g. `1:2:3`")
            })?;
        if ids.contains(&id) {
            return fail(format!("server {id} appears twice in `{text}`"));
        }
        ids.push(id);
    }
    Ok(ids)
}
