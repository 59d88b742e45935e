//! The page's URL parameters (`?bench=seed&copies=10`): what `location.search` asks for.
//!
//! Only the hidden entry points read them (the benchmark, the warm-up switch), so a plain
//! `key=value` split is enough: the values are short words and numbers, never encoded text.

/// The value of `key` in `search` (`location.search`, with or without its leading `?`).
///
/// ```
/// use streamlab_web::url_params::query_param;
/// assert_eq!(query_param("?bench=seed&copies=10", "copies").as_deref(), Some("10"));
/// assert_eq!(query_param("bench=seed", "bench").as_deref(), Some("seed"));
/// assert_eq!(query_param("?bench", "bench").as_deref(), Some(""));
/// assert_eq!(query_param("?benchmark=1", "bench"), None);
/// ```
pub fn query_param(search: &str, key: &str) -> Option<String> {
    search.trim_start_matches('?').split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (name == key).then(|| value.to_string())
    })
}

/// The value of `key` in the page's own URL.
pub fn page_param(key: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    query_param(&search, key)
}
