//! Splitting a file into records as Hadoop's `LineRecordReader` does.
//!
//! Why: Spark's JSON, CSV and text sources all read lines this way: `\n`, `\r\n` and a lone `\r`
//! end a line, a final line without terminator still counts, and nothing follows the last
//! terminator; a UTF-8 byte-order mark at the start of the file is dropped. With a `lineSep`
//! option only that exact separator splits.

/// Iterator over the lines of `data` (without their terminators).
pub struct Lines<'a, 's> {
    data: &'a [u8],
    pos: usize,
    sep: Option<&'s [u8]>,
}

/// The records of `data`, split on Hadoop's default line ends or on `sep`.
///
/// ```
/// use streamlab_io::lines::split_lines;
/// let v: Vec<&[u8]> = split_lines(b"a\r\nb\rc\n\nd", None).collect();
/// assert_eq!(v, vec![&b"a"[..], b"b", b"c", b"", b"d"]);
/// let v: Vec<&[u8]> = split_lines(b"a||b||", Some(b"||")).collect();
/// assert_eq!(v, vec![&b"a"[..], b"b"]);
/// ```
pub fn split_lines<'a, 's>(data: &'a [u8], sep: Option<&'s [u8]>) -> Lines<'a, 's> {
    let pos = if data.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
    Lines { data, pos, sep: sep.filter(|s| !s.is_empty()) }
}

impl<'a> Iterator for Lines<'a, '_> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.data.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        match self.sep {
            None => match memchr::memchr2(b'\n', b'\r', rest) {
                None => {
                    self.pos = self.data.len();
                    Some(rest)
                }
                Some(i) => {
                    let line = rest.get(..i)?;
                    let crlf = rest.get(i) == Some(&b'\r') && rest.get(i + 1) == Some(&b'\n');
                    self.pos += i + if crlf { 2 } else { 1 };
                    Some(line)
                }
            },
            Some(sep) => match memchr::memmem::find(rest, sep) {
                None => {
                    self.pos = self.data.len();
                    Some(rest)
                }
                Some(i) => {
                    self.pos += i + sep.len();
                    rest.get(..i)
                }
            },
        }
    }
}
