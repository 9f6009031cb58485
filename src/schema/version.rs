//! Release numbers of Mesos, Marathon and ZooKeeper, as the flag tables and
//! the `cluster` block write them.

use std::cmp::Ordering;
use std::fmt;

/// A release number such as `1.11.0`, `1.9.64` or `1.12.0-dev`.
///
/// A pre-release (`-dev`, `-rc1`, ...) sorts before the release with the same
/// number, so `1.12.0-dev < 1.12.0`, and after every earlier release, so
/// `1.11.0 < 1.12.0-dev`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    /// First component.
    pub major: u32,
    /// Second component.
    pub minor: u32,
    /// Third component (`0` when the text had only two).
    pub patch: u32,
    /// Text after the first `-`, e.g. `dev` in `1.12.0-dev`.
    pub pre: Option<String>,
}

/// Why a version string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a version number: {reason}")]
pub struct VersionError {
    /// The text that was given.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Version {
    /// A release version without pre-release part.
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Version {
            major,
            minor,
            patch,
            pre: None,
        }
    }

    /// Parses `MAJOR.MINOR[.PATCH][-PRE]`: `1.11.0`, `1.12.0-dev`, `3.9`.
    ///
    /// A missing patch number counts as `0`. Components are decimal numbers
    /// without sign; the pre-release part is a non-empty run of ASCII letters,
    /// digits, `.` and `-`. A leading `v` (`v1.10.26`, as in Marathon's tags)
    /// is accepted.
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        let fail = |reason| VersionError {
            text: text.to_owned(),
            reason,
        };
        let body = text.strip_prefix('v').unwrap_or(text);
        let (numbers, pre) = match body.split_once('-') {
            Some((numbers, pre)) => (numbers, Some(pre)),
            None => (body, None),
        };
        if let Some(pre) = pre {
            let ok = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
            if pre.is_empty() || !pre.chars().all(ok) {
                return Err(fail("the part after `-` must be letters, digits or dots"));
            }
        }
        let parts: Vec<&str> = numbers.split('.').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(fail("expected MAJOR.MINOR.PATCH, e.g. `1.11.0`"));
        }
        let mut nums = [0u32; 3];
        for (slot, part) in nums.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(fail("each component must be a decimal number"));
            }
            *slot = part.parse().map_err(|_| fail("a component is too large"))?;
        }
        Ok(Version {
            major: nums[0],
            minor: nums[1],
            patch: nums[2],
            pre: pre.map(str::to_owned),
        })
    }

    /// True for a pre-release such as Mesos `1.12.0-dev`, which no release has.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some()
    }
}

impl std::str::FromStr for Version {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Version::parse(s)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (&self.pre, &other.pre) {
                (None, None) => Ordering::Equal,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(a), Some(b)) => a.cmp(b),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if let Some(pre) = &self.pre {
            write!(f, "-{pre}")?;
        }
        Ok(())
    }
}
