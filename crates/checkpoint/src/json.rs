//! JSON text exactly as Spark's json4s/Jackson writes it for log lines.
//!
//! Spark serializes log entries with `org.json4s.jackson.Serialization.write`: no spaces, fields
//! in declaration order, strings escaped by Jackson (`\"`, `\\`, `\b \t \n \f \r`, other control
//! characters as `\u00XX` with upper-case hex, everything else, non-ASCII included, verbatim).

use std::fmt::Write as _;

use serde::de::{Deserializer, MapAccess, Visitor};

/// Appends `s` as a JSON string literal, escaped as Jackson escapes it.
pub(crate) fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `s` as a JSON string literal (see [`push_str`]).
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_str(&mut out, s);
    out
}

/// Deserializes a JSON object of strings into its pairs in file order (a later duplicate key
/// replaces the earlier value in place, as the Scala map would keep only the last value).
pub(crate) fn ordered_string_map<'de, D>(d: D) -> Result<Vec<(String, String)>, D::Error>
where
    D: Deserializer<'de>,
{
    struct Pairs;
    impl<'de> Visitor<'de> for Pairs {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of string values")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out: Vec<(String, String)> = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, String>()? {
                match out.iter_mut().find(|(key, _)| *key == k) {
                    Some(slot) => slot.1 = v,
                    None => out.push((k, v)),
                }
            }
            Ok(out)
        }
    }
    d.deserialize_map(Pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_jackson() {
        assert_eq!(quote("a\"b\\c/d"), r#""a\"b\\c/d""#);
        assert_eq!(quote("\n\t\r\u{8}\u{c}"), r#""\n\t\r\b\f""#);
        assert_eq!(quote("\u{1}\u{1f}\u{7f}é\u{2028}"), "\"\\u0001\\u001F\u{7f}é\u{2028}\"");
    }

    #[test]
    fn ordered_map_keeps_file_order_and_last_duplicate() {
        #[derive(serde::Deserialize)]
        struct W {
            #[serde(deserialize_with = "ordered_string_map")]
            m: Vec<(String, String)>,
        }
        let w: W = serde_json::from_str(r#"{"m":{"z":"1","a":"2","z":"3"}}"#).unwrap();
        assert_eq!(w.m, vec![("z".into(), "3".into()), ("a".into(), "2".into())]);
        assert!(serde_json::from_str::<W>(r#"{"m":{"z":1}}"#).is_err());
    }
}
