//! Hadoop glob patterns (`*`, `?`, `[abc]`, `[a-z]`, `[^a]`, `{a,b}`, `\` escapes) for
//! `pathGlobFilter` and glob paths.

/// Whether `name` matches glob `pattern` (whole-string match).
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    expand_braces(&p).iter().any(|alt| match_here(alt, &n))
}

/// Whether `text` has glob metacharacters.
pub fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

fn expand_braces(p: &[char]) -> Vec<Vec<char>> {
    let Some(open) = p.iter().position(|c| *c == '{') else { return vec![p.to_vec()] };
    let mut depth = 0;
    let mut close = None;
    for (i, c) in p.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(close) = close else { return vec![p.to_vec()] };
    let mut alternatives = Vec::new();
    let (mut start, mut depth) = (open + 1, 0);
    for i in open + 1..close {
        match p[i] {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                alternatives.push(&p[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    alternatives.push(&p[start..close]);
    let mut out = Vec::new();
    for alt in alternatives {
        let mut v = p[..open].to_vec();
        v.extend_from_slice(alt);
        v.extend_from_slice(&p[close + 1..]);
        out.extend(expand_braces(&v));
    }
    out
}

fn match_here(p: &[char], n: &[char]) -> bool {
    let (mut pi, mut ni) = (0, 0);
    let (mut star_p, mut star_n) = (None, 0);
    while ni < n.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star_p = Some(pi);
                    star_n = ni;
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, next)) = match_class(p, pi, n[ni]) {
                        if matched {
                            pi = next;
                            ni += 1;
                            continue;
                        }
                    } else if n[ni] == '[' {
                        pi += 1;
                        ni += 1;
                        continue;
                    }
                }
                '\\' if pi + 1 < p.len()
                    && p[pi + 1] == n[ni] => {
                        pi += 2;
                        ni += 1;
                        continue;
                    }
                c if c == n[ni] => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star_p {
            Some(sp) => {
                pi = sp + 1;
                star_n += 1;
                ni = star_n;
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Matches `c` against the class starting at `p[start] == '['`; returns (matched, index after `]`).
fn match_class(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(p.get(i), Some('^') | Some('!'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            if p[i] <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.json", "part-00000.json"));
        assert!(!glob_match("*.json", "part-00000.json.crc"));
        assert!(glob_match("part-0000[0-3].json", "part-00002.json"));
        assert!(!glob_match("part-0000[0-3].json", "part-00005.json"));
        assert!(glob_match("part-0000[^0-3].json", "part-00005.json"));
        assert!(glob_match("{a,b}*.csv", "b1.csv"));
        assert!(glob_match("?.txt", "1.txt"));
        assert!(!glob_match("?.txt", "12.txt"));
        assert!(glob_match("a\\*", "a*"));
        assert!(glob_match("[", "["));
        assert!(is_glob("/in/*.json") && !is_glob("/in/a.json"));
    }
}
