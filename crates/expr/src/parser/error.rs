//! `ParseException` text as Spark prints it: the message, `(line L, pos P)`, and the SQL with a
//! `^^^` marker under the failing position.

use streamlab_types::{ErrorKind, SparkError};

/// A `ParseException` of class `class` at char offset `pos` of `sql`.
pub(crate) fn parse_error(sql: &str, pos: usize, class: &str, message: &str) -> SparkError {
    let mut line = 1usize;
    let mut col = 0usize;
    for (i, c) in sql.chars().enumerate() {
        if i >= pos {
            break;
        }
        if c == '\n' {
            line += 1;
            col = 0;
        } else {
            col += 1;
        }
    }
    let mut text = format!("{}(line {}, pos {})\n\n== SQL ==\n", message, line, col);
    let lines: Vec<&str> = sql.split('\n').collect();
    for (i, l) in lines.iter().enumerate() {
        text.push_str(l);
        text.push('\n');
        if i + 1 == line {
            text.push_str(&"-".repeat(col));
            text.push_str("^^^\n");
        }
    }
    SparkError::new(ErrorKind::Parse, text).with_class(class)
}

/// `[PARSE_SYNTAX_ERROR] Syntax error at or near <near>.` where `near` is `'tok'` or
/// `end of input`.
pub(crate) fn syntax_error(sql: &str, pos: usize, near: &str) -> SparkError {
    parse_error(sql, pos, "PARSE_SYNTAX_ERROR", &format!("Syntax error at or near {}.", near))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_under_position() {
        let e = syntax_error("i +", 3, "end of input");
        assert_eq!(
            e.to_string(),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.(line 1, pos 3)\n\n== SQL ==\ni +\n---^^^\n"
        );
    }
}
