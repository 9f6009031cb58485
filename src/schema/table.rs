//! The flag tables compiled into the binary, and version gating.
//!
//! The four TSV files in `data/` are embedded with `include_str!` and parsed
//! once, on first use. Every row becomes a [`Flag`] whose strings borrow from
//! the embedded text, so a table is `&'static` and lookups allocate nothing.

use std::sync::LazyLock;

use super::program::Program;
use super::types::{FlagType, RemovedValues, Status, Tag, parse_status, parse_tags};
use super::version::Version;

/// One row of a flag table.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// The program the flag belongs to.
    pub program: Program,
    /// The flag name without `--` (ZooKeeper: the `zoo.cfg` key; `server.N`
    /// stands for every `server.<number>`).
    pub name: &'static str,
    /// The value syntax.
    pub ty: FlagType,
    /// The effective default as upstream prints it; empty when unset. May be
    /// a run-time expression such as `<available processors>`.
    pub default: &'static str,
    /// The program refuses to start without it in its default configuration.
    pub required: bool,
    /// First release with this spelling (`1.12.0-dev`: no release has it).
    pub since: Version,
    /// Current, alias, removed or deprecated.
    pub status: Status,
    /// Values of a current flag that a release stopped accepting.
    pub removed_values: Option<RemovedValues>,
    /// Tags from the start of the summary.
    pub tags: Vec<Tag>,
    /// One-line description (our wording), without the tags.
    pub summary: &'static str,
}

impl Flag {
    /// The name to use today: the target of an alias, else the flag's own.
    pub fn canonical_name(&self) -> &'static str {
        match self.status {
            Status::AliasOf(new) => new,
            _ => self.name,
        }
    }

    /// True when the summary says the value is matched case-insensitively.
    pub fn case_insensitive(&self) -> bool {
        self.summary.contains("case-insensitive")
    }

    /// True when the program trims the items of this comma-separated list,
    /// as the summary says ("items trimmed"): Marathon's
    /// `access_control_allow_origin` (`CORSFilter.scala` from v0.15.0,
    /// `MarathonConf.scala` from v1.5.0: `split(",").map(_.trim)`).
    pub fn trims_items(&self) -> bool {
        self.summary.contains("items trimmed")
    }

    /// The environment variable the program also reads this value from
    /// (`[env:NAME]`).
    pub fn env_fallback(&self) -> Option<&'static str> {
        self.tags.iter().find_map(|t| match t {
            Tag::Env(v) => Some(*v),
            _ => None,
        })
    }

    /// The file or folder on the host that `value` of this flag makes the
    /// program read, which a container must see at the same path: a
    /// `[reads]` flag's absolute path, and for Mesos any `file://` value
    /// (stout's `flags/fetch.hpp` reads the file for every flag type but
    /// `Path`, whose `parse` strips the prefix; both read that path).
    pub fn read_path<'v>(&self, value: &'v str) -> Option<&'v str> {
        if self.program.is_mesos()
            && let Some(path) = value.strip_prefix("file://")
        {
            return path.starts_with('/').then_some(path);
        }
        (self.tags.contains(&Tag::Reads) && value.starts_with('/')).then_some(value)
    }

    /// Marathon `[hidden]` options (internal tuning, absent from `--help`).
    pub fn is_hidden(&self) -> bool {
        self.tags.contains(&Tag::Hidden)
    }

    /// `Some` when the value is itself a secret (`[secret]`), holding the
    /// setting that takes a file with it instead, when there is one.
    pub fn secret(&self) -> Option<Option<&'static str>> {
        self.tags.iter().find_map(|t| match t {
            Tag::Secret(instead) => Some(*instead),
            _ => None,
        })
    }

    /// The `./configure` option a Mesos build needs for this flag to exist
    /// (`--enable-ssl`...), if any.
    pub fn build_option(&self) -> Option<&'static str> {
        self.tags.iter().find_map(|t| match t {
            Tag::Build(opt) => Some(*opt),
            _ => None,
        })
    }

    /// The JVM system property that carries a ZooKeeper setting when it is not
    /// (only) a `zoo.cfg` line: `zookeeper.<key>` for `[fwd]`, the key itself
    /// for `[jvm]`, `P` for `[jvm:P]`; `None` for `[cfg]`/`[dyn]` keys and for
    /// other programs.
    pub fn system_property(&self) -> Option<String> {
        self.tags.iter().find_map(|t| match t {
            Tag::Fwd => Some(format!("zookeeper.{}", self.name)),
            Tag::Jvm(None) => Some(self.name.to_owned()),
            Tag::Jvm(Some(p)) => Some((*p).to_owned()),
            _ => None,
        })
    }

    /// True when the ZooKeeper setting works only as a JVM system property, so
    /// a `zoo.cfg` line with this key would be a silent no-op.
    pub fn jvm_only(&self) -> bool {
        self.tags.iter().any(|t| matches!(t, Tag::Jvm(_)))
    }

    /// Whether the flag can be used with `target`, the version of the product
    /// the cluster declares (Mesos for master and agent).
    ///
    /// The order of the checks: a flag newer than `target` is
    /// [`Availability::NotYet`] (a Mesos `1.12.0-dev` flag is newer than every
    /// release); one removed at or before `target` is
    /// [`Availability::Removed`]; an old spelling whose new name exists at
    /// `target` is [`Availability::Alias`] (before that, the old spelling was
    /// the only one and is simply available); a deprecation in force at
    /// `target` is [`Availability::Deprecated`].
    pub fn check_version(&self, target: &Version) -> Availability {
        if self.since > *target {
            return Availability::NotYet {
                since: self.since.clone(),
            };
        }
        match &self.status {
            Status::Current => Availability::Available,
            Status::Removed {
                version,
                replacement,
            } => {
                if version <= target {
                    Availability::Removed {
                        version: version.clone(),
                        replacement: *replacement,
                    }
                } else {
                    Availability::Available
                }
            }
            Status::AliasOf(new_name) => {
                let new_exists = table(self.program)
                    .get(new_name)
                    .is_some_and(|new| new.since <= *target);
                if new_exists {
                    Availability::Alias { new_name }
                } else {
                    Availability::Available
                }
            }
            Status::Deprecated { since, hint } => {
                if since.as_ref().is_some_and(|s| s > target) {
                    Availability::Available
                } else {
                    Availability::Deprecated {
                        since: since.clone(),
                        hint,
                    }
                }
            }
        }
    }
}

/// The answer of [`Flag::check_version`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    /// Usable as it is.
    Available,
    /// Not in the target release: it first appeared in `since` (a pre-release
    /// such as `1.12.0-dev` means no release has it yet). An error.
    NotYet {
        /// First version with the flag.
        since: Version,
    },
    /// Removed at or before the target release. An error.
    Removed {
        /// First version without the flag.
        version: Version,
        /// The flag to use instead, when there is one.
        replacement: Option<&'static str>,
    },
    /// An old spelling: still accepted, with a warning. Use `new_name`.
    Alias {
        /// The current spelling.
        new_name: &'static str,
    },
    /// Accepted but discouraged or ignored. A warning.
    Deprecated {
        /// Since when, if known.
        since: Option<Version>,
        /// What to do instead.
        hint: &'static str,
    },
}

impl Availability {
    /// True when the program would refuse to start (`NotYet`, `Removed`).
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            Availability::NotYet { .. } | Availability::Removed { .. }
        )
    }

    /// True for the warning-level answers (`Alias`, `Deprecated`).
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Availability::Alias { .. } | Availability::Deprecated { .. }
        )
    }

    /// A diagnostic message and help for `flag` when the answer is not
    /// `Available`, e.g. ("`authenticate_slaves` is a deprecated name",
    /// "use `authenticate_agents`").
    pub fn describe(&self, flag: &Flag, target: &Version) -> Option<(String, Option<String>)> {
        let (name, program, product) = (flag.name, flag.program, flag.program.product());
        Some(match self {
            Availability::Available => return None,
            Availability::NotYet { since } if since.is_prerelease() => (
                format!("`{name}` is not in any {product} release"),
                Some(format!(
                    "it exists only in unreleased {program} {since}; the cluster targets {target}"
                )),
            ),
            Availability::NotYet { since } => (
                format!("`{name}` needs {program} {since} or newer"),
                Some(format!("the cluster targets {product} {target}")),
            ),
            Availability::Removed {
                version,
                replacement,
            } => (
                format!("`{name}` was removed in {program} {version}"),
                replacement.map(|r| format!("use `{r}` instead")),
            ),
            Availability::Alias { new_name } => (
                format!("`{name}` is a deprecated name of `{new_name}`"),
                Some(format!("use `{new_name}`")),
            ),
            Availability::Deprecated { since, hint } => (
                match since {
                    Some(v) => format!("`{name}` is deprecated since {program} {v}"),
                    None => format!("`{name}` is deprecated"),
                },
                (!hint.is_empty()).then(|| (*hint).to_owned()),
            ),
        })
    }
}

/// Every flag of one program, sorted by name in byte order.
#[derive(Debug)]
pub struct FlagTable {
    program: Program,
    flags: Vec<Flag>,
}

/// A row of a bundled TSV that does not follow the format of `data/README.md`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{program} table, line {line}: {message}")]
pub struct TableError {
    /// The table's program.
    pub program: Program,
    /// 1-based line number in the TSV.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

const HEADER: &str = "name\ttype\tdefault\trequired\tsince\tdeprecated\tsummary";

impl FlagTable {
    /// Parses a TSV in the format of `data/README.md`: the header line, then
    /// one flag per line, sorted by name in byte order.
    pub fn parse(program: Program, text: &'static str) -> Result<FlagTable, TableError> {
        let mut lines = text.lines().enumerate();
        let fail = |line: usize, message: String| TableError {
            program,
            line: line + 1,
            message,
        };
        match lines.next() {
            Some((_, HEADER)) => {}
            _ => return Err(fail(0, "missing or unexpected header".into())),
        }
        let mut flags: Vec<Flag> = Vec::new();
        for (n, line) in lines.filter(|(_, l)| !l.is_empty()) {
            let flag = parse_row(program, line).map_err(|m| fail(n, m))?;
            if flags.last().is_some_and(|prev| prev.name >= flag.name) {
                return Err(fail(
                    n,
                    format!("`{}` is out of order or repeated", flag.name),
                ));
            }
            flags.push(flag);
        }
        Ok(FlagTable { program, flags })
    }

    /// The program this table describes.
    pub fn program(&self) -> Program {
        self.program
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.flags.len()
    }

    /// True for a table without rows (never the case for a bundled one).
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }

    /// The flag called `name`, exactly as spelled (names are case-sensitive).
    ///
    /// ZooKeeper's numbered keys resolve to their pattern row: `server.3` →
    /// `server.N`, likewise `group.N`, `weight.N` and `authProvider.N` (whose
    /// suffix may be any word, e.g. `authProvider.sasl`).
    pub fn get(&self, name: &str) -> Option<&Flag> {
        if let Ok(i) = self.flags.binary_search_by(|f| f.name.cmp(name)) {
            return self.flags.get(i);
        }
        let (stem, suffix) = name.rsplit_once('.')?;
        let numbered = !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit());
        let word = !suffix.is_empty()
            && suffix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        let pattern = format!("{stem}.N");
        let flag = self.flags.iter().find(|f| f.name == pattern)?;
        (numbered || (stem == "authProvider" && word)).then_some(flag)
    }

    /// Every row, in name order.
    pub fn iter(&self) -> std::slice::Iter<'_, Flag> {
        self.flags.iter()
    }

    /// Every name, in order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.flags.iter().map(|f| f.name)
    }

    /// The known names closest to a misspelled one, best first (at most
    /// three), for "did you mean …?".
    ///
    /// Leading dashes are ignored, and a name that differs only in case,
    /// `_`, `-` or `.` is the best match: `workdir` and `WORK_DIR` both give
    /// `work_dir`. Removed flags and old aliases are not suggested.
    pub fn nearest(&self, name: &str) -> Vec<&'static str> {
        crate::suggest::nearest(name.trim_start_matches('-'), self.suggestable())
    }

    /// "did you mean `a`?" built from [`FlagTable::nearest`], if anything is
    /// close.
    pub fn did_you_mean(&self, name: &str) -> Option<String> {
        crate::suggest::did_you_mean(name.trim_start_matches('-'), self.suggestable())
    }

    /// Names worth suggesting: neither removed nor an old alias.
    fn suggestable(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.flags
            .iter()
            .filter(|f| !matches!(f.status, Status::Removed { .. } | Status::AliasOf(_)))
            .map(|f| f.name)
    }
}

impl<'a> IntoIterator for &'a FlagTable {
    type Item = &'a Flag;
    type IntoIter = std::slice::Iter<'a, Flag>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Parses one data line.
fn parse_row(program: Program, line: &'static str) -> Result<Flag, String> {
    let cols: Vec<&'static str> = line.split('\t').collect();
    let [name, ty, default, required, since, deprecated, summary] = cols[..] else {
        return Err(format!(
            "expected 7 tab-separated columns, found {}",
            cols.len()
        ));
    };
    if name.is_empty() {
        return Err("empty name".into());
    }
    let ty = FlagType::parse(ty).ok_or_else(|| format!("unknown type `{ty}`"))?;
    let required = match required {
        "yes" => true,
        "no" => false,
        other => return Err(format!("`required` must be yes or no, not `{other}`")),
    };
    let since = Version::parse(since).map_err(|e| e.to_string())?;
    let (status, removed_values) = parse_status(deprecated)?;
    let (tags, summary) = parse_tags(summary)?;
    Ok(Flag {
        program,
        name,
        ty,
        default,
        required,
        since,
        status,
        removed_values,
        tags,
        summary,
    })
}

/// The bundled TSV text of a program's table.
pub fn table_source(program: Program) -> &'static str {
    match program {
        Program::Master => include_str!("../../data/mesos-master-flags.tsv"),
        Program::Agent => include_str!("../../data/mesos-agent-flags.tsv"),
        Program::Marathon => include_str!("../../data/marathon-flags.tsv"),
        Program::ZooKeeper => include_str!("../../data/zookeeper-config.tsv"),
    }
}

fn load(program: Program) -> FlagTable {
    FlagTable::parse(program, table_source(program))
        .expect("bundled flag tables parse (tested by every_row_parses)")
}

static MASTER: LazyLock<FlagTable> = LazyLock::new(|| load(Program::Master));
static AGENT: LazyLock<FlagTable> = LazyLock::new(|| load(Program::Agent));
static MARATHON: LazyLock<FlagTable> = LazyLock::new(|| load(Program::Marathon));
static ZOOKEEPER: LazyLock<FlagTable> = LazyLock::new(|| load(Program::ZooKeeper));

/// The flag table of `program`, parsed on first use.
pub fn table(program: Program) -> &'static FlagTable {
    match program {
        Program::Master => &MASTER,
        Program::Agent => &AGENT,
        Program::Marathon => &MARATHON,
        Program::ZooKeeper => &ZOOKEEPER,
    }
}
