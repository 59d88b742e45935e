//! `/`-separated path arithmetic shared by every [`crate::Storage`].

/// Removes `.` and empty segments and resolves `..`; keeps a leading `/`.
///
/// ```
/// assert_eq!(streamlab_storage::normalize("/a/./b//c/../d/"), "/a/b/d");
/// assert_eq!(streamlab_storage::normalize("a/b"), "a/b");
/// ```
pub fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    if absolute {
        format!("/{body}")
    } else {
        body
    }
}

/// Joins `child` under `dir` (an absolute `child` wins).
///
/// ```
/// assert_eq!(streamlab_storage::join("/cp", "offsets/0"), "/cp/offsets/0");
/// ```
pub fn join(dir: &str, child: &str) -> String {
    if child.starts_with('/') || dir.is_empty() {
        normalize(child)
    } else {
        normalize(&format!("{dir}/{child}"))
    }
}

/// The parent directory (`/` for top-level entries).
///
/// ```
/// assert_eq!(streamlab_storage::parent("/cp/offsets/0"), "/cp/offsets");
/// assert_eq!(streamlab_storage::parent("/cp"), "/");
/// ```
pub fn parent(path: &str) -> &str {
    match path.trim_end_matches('/').rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => "",
    }
}

/// The last component of `path`.
///
/// ```
/// assert_eq!(streamlab_storage::file_name("/in/part-00000.json"), "part-00000.json");
/// ```
pub fn file_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// The `file://` URI Spark writes into logs for an absolute path.
///
/// ```
/// assert_eq!(streamlab_storage::uri("/in/a.json"), "file:///in/a.json");
/// ```
pub fn uri(absolute: &str) -> String {
    format!("file://{absolute}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_handles_dots_and_root() {
        assert_eq!(normalize("/"), "/");
        assert_eq!(normalize("/.."), "/");
        assert_eq!(normalize("./x/../y"), "y");
    }

    #[test]
    fn parent_of_relative_and_root() {
        assert_eq!(parent("a"), "");
        assert_eq!(parent("a/b"), "a");
        assert_eq!(file_name("/"), "");
    }
}
