//! Read options, parsed from the user's `.option(k, v)` list as Spark's `JSONOptions`,
//! `CSVOptions` and `TextOptions` do.

use streamlab_types::{Result, SparkError};

use crate::json::lexer::Dialect;

/// What a reader does with a malformed record (`mode` option).
///
/// Why: it decides whether bad input becomes nulls, disappears, or stops the query.
///
/// ```
/// use streamlab_io::ParseMode;
/// assert_eq!(ParseMode::from_name("failFast"), Some(ParseMode::FailFast));
/// assert_eq!(ParseMode::DropMalformed.name(), "DROPMALFORMED");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParseMode {
    /// Keep the row: nulls for what failed, the raw text in the corrupt-record column.
    #[default]
    Permissive,
    /// Drop malformed records.
    DropMalformed,
    /// Fail on the first malformed record.
    FailFast,
}

impl ParseMode {
    /// The mode for a name (case-insensitive).
    pub fn from_name(s: &str) -> Option<ParseMode> {
        match s.to_ascii_uppercase().as_str() {
            "PERMISSIVE" => Some(ParseMode::Permissive),
            "DROPMALFORMED" => Some(ParseMode::DropMalformed),
            "FAILFAST" => Some(ParseMode::FailFast),
            _ => None,
        }
    }

    /// Spark's name (`PERMISSIVE`).
    pub fn name(&self) -> &'static str {
        match self {
            ParseMode::Permissive => "PERMISSIVE",
            ParseMode::DropMalformed => "DROPMALFORMED",
            ParseMode::FailFast => "FAILFAST",
        }
    }
}

/// Options of a read, parsed case-insensitively from the user's option list.
///
/// Why: one value carries every option the JSON, CSV and text readers honour, with Spark's
/// defaults; options that belong to other layers (`maxFilesPerTrigger`, `path`…) are ignored.
///
/// ```
/// use streamlab_io::{ParseMode, ReadOptions};
/// let opts = vec![("MODE".to_string(), "dropMalformed".to_string()), ("header".into(), "true".into())];
/// let (o, warnings) = ReadOptions::parse(&opts).unwrap();
/// assert_eq!(o.mode, ParseMode::DropMalformed);
/// assert!(o.header);
/// assert!(warnings.is_empty());
/// let (o, warnings) = ReadOptions::parse(&[("mode".into(), "bogus".into())]).unwrap();
/// assert_eq!(o.mode, ParseMode::Permissive);
/// assert_eq!(warnings, vec!["bogus is not a valid parse mode. Using PERMISSIVE.".to_string()]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// `mode` (default PERMISSIVE).
    pub mode: ParseMode,
    /// `columnNameOfCorruptRecord` (default `_corrupt_record`).
    pub corrupt_column: String,
    /// `multiLine` (JSON: the whole file is one value; CSV: quoted fields may span lines).
    pub multi_line: bool,
    /// `lineSep`: the record separator instead of `\n`/`\r\n`/`\r`.
    pub line_sep: Option<String>,
    /// `timestampFormat` (default: Spark's lenient timestamp syntax).
    pub timestamp_format: Option<String>,
    /// `timestampNTZFormat`.
    pub timestamp_ntz_format: Option<String>,
    /// `dateFormat` (default: Spark's lenient date syntax).
    pub date_format: Option<String>,
    /// CSV `header` (default false).
    pub header: bool,
    /// CSV `sep`/`delimiter` (default `,`).
    pub sep: String,
    /// CSV `quote` (default `"`; empty string: no quoting).
    pub quote: Option<char>,
    /// CSV `escape` (default `\`).
    pub escape: Option<char>,
    /// CSV `comment` (default none).
    pub comment: Option<char>,
    /// CSV `nullValue` (default empty).
    pub null_value: String,
    /// CSV `emptyValue` (read default empty).
    pub empty_value: String,
    /// CSV `nanValue` (default `NaN`).
    pub nan_value: String,
    /// CSV `positiveInf` (default `Inf`).
    pub positive_inf: String,
    /// CSV `negativeInf` (default `-Inf`).
    pub negative_inf: String,
    /// CSV `ignoreLeadingWhiteSpace` (read default false).
    pub ignore_leading_white_space: bool,
    /// CSV `ignoreTrailingWhiteSpace` (read default false).
    pub ignore_trailing_white_space: bool,
    /// CSV `inferSchema` (default false).
    pub infer_schema: bool,
    /// CSV `enforceSchema` (default true).
    pub enforce_schema: bool,
    /// CSV `preferDate` (default true).
    pub prefer_date: bool,
    /// CSV/JSON `prefersDecimal` (default false).
    pub prefers_decimal: bool,
    /// text `wholetext` (default false).
    pub wholetext: bool,
    /// JSON `primitivesAsString` (inference; default false).
    pub primitives_as_string: bool,
    /// JSON `dropFieldIfAllNull` (inference; default false).
    pub drop_field_if_all_null: bool,
    /// JSON `allowSingleQuotes` (default true).
    pub allow_single_quotes: bool,
    /// JSON `allowNonNumericNumbers` (default true).
    pub allow_non_numeric_numbers: bool,
    /// JSON `allowComments` (default false).
    pub allow_comments: bool,
    /// JSON `allowUnquotedFieldNames` (default false).
    pub allow_unquoted_field_names: bool,
    /// JSON `allowNumericLeadingZeros` (default false).
    pub allow_numeric_leading_zeros: bool,
    /// JSON `allowBackslashEscapingAnyCharacter` (default false).
    pub allow_backslash_escaping_any_character: bool,
    /// JSON `allowUnquotedControlChars` (default false).
    pub allow_unquoted_control_chars: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            mode: ParseMode::Permissive,
            corrupt_column: "_corrupt_record".to_string(),
            multi_line: false,
            line_sep: None,
            timestamp_format: None,
            timestamp_ntz_format: None,
            date_format: None,
            header: false,
            sep: ",".to_string(),
            quote: Some('"'),
            escape: Some('\\'),
            comment: None,
            null_value: String::new(),
            empty_value: String::new(),
            nan_value: "NaN".to_string(),
            positive_inf: "Inf".to_string(),
            negative_inf: "-Inf".to_string(),
            ignore_leading_white_space: false,
            ignore_trailing_white_space: false,
            infer_schema: false,
            enforce_schema: true,
            prefer_date: true,
            prefers_decimal: false,
            wholetext: false,
            primitives_as_string: false,
            drop_field_if_all_null: false,
            allow_single_quotes: true,
            allow_non_numeric_numbers: true,
            allow_comments: false,
            allow_unquoted_field_names: false,
            allow_numeric_leading_zeros: false,
            allow_backslash_escaping_any_character: false,
            allow_unquoted_control_chars: false,
        }
    }
}

fn parse_bool(name: &str, v: &str) -> Result<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(SparkError::illegal_argument(format!("{name} flag can be true or false."))),
    }
}

/// CSV's `getChar`: one character, `\t`-style escapes, or empty for none.
fn parse_char(name: &str, v: &str) -> Result<Option<char>> {
    let mut it = v.chars();
    match (it.next(), it.next()) {
        (None, _) => Ok(None),
        (Some(c), None) => Ok(Some(c)),
        (Some('\\'), Some(c)) if v.chars().count() == 2 => Ok(Some(match c {
            't' => '\t',
            'r' => '\r',
            'n' => '\n',
            'b' => '\u{08}',
            'f' => '\u{0C}',
            '"' => '"',
            '\'' => '\'',
            '\\' => '\\',
            _ => return Err(SparkError::illegal_argument(format!("Unsupported special character for delimiter: \\{c}"))),
        })),
        _ => Err(SparkError::illegal_argument(format!("{name} cannot be more than one character"))),
    }
}

/// CSV's `toDelimiterStr`: the separator with `\t`-style escapes resolved.
fn parse_sep(v: &str) -> Result<String> {
    if v.is_empty() {
        return Err(SparkError::illegal_argument("Delimiter cannot be empty string"));
    }
    if v == "\\" {
        return Err(SparkError::illegal_argument("Single backslash is prohibited. It has special meaning as beginning of an escape sequence. To get the backslash character, pass a string with two backslashes as the delimiter."));
    }
    let mut out = String::new();
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('b') => out.push('\u{08}'),
                Some('f') => out.push('\u{0C}'),
                Some('"') => out.push('"'),
                Some('\'') => out.push('\''),
                Some('\\') => out.push('\\'),
                Some('u') if v == "\\u0000" => {
                    out.push('\0');
                    break;
                }
                Some(other) => {
                    return Err(SparkError::illegal_argument(format!("Unsupported special character for delimiter: \\{other}")))
                }
                None => return Err(SparkError::illegal_argument("Single backslash is prohibited. It has special meaning as beginning of an escape sequence. To get the backslash character, pass a string with two backslashes as the delimiter.")),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

impl ReadOptions {
    /// Parses the option list (keys case-insensitive; the last value of a key wins). Returns
    /// the options and the warnings Spark would log (an unknown `mode`).
    pub fn parse(options: &[(String, String)]) -> Result<(ReadOptions, Vec<String>)> {
        let mut o = ReadOptions::default();
        let mut warnings = Vec::new();
        for (k, v) in options {
            match k.to_ascii_lowercase().as_str() {
                "mode" => match ParseMode::from_name(v) {
                    Some(m) => o.mode = m,
                    None => {
                        o.mode = ParseMode::Permissive;
                        warnings.push(format!("{v} is not a valid parse mode. Using PERMISSIVE."));
                    }
                },
                "columnnameofcorruptrecord" => o.corrupt_column = v.clone(),
                "multiline" => o.multi_line = parse_bool("multiLine", v)?,
                "linesep" => {
                    if v.is_empty() {
                        return Err(SparkError::illegal_argument("requirement failed: 'lineSep' cannot be an empty string."));
                    }
                    o.line_sep = Some(v.clone());
                }
                "timestampformat" => o.timestamp_format = Some(v.clone()),
                "timestampntzformat" => o.timestamp_ntz_format = Some(v.clone()),
                "dateformat" => o.date_format = Some(v.clone()),
                "header" => o.header = parse_bool("header", v)?,
                "sep" | "delimiter" => o.sep = parse_sep(v)?,
                "quote" => o.quote = parse_char("quote", v)?,
                "escape" => o.escape = parse_char("escape", v)?,
                "comment" => o.comment = parse_char("comment", v)?,
                "nullvalue" => o.null_value = v.clone(),
                "emptyvalue" => o.empty_value = v.clone(),
                "nanvalue" => o.nan_value = v.clone(),
                "positiveinf" => o.positive_inf = v.clone(),
                "negativeinf" => o.negative_inf = v.clone(),
                "ignoreleadingwhitespace" => o.ignore_leading_white_space = parse_bool("ignoreLeadingWhiteSpace", v)?,
                "ignoretrailingwhitespace" => o.ignore_trailing_white_space = parse_bool("ignoreTrailingWhiteSpace", v)?,
                "inferschema" => o.infer_schema = parse_bool("inferSchema", v)?,
                "enforceschema" => o.enforce_schema = parse_bool("enforceSchema", v)?,
                "preferdate" => o.prefer_date = parse_bool("preferDate", v)?,
                "prefersdecimal" => o.prefers_decimal = parse_bool("prefersDecimal", v)?,
                "wholetext" => o.wholetext = parse_bool("wholetext", v)?,
                "primitivesasstring" => o.primitives_as_string = parse_bool("primitivesAsString", v)?,
                "dropfieldifallnull" => o.drop_field_if_all_null = parse_bool("dropFieldIfAllNull", v)?,
                "allowsinglequotes" => o.allow_single_quotes = parse_bool("allowSingleQuotes", v)?,
                "allownonnumericnumbers" => o.allow_non_numeric_numbers = parse_bool("allowNonNumericNumbers", v)?,
                "allowcomments" => o.allow_comments = parse_bool("allowComments", v)?,
                "allowunquotedfieldnames" => o.allow_unquoted_field_names = parse_bool("allowUnquotedFieldNames", v)?,
                "allownumericleadingzeros" => o.allow_numeric_leading_zeros = parse_bool("allowNumericLeadingZeros", v)?,
                "allowbackslashescapinganycharacter" => {
                    o.allow_backslash_escaping_any_character = parse_bool("allowBackslashEscapingAnyCharacter", v)?
                }
                "allowunquotedcontrolchars" => o.allow_unquoted_control_chars = parse_bool("allowUnquotedControlChars", v)?,
                _ => {}
            }
        }
        Ok((o, warnings))
    }

    /// The JSON parser features these options select.
    pub fn json_dialect(&self) -> Dialect {
        Dialect {
            single_quotes: self.allow_single_quotes,
            non_numeric: self.allow_non_numeric_numbers,
            leading_zeros: self.allow_numeric_leading_zeros,
            backslash_any: self.allow_backslash_escaping_any_character,
            unquoted_control: self.allow_unquoted_control_chars,
            unquoted_names: self.allow_unquoted_field_names,
            comments: self.allow_comments,
        }
    }

    /// The line separator as bytes, when set.
    pub fn line_sep_bytes(&self) -> Option<&[u8]> {
        self.line_sep.as_deref().map(str::as_bytes)
    }
}
