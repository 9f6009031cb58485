//! A small line diff: Myers' O(ND) algorithm and unified-diff hunks, for
//! `mesosc diff`. Deterministic: the same two texts always give the same
//! diff.

use std::fmt::Write as _;

/// Beyond this many differing lines the diff stops searching for a shortest
/// script and shows the differing middle (between the common first and last
/// lines) as removed and added whole: still a correct diff, and memory stays
/// bounded (the search keeps O(D²) integers, here at most 4 million).
const MAX_EDIT_DISTANCE: usize = 2000;

/// Lines of context around each change.
const CONTEXT: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edit {
    /// Line `a` of the old text equals line `b` of the new.
    Keep(usize, usize),
    /// Line `a` of the old text is removed.
    Delete(usize),
    /// Line `b` of the new text is added.
    Insert(usize),
}

/// The unified diff of `old` (shown as `old_name`) and `new` (as `new_name`),
/// with three lines of context; empty when the texts are equal.
pub fn unified(old_name: &str, new_name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let edits = script(&a, &b);
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    let at = positions(&edits);
    for (start, end) in hunks(&edits) {
        write_hunk(&mut out, &edits[start..end], at[start], &a, &b);
    }
    out
}

/// The edit script from `a` to `b`: common prefix and suffix, and Myers'
/// shortest script for the middle.
fn script(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut edits: Vec<Edit> = (0..prefix).map(|i| Edit::Keep(i, i)).collect();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    for e in myers(am, bm) {
        edits.push(match e {
            Edit::Keep(i, j) => Edit::Keep(i + prefix, j + prefix),
            Edit::Delete(i) => Edit::Delete(i + prefix),
            Edit::Insert(j) => Edit::Insert(j + prefix),
        });
    }
    let (a0, b0) = (a.len() - suffix, b.len() - suffix);
    edits.extend((0..suffix).map(|i| Edit::Keep(a0 + i, b0 + i)));
    edits
}

/// Myers' greedy forward search, keeping each round's frontier to walk back.
fn myers(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(MAX_EDIT_DISTANCE) as isize;
    // frontiers[d][k + d] = furthest x on diagonal k after d edits.
    let mut frontiers: Vec<Vec<isize>> = Vec::new();
    let mut prev: Vec<isize> = vec![0];
    for d in 0..=max {
        let mut cur = vec![0isize; 2 * d as usize + 1];
        for k in (-d..=d).step_by(2) {
            let at = |v: &Vec<isize>, k: isize| v[(k + d - 1) as usize];
            let mut x = if d == 0 {
                0
            } else if k == -d || (k != d && at(&prev, k - 1) < at(&prev, k + 1)) {
                at(&prev, k + 1)
            } else {
                at(&prev, k - 1) + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            cur[(k + d) as usize] = x;
            if x >= n && y >= m {
                frontiers.push(cur);
                return backtrack(&frontiers, n, m);
            }
        }
        frontiers.push(cur.clone());
        prev = cur;
    }
    // Too far apart: delete everything, insert everything.
    let mut edits: Vec<Edit> = (0..a.len()).map(Edit::Delete).collect();
    edits.extend((0..b.len()).map(Edit::Insert));
    edits
}

/// Walks the frontiers back from (n, m) to (0, 0).
fn backtrack(frontiers: &[Vec<isize>], n: isize, m: isize) -> Vec<Edit> {
    let mut edits = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..frontiers.len() as isize).rev() {
        let prev = &frontiers[d as usize - 1];
        let at = |k: isize| prev[(k + d - 1) as usize];
        let k = x - y;
        let down = k == -d || (k != d && at(k - 1) < at(k + 1));
        let pk = if down { k + 1 } else { k - 1 };
        let px = at(pk);
        let py = px - pk;
        while x > px + isize::from(!down) && y > py + isize::from(down) {
            x -= 1;
            y -= 1;
            edits.push(Edit::Keep(x as usize, y as usize));
        }
        if down {
            edits.push(Edit::Insert(py as usize));
        } else {
            edits.push(Edit::Delete(px as usize));
        }
        x = px;
        y = py;
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        edits.push(Edit::Keep(x as usize, y as usize));
    }
    edits.reverse();
    edits
}

/// Ranges of `edits` that make one hunk each: every change with up to
/// [`CONTEXT`] kept lines around it, merged when they touch.
fn hunks(edits: &[Edit]) -> Vec<(usize, usize)> {
    let changes: Vec<usize> = edits
        .iter()
        .enumerate()
        .filter(|(_, e)| !matches!(e, Edit::Keep(..)))
        .map(|(i, _)| i)
        .collect();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for i in changes {
        let start = i.saturating_sub(CONTEXT);
        let end = (i + 1 + CONTEXT).min(edits.len());
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => out.push((start, end)),
        }
    }
    out
}

/// One hunk: its `@@` header and lines. `(a0, b0)` is how many lines of each
/// text come before it.
fn write_hunk(out: &mut String, edits: &[Edit], (a0, b0): (usize, usize), a: &[&str], b: &[&str]) {
    let a_len = edits
        .iter()
        .filter(|e| !matches!(e, Edit::Insert(_)))
        .count();
    let b_len = edits
        .iter()
        .filter(|e| !matches!(e, Edit::Delete(_)))
        .count();
    // GNU's format: an empty side is numbered by the line before it.
    let first = |before: usize, len: usize| if len == 0 { before } else { before + 1 };
    let _ = writeln!(
        out,
        "@@ -{} +{} @@",
        range(first(a0, a_len), a_len),
        range(first(b0, b_len), b_len)
    );
    for e in edits {
        let (mark, line) = match *e {
            Edit::Keep(i, _) => (' ', a[i]),
            Edit::Delete(i) => ('-', a[i]),
            Edit::Insert(j) => ('+', b[j]),
        };
        out.push(mark);
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
}

/// How many lines of each text come before each edit.
fn positions(edits: &[Edit]) -> Vec<(usize, usize)> {
    let mut at = (0, 0);
    edits
        .iter()
        .map(|e| {
            let here = at;
            match e {
                Edit::Keep(..) => at = (at.0 + 1, at.1 + 1),
                Edit::Delete(_) => at.0 += 1,
                Edit::Insert(_) => at.1 += 1,
            }
            here
        })
        .collect()
}

/// `start,len`, or `start` alone when `len` is 1 (GNU's unified format).
fn range(start: usize, len: usize) -> String {
    if len == 1 {
        start.to_string()
    } else {
        format!("{start},{len}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("a", "b", "x\ny\n", "x\ny\n"), "");
    }

    #[test]
    fn changed_line_has_context_and_header() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n";
        assert_eq!(
            unified("a/f", "b/f", old, new),
            "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new = old.replace("2\n", "two\n").replace("19\n", "nineteen\n");
        let diff = unified("a", "b", &old, &new);
        assert_eq!(diff.matches("@@ -").count(), 2, "{diff}");
    }

    #[test]
    fn new_file_and_removed_file() {
        assert_eq!(
            unified("/dev/null", "b/f", "", "x\ny\n"),
            "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n"
        );
        assert_eq!(
            unified("a/f", "/dev/null", "x\n", ""),
            "--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
        );
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let diff = unified("a", "b", "x\n", "x\ny");
        assert!(
            diff.ends_with("+y\n\\ No newline at end of file\n"),
            "{diff}"
        );
    }

    #[test]
    fn script_is_minimal_and_applies() {
        let a: Vec<&str> = "a b c a b b a".split(' ').collect();
        let b: Vec<&str> = "c b a b a c".split(' ').collect();
        let edits = script(&a, &b);
        let changes = edits
            .iter()
            .filter(|e| !matches!(e, Edit::Keep(..)))
            .count();
        assert_eq!(changes, 5, "Myers' example has distance 5");
        let rebuilt: Vec<&str> = edits
            .iter()
            .filter_map(|e| match *e {
                Edit::Keep(_, j) | Edit::Insert(j) => Some(b[j]),
                Edit::Delete(_) => None,
            })
            .collect();
        assert_eq!(rebuilt, b);
    }
}
