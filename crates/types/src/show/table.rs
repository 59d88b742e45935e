//! `Dataset.showString` layout: widths, truncation, alignment, vertical mode, footer.

/// Java `String.length()`: UTF-16 code units.
fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// `Utils.stringHalfWidth`: UTF-16 length plus one per full-width (East Asian) character.
pub fn half_width(s: &str) -> usize {
    let full = s
        .chars()
        .filter(|c| {
            matches!(*c as u32,
                0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE10..=0xFE19
                | 0xFE30..=0xFE6F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
        })
        .count();
    utf16_len(s) + full
}

/// `SchemaUtils.escapeMetaCharacters`.
pub fn escape_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0c}' => out.push_str("\\f"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0b}' => out.push_str("\\v"),
            '\u{07}' => out.push_str("\\a"),
            other => out.push(other),
        }
    }
    out
}

/// Java `substring(0, n)` by UTF-16 units. A surrogate pair cut in half leaves a lone surrogate in
/// Java, which is printed as `?`; the same `?` is produced here.
fn prefix_utf16(s: &str, n: usize) -> String {
    let mut used = 0;
    for (idx, c) in s.char_indices() {
        let len = c.len_utf16();
        if used + len > n {
            let mut out = s[..idx].to_string();
            if used < n {
                out.push('?');
            }
            return out;
        }
        used += len;
    }
    s.to_string()
}

/// `getRows` truncation of one cell.
pub fn truncate_cell(s: String, truncate: usize) -> String {
    if truncate > 0 && utf16_len(&s) > truncate {
        if truncate < 4 {
            prefix_utf16(&s, truncate)
        } else {
            format!("{}...", prefix_utf16(&s, truncate - 3))
        }
    } else {
        s
    }
}

fn pad(cell: &str, width: usize, left: bool, fill: char) -> String {
    let n = width.saturating_sub(half_width(cell));
    let padding: String = std::iter::repeat_n(fill, n).collect();
    if left {
        format!("{padding}{cell}")
    } else {
        format!("{cell}{padding}")
    }
}

/// Lays out `header` and `rows` (already escaped and truncated) like `showString`.
pub fn layout(header: &[String], rows: &[Vec<String>], num_rows: usize, has_more: bool, truncate: usize, vertical: bool) -> String {
    let mut sb = String::new();
    const MIN: usize = 3;
    if !vertical {
        let mut widths = vec![MIN; header.len()];
        for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(half_width(cell));
                }
            }
        }
        // Scala's `addString(sb, start, sep, end)`: `++` and `||` when there are no columns.
        let sep = format!("+{}+\n", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("+"));
        let line = |row: &[String]| {
            let cells: Vec<String> =
                row.iter().enumerate().map(|(i, cell)| pad(cell, widths.get(i).copied().unwrap_or(MIN), truncate > 0, ' ')).collect();
            format!("|{}|\n", cells.join("|"))
        };
        sb.push_str(&sep);
        sb.push_str(&line(header));
        sb.push_str(&sep);
        for row in rows {
            sb.push_str(&line(row));
        }
        sb.push_str(&sep);
    } else {
        let name_width = header.iter().map(|h| half_width(h)).fold(MIN, usize::max);
        let data_width = rows
            .iter()
            .map(|r| r.iter().map(|c| half_width(c)).max().unwrap_or(0))
            .fold(MIN, usize::max);
        for (i, row) in rows.iter().enumerate() {
            sb.push_str(&pad(&format!("-RECORD {i}"), name_width + data_width + 5, false, '-'));
            sb.push('\n');
            for (j, cell) in row.iter().enumerate() {
                let name = header.get(j).map(String::as_str).unwrap_or("");
                sb.push_str(&format!(" {} | {} \n", pad(name, name_width, false, ' '), pad(cell, data_width, false, ' ')));
            }
        }
    }
    if vertical && rows.is_empty() {
        sb.push_str("(0 rows)\n");
    } else if has_more {
        let noun = if num_rows == 1 { "row" } else { "rows" };
        sb.push_str(&format!("only showing top {num_rows} {noun}\n"));
    }
    sb
}
