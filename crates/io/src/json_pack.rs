//! Column-packed JSON lines: a lossless text encoding of flat JSON-lines files whose lines all
//! have the same keys in the same order, such as the bundled activity sample.
//!
//! Why: the page downloads the sample, and its size counts against the page's budget. Gzip
//! sees each line's keys and its nearly equal timestamps as fresh text; stored column by
//! column, with integer columns as differences from the previous row, the same files gzip to
//! about 40% (312 KB to 126 KB for the sample). Unpacking gives the files back byte
//! for byte, which [`pack`] checks before it returns.
//!
//! The format is UTF-8 text, one item per line:
//!
//! ```text
//! streamlab-json-pack 1
//! file <name> <rows> <ends with a newline: 0|1>
//! keys <key>,<key>,...     (just `keys` for a file with no lines)
//! int                      (then <rows> lines: each value minus the previous one)
//! text                     (then <rows> lines: each value's JSON text as written)
//! ...one int or text column per key, then the next file
//! ```

use streamlab_types::{Result, SparkError};

const MAGIC: &str = "streamlab-json-pack 1";

/// Packs `files` (`(name, content)`); an error when a file is not flat JSON lines with one key
/// order, or a name or key holds a space, comma or newline.
///
/// ```
/// use streamlab_io::json_pack::{pack, unpack};
/// let files = vec![("a.json".to_string(), b"{\"t\":10,\"s\":\"x\"}\n{\"t\":12,\"s\":\"y\"}\n".to_vec())];
/// let packed = pack(&files).unwrap();
/// assert!(String::from_utf8(packed.clone()).unwrap().contains("int\n10\n2\n"));
/// assert_eq!(unpack(&packed).unwrap(), files);
/// ```
pub fn pack(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let mut out = format!("{MAGIC}\n");
    for (name, content) in files {
        pack_file(&mut out, name, content)?;
    }
    let packed = out.into_bytes();
    if unpack(&packed)?.as_slice() != files {
        return Err(unpackable(
            "the packed files do not unpack to the same bytes",
        ));
    }
    Ok(packed)
}

fn pack_file(out: &mut String, name: &str, content: &[u8]) -> Result<()> {
    let text =
        std::str::from_utf8(content).map_err(|_| unpackable(&format!("{name} is not UTF-8")))?;
    if name.is_empty() || name.contains([' ', ',', '\n']) {
        return Err(unpackable(&format!("file name {name:?}")));
    }
    let ends_with_newline = text.ends_with('\n');
    let body = text.strip_suffix('\n').unwrap_or(text);
    let lines: Vec<&str> = if body.is_empty() {
        Vec::new()
    } else {
        body.split('\n').collect()
    };
    let rows: Vec<Vec<(&str, &str)>> = lines.iter().map(|l| fields(l)).collect::<Result<_>>()?;
    let keys: Vec<&str> = rows
        .first()
        .map(|r| r.iter().map(|(k, _)| *k).collect())
        .unwrap_or_default();
    if keys.iter().any(|k| k.contains([',', '\n'])) {
        return Err(unpackable(&format!("{name}: a key holds a comma")));
    }
    if rows
        .iter()
        .any(|r| r.len() != keys.len() || r.iter().zip(&keys).any(|((k, _), key)| k != key))
    {
        return Err(unpackable(&format!("{name}: lines differ in their keys")));
    }
    let key_list = if keys.is_empty() {
        String::new()
    } else {
        format!(" {}", keys.join(","))
    };
    out.push_str(&format!(
        "file {name} {} {}\nkeys{key_list}\n",
        rows.len(),
        u8::from(ends_with_newline)
    ));
    for column in 0..keys.len() {
        let values: Vec<&str> = rows.iter().map(|r| r[column].1).collect();
        let integers: Option<Vec<i64>> = values
            .iter()
            .map(|v| v.parse::<i64>().ok().filter(|n| n.to_string() == *v))
            .collect();
        match integers {
            Some(integers) => {
                out.push_str("int\n");
                let mut previous = 0i64;
                for n in integers {
                    out.push_str(&format!("{}\n", n.wrapping_sub(previous)));
                    previous = n;
                }
            }
            None => {
                out.push_str("text\n");
                for v in values {
                    out.push_str(v);
                    out.push('\n');
                }
            }
        }
    }
    Ok(())
}

/// A flat JSON object's `(key, value text)` pairs; an error for anything [`line`] would not
/// write back the same.
fn fields(object: &str) -> Result<Vec<(&str, &str)>> {
    let bad = || unpackable(&format!("not a flat JSON object: {object}"));
    let mut rest = object
        .strip_prefix('{')
        .and_then(|o| o.strip_suffix('}'))
        .ok_or_else(bad)?;
    let mut fields = Vec::new();
    while !rest.is_empty() {
        let after_quote = rest.strip_prefix('"').ok_or_else(bad)?;
        let (key, after_key) = after_quote.split_once("\":").ok_or_else(bad)?;
        let end = value_end(after_key).ok_or_else(bad)?;
        let (value, tail) = after_key.split_at(end);
        fields.push((key, value));
        rest = match tail {
            "" => "",
            _ => tail.strip_prefix(',').ok_or_else(bad)?,
        };
    }
    let rebuilt = line(
        &fields.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        &fields.iter().map(|(_, v)| *v).collect::<Vec<_>>(),
    );
    if rebuilt != object {
        return Err(bad());
    }
    Ok(fields)
}

/// Where the scalar JSON value at the start of `text` ends (a string with its escapes, or a
/// number, `true`, `false` or `null` up to the next `,`); `None` for objects and arrays.
fn value_end(text: &str) -> Option<usize> {
    if let Some(string) = text.strip_prefix('"') {
        let mut escaped = false;
        for (i, c) in string.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => return Some(i + 2),
                _ => {}
            }
        }
        return None;
    }
    let end = text.find(',').unwrap_or(text.len());
    (end > 0 && !text[..end].contains(['{', '[', '"'])).then_some(end)
}

/// One JSON line from its keys and value texts.
fn line(keys: &[&str], values: &[&str]) -> String {
    let fields: Vec<String> = keys
        .iter()
        .zip(values)
        .map(|(k, v)| format!("\"{k}\":{v}"))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// The files of a pack, in the order they were packed.
///
/// ```
/// use streamlab_io::json_pack::unpack;
/// let packed = b"streamlab-json-pack 1\nfile a.json 2 1\nkeys n\nint\n5\n-1\n";
/// assert_eq!(unpack(packed).unwrap(), vec![("a.json".to_string(), b"{\"n\":5}\n{\"n\":4}\n".to_vec())]);
/// assert!(unpack(b"streamlab-json-pack 1\nfile a.json 2 1\nkeys n\nint\n5\n").is_err());
/// ```
pub fn unpack(packed: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    let text = std::str::from_utf8(packed).map_err(|_| corrupt("not UTF-8"))?;
    let mut lines = text.lines();
    if lines.next() != Some(MAGIC) {
        return Err(corrupt("no header"));
    }
    let mut files = Vec::new();
    while let Some(header) = lines.next() {
        let mut words = header
            .strip_prefix("file ")
            .ok_or_else(|| corrupt(header))?
            .split(' ');
        let (Some(name), Some(rows), Some(newline), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(corrupt(header));
        };
        let rows: usize = rows.parse().map_err(|_| corrupt(header))?;
        let keys_line = lines.next().ok_or_else(|| corrupt("no keys"))?;
        let keys: Vec<&str> = match keys_line
            .strip_prefix("keys")
            .ok_or_else(|| corrupt(keys_line))?
        {
            "" => Vec::new(),
            list => list
                .strip_prefix(' ')
                .ok_or_else(|| corrupt(keys_line))?
                .split(',')
                .collect(),
        };
        let columns = keys
            .iter()
            .map(|_| column(&mut lines, rows))
            .collect::<Result<Vec<_>>>()?;
        let mut content = String::new();
        for row in 0..rows {
            let values: Vec<&str> = columns.iter().map(|c| c[row].as_str()).collect();
            content.push_str(&line(&keys, &values));
            if row + 1 < rows || newline == "1" {
                content.push('\n');
            }
        }
        files.push((name.to_string(), content.into_bytes()));
    }
    Ok(files)
}

/// One column's `rows` values as the JSON text to write.
fn column<'a>(lines: &mut impl Iterator<Item = &'a str>, rows: usize) -> Result<Vec<String>> {
    let kind = lines.next().ok_or_else(|| corrupt("a column is missing"))?;
    // Not `with_capacity(rows)`: a corrupt count must not allocate before the values run out.
    let mut values = Vec::new();
    let mut previous = 0i64;
    for _ in 0..rows {
        let value = lines
            .next()
            .ok_or_else(|| corrupt("a column is cut short"))?;
        values.push(match kind {
            "int" => {
                previous = previous.wrapping_add(value.parse::<i64>().map_err(|_| corrupt(value))?);
                previous.to_string()
            }
            "text" => value.to_string(),
            other => return Err(corrupt(other)),
        });
    }
    Ok(values)
}

fn unpackable(why: &str) -> SparkError {
    SparkError::illegal_argument(format!("cannot pack as JSON columns: {why}"))
}

fn corrupt(at: &str) -> SparkError {
    SparkError::runtime(format!("corrupt JSON pack at: {at}"))
}
