//! The golden files' normalization (tests/golden/README.md) and input set-up, shared by the
//! differential tests.

use std::path::PathBuf;

#[allow(unused_imports)]
use streamlab_storage::Storage;

use super::data_dir;

pub const TMP: &str = "/tmp/streamlab-golden";

pub fn golden(path: &str) -> String {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden").join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The golden files' normalization (tests/golden/README.md), applied to StreamLab's output.
pub struct Normalizer {
    query_id: String,
    run_id: String,
    ids: Vec<String>,
}

fn is_uuid(s: &[u8]) -> bool {
    s.len() == 36
        && s.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Replaces the value after each `"key":` (a number, or a quoted string) with `placeholder`.
pub fn replace_value(text: &str, key: &str, placeholder: &str) -> String {
    let needle = format!("\"{key}\":");
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(&needle) {
        let start = at + needle.len();
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = if let Some(quoted) = tail.strip_prefix('"') {
            quoted.find('"').map_or(tail.len(), |i| i + 2)
        } else {
            tail.find([',', '}', ']']).unwrap_or(tail.len())
        };
        if tail.starts_with('"') {
            out.push('"');
            out.push_str(placeholder);
            out.push('"');
        } else {
            out.push_str(placeholder);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

impl Normalizer {
    pub fn new(query_id: &str, run_id: &str, part_ids: Vec<String>) -> Self {
        Normalizer { query_id: query_id.into(), run_id: run_id.into(), ids: part_ids }
    }

    pub fn text(&mut self, text: &str) -> String {
        let mut s = text
            .replace(&format!("{TMP}/cp"), "<CP>")
            .replace(&format!("{TMP}/out"), "<OUT>")
            .replace(&format!("{TMP}/in"), "<IN>")
            .replace(TMP, "<TMP>")
            .replace(&self.query_id, "<QUERY_ID>")
            .replace(&self.run_id, "<RUN_ID>");
        let mut out = String::new();
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if i + 36 <= bytes.len() && is_uuid(&bytes[i..i + 36]) {
                let id = &s[i..i + 36];
                let n = match self.ids.iter().position(|x| x == id) {
                    Some(n) => n,
                    None => {
                        self.ids.push(id.to_string());
                        self.ids.len() - 1
                    }
                };
                out.push_str(&format!("<ID{}>", n + 1));
                i += 36;
            } else {
                let c = s[i..].chars().next().unwrap();
                out.push(c);
                i += c.len_utf8();
            }
        }
        s = out;
        if let Some(at) = s.find("ConsoleTable$@") {
            let end = s[at + 14..].find('"').map_or(s.len(), |e| at + 14 + e);
            s = format!("{}ConsoleTable$@<HASH>{}", &s[..at], &s[end..]);
        }
        s
    }

    pub fn log_file(&mut self, text: &str) -> String {
        let s = self.text(text);
        let s = replace_value(&s, "batchTimestampMs", "<TS>");
        let s = replace_value(&s, "modificationTime", "<TS>");
        replace_value(&s, "size", "<SIZE>")
    }

    pub fn progress(&mut self, json: &str) -> String {
        let s = self.text(json);
        let s = replace_value(&s, "timestamp", "<TS>");
        let s = replace_value(&s, "inputRowsPerSecond", "<RATE>");
        let mut s = replace_value(&s, "processedRowsPerSecond", "<RATE>");
        if let Some(at) = s.find("\"durationMs\":{") {
            let start = at + "\"durationMs\":{".len();
            let end = start + s[start..].find('}').unwrap();
            let durations: Vec<String> = s[start..end]
                .split(',')
                .map(|kv| format!("{}:<MS>", kv.split_once(':').unwrap().0))
                .collect();
            s = format!("{}{}{}", &s[..start], durations.join(","), &s[end..]);
        }
        s
    }
}

pub fn copy_input(e: &super::Env, folder: &str) {
    let dir = data_dir().join(folder);
    let mut names: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|f| f.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    for (i, name) in names.iter().enumerate() {
        let path = format!("{TMP}/in/{name}");
        e.fs.write(&path, &std::fs::read(dir.join(name)).unwrap()).unwrap();
        e.fs.set_modification_time(&path, 1_700_000_000_000 + 1000 * i as i64).unwrap();
    }
}

