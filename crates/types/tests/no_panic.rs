//! Property tests: no input reaches a panic. Random strings (biased towards the characters each
//! parser cares about) and mutations of valid inputs go through every parser; random bits
//! through every formatter.

use std::sync::Arc;
use streamlab_types::rng::Rng;
use streamlab_types::{ddl, interval, java, show, time};

/// The generators these tests need on top of [`Rng`].
trait Generate {
    fn string(&mut self, alphabet: &[char], max_len: usize) -> String;
    fn mutate(&mut self, seed: &str, alphabet: &[char]) -> String;
}

impl Generate for Rng {
    fn string(&mut self, alphabet: &[char], max_len: usize) -> String {
        let len = self.below(max_len + 1);
        (0..len).map(|_| alphabet[self.below(alphabet.len())]).collect()
    }
    /// A valid seed with random characters replaced, inserted or deleted.
    fn mutate(&mut self, seed: &str, alphabet: &[char]) -> String {
        let mut chars: Vec<char> = seed.chars().collect();
        for _ in 0..=self.below(4) {
            let at = self.below(chars.len() + 1);
            match self.below(3) {
                0 if at < chars.len() => chars[at] = alphabet[self.below(alphabet.len())],
                1 => chars.insert(at, alphabet[self.below(alphabet.len())]),
                _ if at < chars.len() => {
                    chars.remove(at);
                }
                _ => {}
            }
        }
        chars.into_iter().collect()
    }
}

fn alphabet(extra: &str) -> Vec<char> {
    let mut a: Vec<char> = "0123456789 -+:.,;'`\"()<>[]{}#TZtzé日😀\t\n\u{0}\u{7f}".chars().collect();
    a.extend(extra.chars());
    a
}

const N: usize = 20_000;

#[test]
fn timestamp_and_date_parsers_never_panic() {
    let mut r = Rng::new(1);
    let a = alphabet("UTCGMESTutcabcdefghijklmnopqrstuvwxyz/");
    let seeds = ["2015-02-23T13:03:51.914+01:00", "-290308-12-21 19:59:05.224192", "2015-02-23 13:03:51 UTC+1:30", "T12:00"];
    for i in 0..N {
        let s = if i % 2 == 0 { r.string(&a, 40) } else { r.mutate(seeds[i % seeds.len()], &a) };
        let _ = time::parse_timestamp(&s);
        let _ = time::parse_date(&s);
    }
}

#[test]
fn patterns_never_panic() {
    let mut r = Rng::new(2);
    let letters = alphabet("GyuMLdDEeacHhKkmsSXxZzOVvQqFgABnNpYwW'[]");
    let seeds = ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "dd/MM/yyyy hh:mm a", "[yyyy][MM]", "EEEE MMMM d G", "yyyyMMddHHmmssSSS", "O VV z x"];
    let texts = ["2015-02-23T13:03:51.914Z", "23/02/2015 01:03 PM", "20150223130351914", "Monday February 23 AD", "GMT+01:00 UTC UTC +01"];
    let text_alphabet = alphabet("AMPMFebMonGMTUTCADBC");
    for i in 0..N {
        let p = if i % 2 == 0 { r.string(&letters, 12) } else { r.mutate(seeds[i % seeds.len()], &letters) };
        let m = r.next_u64() as i64;
        let _ = time::format_pattern(m, &p);
        let _ = time::validate_pattern(&p, true);
        let s = if i % 3 == 0 { r.string(&text_alphabet, 30) } else { r.mutate(texts[i % texts.len()], &text_alphabet) };
        let _ = time::parse_pattern(&s, &p);
        let _ = time::parse_pattern(&s, seeds[i % seeds.len()]);
    }
}

#[test]
fn ddl_parsers_never_panic() {
    let mut r = Rng::new(3);
    let a = alphabet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_/*`");
    let seeds = [
        "Arrival_Time long, `my col` array<struct<a:int,b:map<string,decimal(10,2)>>> NOT NULL COMMENT 'x'",
        "a interval day to second, b struct<>, c varchar(3)",
        "struct<a:int,b:array<double>>",
    ];
    for i in 0..N {
        let s = if i % 2 == 0 { r.string(&a, 40) } else { r.mutate(seeds[i % seeds.len()], &a) };
        if let Err(e) = ddl::parse_schema(&s) {
            let _ = ddl::with_sql_context(&e, &s);
        }
        if let Ok(t) = ddl::parse_data_type(&s) {
            let _ = (ddl::simple_string(&t), ddl::sql_name(&t), ddl::type_name(&t));
        }
    }
}

#[test]
fn interval_parsers_never_panic() {
    let mut r = Rng::new(4);
    let a = alphabet("intervalyearmonthweekdayhourminutesecondmillimicrosINTERVAL");
    let seeds = ["interval 1 year -13 months 2 weeks .5 seconds", "10 minutes", "7d", "-1.123456789 seconds"];
    for i in 0..N {
        let s = if i % 2 == 0 { r.string(&a, 40) } else { r.mutate(seeds[i % seeds.len()], &a) };
        let _ = interval::parse_interval(&s).map(|i| i.to_string());
        let _ = interval::parse_time_string_ms(&s);
    }
}

#[test]
fn formatters_never_panic() {
    let mut r = Rng::new(5);
    for _ in 0..N {
        let bits = r.next_u64();
        let _ = java::double_to_string(f64::from_bits(bits));
        let _ = java::float_to_string(f32::from_bits(bits as u32));
        let _ = time::format_timestamp(bits as i64);
        let _ = time::format_date(bits as i32);
        let _ = time::format_iso8601_millis(bits as i64);
    }
    for v in [i64::MIN, i64::MAX, 0, -1] {
        let _ = (time::format_timestamp(v), time::format_iso8601_millis(v));
    }
}

#[test]
fn show_never_panics_on_edge_batches() {
    use arrow::array::{Int32Array, RecordBatch, RecordBatchOptions, StringArray};
    use arrow::datatypes::{DataType, Field, Schema};
    let empty = RecordBatch::try_new_with_options(Arc::new(Schema::empty()), vec![], &RecordBatchOptions::new().with_row_count(Some(3)))
        .expect("zero-column batch");
    for vertical in [false, true] {
        for truncate in [0, 1, 3, 20] {
            let _ = show::show_string(&empty, 2, truncate, vertical);
        }
    }
    let schema = Schema::new(vec![Field::new("s", DataType::Utf8, true)]);
    let batch = RecordBatch::try_new(Arc::new(schema), vec![Arc::new(StringArray::from(vec![Some("😀😀"), None]))]).expect("batch");
    for n in [0, 1, 2, 5, usize::MAX] {
        for t in [0, 1, 2, 3, 4] {
            let _ = show::show_string(&batch, n, t, n % 2 == 0);
        }
    }
    let ints = Int32Array::from(vec![1]);
    assert_eq!(show::cell_to_string(&ints, usize::MAX), "NULL");
    assert_eq!(ints.len(), 1);
}
