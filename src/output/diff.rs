//! The unified diff of `mesosc diff`, on the `similar` crate (Myers' diff
//! with a deadline-free, linear-space search), and git's colours for a
//! terminal. Deterministic: the same two texts always give the same diff.

use similar::TextDiff;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// The unified diff of `old` (shown as `old_name`) and `new` (as `new_name`),
/// with three lines of context, in GNU's format (`\ No newline at end of
/// file` after a last line without one); empty when the texts are equal.
pub fn unified(old_name: &str, new_name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(CONTEXT)
        .missing_newline_hint(true)
        .header(old_name, new_name)
        .to_string()
}

/// `diff` coloured as `git diff` colours it on a terminal: file headers
/// bold, hunk headers cyan, removed lines red, added lines green.
pub fn colored(diff: &str) -> String {
    let mut out = String::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive('\n') {
        let (text, end) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line, ""),
        };
        let colour = if text.starts_with("--- ") || text.starts_with("+++ ") {
            Some("1")
        } else if text.starts_with("@@") {
            Some("36")
        } else if text.starts_with('-') {
            Some("31")
        } else if text.starts_with('+') {
            Some("32")
        } else {
            None
        };
        match colour {
            Some(c) => {
                out.push_str(&format!("\x1b[{c}m{text}\x1b[m{end}"));
            }
            None => out.push_str(line),
        }
    }
    out
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
    fn colour_marks_lines_like_git() {
        let diff = unified("a/f", "b/f", "x\n", "y\n");
        let shown = colored(&diff);
        assert!(shown.contains("\x1b[1m--- a/f\x1b[m\n"), "{shown:?}");
        assert!(shown.contains("\x1b[36m@@ -1 +1 @@\x1b[m\n"), "{shown:?}");
        assert!(shown.contains("\x1b[31m-x\x1b[m\n"), "{shown:?}");
        assert!(shown.contains("\x1b[32m+y\x1b[m\n"), "{shown:?}");
        assert_eq!(colored(" same\n"), " same\n");
    }

    #[test]
    fn big_rewrites_stay_correct() {
        let old: String = (0..5000).map(|i| format!("{i}\n")).collect();
        let new: String = (0..5000).map(|i| format!("{}\n", i * 7 % 5003)).collect();
        let diff = unified("a", "b", &old, &new);
        let kept_or_added = diff
            .lines()
            .skip(2)
            .filter(|l| l.starts_with(['+', ' ']))
            .count();
        assert_eq!(kept_or_added, 5000);
    }
}
