//! "Did you mean …?": the nearest known names to a misspelled one.

/// Edit distance (Levenshtein, with adjacent transpositions counted as one
/// edit: `strsim`'s optimal string alignment), case-insensitive.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(&a.to_lowercase(), &b.to_lowercase())
}

/// The candidates close enough to `name` to suggest, best first (at most three).
///
/// A candidate is close when its edit distance is at most a third of the longer
/// name (at least 1), or when one name is the other with `_`/`-` removed
/// (`workdir` → `work_dir`).
pub fn nearest<'a, I>(name: &str, candidates: I) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let squash = |s: &str| s.replace(['_', '-', '.'], "").to_lowercase();
    let squashed = squash(name);
    let length = name.chars().count();
    let mut scored: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter(|c| *c != name)
        .filter_map(|c| {
            if squash(c) == squashed {
                return Some((0, c));
            }
            let other = c.chars().count();
            let limit = (length.max(other) / 3).max(1);
            // The distance is at least the difference in length: most
            // candidates are ruled out without computing it (a block of
            // 40,000 unknown flags asks 180 candidates each).
            if length.abs_diff(other) > limit {
                return None;
            }
            let d = distance(name, c);
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// A help line for the nearest candidates: "did you mean `a`?" or
/// "did you mean `a`, `b` or `c`?"; `None` when nothing is close.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    phrase(&nearest(name, candidates))
}

/// "did you mean `a`?" or "did you mean `a`, `b` or `c`?" for candidates
/// already chosen; `None` when there are none.
pub fn phrase(near: &[&str]) -> Option<String> {
    let quoted: Vec<String> = near.iter().map(|c| format!("`{c}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_missing_underscores() {
        assert_eq!(
            nearest("workdir", ["work_dir", "log_dir", "zk"]),
            vec!["work_dir"]
        );
        assert_eq!(nearest("leadr", ["leader", "follower"]), vec!["leader"]);
        assert_eq!(nearest("zookeper", ["zookeeper"]), vec!["zookeeper"]);
        assert!(nearest("xyz", ["leader", "follower"]).is_empty());
    }

    #[test]
    fn transposition_is_one_edit() {
        assert_eq!(distance("teh", "the"), 1);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn help_lists_candidates() {
        assert_eq!(
            did_you_mean("leadr", ["leader"]).as_deref(),
            Some("did you mean `leader`?")
        );
        assert_eq!(
            did_you_mean("port", ["porta", "ports", "sport"]).as_deref(),
            Some("did you mean `porta`, `ports` or `sport`?")
        );
    }
}
