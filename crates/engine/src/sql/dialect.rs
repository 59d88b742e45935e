//! The sqlparser dialect for Spark SQL text: sqlparser's own `SparkSqlDialect`, plus what Spark's
//! lexer does that it does not: backslash escapes in string literals, `DESCRIBE TABLE t`, and the
//! typed number suffixes `2Y`, `3S`, `1.5D`, `2F`, `10BD` (sqlparser reads those as a number
//! followed by an alias).

use std::any::TypeId;

use sqlparser::ast::{Expr, Value, ValueWithSpan};
use sqlparser::dialect::{Dialect, SparkSqlDialect};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// Suffixes Spark's lexer reads as part of a number (`1L` sqlparser already reads itself).
const NUMBER_SUFFIXES: [&str; 5] = ["Y", "S", "D", "F", "BD"];

/// Spark SQL as sqlparser should read it for `spark.sql`.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct SparkDialect;

impl Dialect for SparkDialect {
    // Behave as SparkSqlDialect wherever the parser asks for that dialect by type.
    fn dialect(&self) -> TypeId {
        TypeId::of::<SparkSqlDialect>()
    }

    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        SparkSqlDialect.is_delimited_identifier_start(ch)
    }

    fn is_identifier_start(&self, ch: char) -> bool {
        SparkSqlDialect.is_identifier_start(ch)
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        SparkSqlDialect.is_identifier_part(ch)
    }

    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        SparkSqlDialect.identifier_quote_style(identifier)
    }

    fn supports_string_literal_backslash_escape(&self) -> bool {
        true
    }

    fn describe_requires_table_keyword(&self) -> bool {
        true
    }

    fn supports_string_literal_column_alias(&self, explicit: bool) -> bool {
        SparkSqlDialect.supports_string_literal_column_alias(explicit)
    }

    fn supports_string_literal_table_alias(&self, explicit: bool) -> bool {
        SparkSqlDialect.supports_string_literal_table_alias(explicit)
    }

    fn supports_comparison_in_between_low_bound(&self) -> bool {
        SparkSqlDialect.supports_comparison_in_between_low_bound()
    }

    fn supports_filter_during_aggregation(&self) -> bool {
        SparkSqlDialect.supports_filter_during_aggregation()
    }

    fn supports_group_by_expr(&self) -> bool {
        SparkSqlDialect.supports_group_by_expr()
    }

    fn supports_group_by_with_modifier(&self) -> bool {
        SparkSqlDialect.supports_group_by_with_modifier()
    }

    fn supports_lambda_functions(&self) -> bool {
        SparkSqlDialect.supports_lambda_functions()
    }

    fn supports_select_wildcard_except(&self) -> bool {
        SparkSqlDialect.supports_select_wildcard_except()
    }

    fn supports_struct_literal(&self) -> bool {
        SparkSqlDialect.supports_struct_literal()
    }

    fn supports_nested_comments(&self) -> bool {
        SparkSqlDialect.supports_nested_comments()
    }

    fn supports_create_table_using(&self) -> bool {
        SparkSqlDialect.supports_create_table_using()
    }

    fn supports_long_type_as_bigint(&self) -> bool {
        SparkSqlDialect.supports_long_type_as_bigint()
    }

    fn supports_values_as_table_factor(&self) -> bool {
        SparkSqlDialect.supports_values_as_table_factor()
    }

    fn require_interval_qualifier(&self) -> bool {
        SparkSqlDialect.require_interval_qualifier()
    }

    fn supports_bang_not_operator(&self) -> bool {
        SparkSqlDialect.supports_bang_not_operator()
    }

    fn supports_select_item_multi_column_alias(&self) -> bool {
        SparkSqlDialect.supports_select_item_multi_column_alias()
    }

    fn supports_cte_without_as(&self) -> bool {
        SparkSqlDialect.supports_cte_without_as()
    }

    fn supports_map_literal_with_angle_brackets(&self) -> bool {
        SparkSqlDialect.supports_map_literal_with_angle_brackets()
    }

    fn parse_infix(&self, parser: &mut Parser, expr: &Expr, precedence: u8) -> Option<Result<Expr, ParserError>> {
        SparkSqlDialect.parse_infix(parser, expr, precedence)
    }

    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        let [number, suffix] = parser.peek_tokens_with_location::<2>();
        let (Token::Number(digits, false), Token::Word(word)) = (&number.token, &suffix.token) else {
            return None;
        };
        let typed = word.quote_style.is_none()
            && number.span.end == suffix.span.start
            && NUMBER_SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(&word.value));
        if !typed {
            return None;
        }
        parser.advance_token();
        parser.advance_token();
        let value = Value::Number(format!("{digits}{}", word.value), false);
        Some(Ok(Expr::Value(ValueWithSpan { value, span: number.span.union(&suffix.span) })))
    }
}
