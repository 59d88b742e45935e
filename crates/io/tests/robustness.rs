//! No input can panic a reader: mutated and truncated records go through every reader and mode.

mod support;

use arrow::array::StringArray;
use streamlab_io::{infer_schema, json_to_struct, read_file, FileFormat, ParseMode, ReadOptions};
use support::*;

const SCHEMA: &str = "Arrival_Time long, Creation_Time long, Device string, Index long, gt string, x double, t timestamp, d date, m decimal(10,3), arr array<struct<n:long,s:string>>, mp map<string,double>, st struct<a:int,b:binary>, _corrupt_record string";

/// A small deterministic generator (no extra dependency).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_inputs_never_panic() {
    let base = std::fs::read(golden_path("data/activity-bad.json")).unwrap();
    let extra = br#"{"arr":[{"n":1,"s":"x"},{"n":"q"}],"mp":{"k":1.5,"j":"NaN"},"st":{"a":1,"b":"aGk="},"t":"2015-02-23T13:03:51Z","d":"2015-02-23","m":"1,234.5678"}
['a',{"x":[1,2,{"y":"\ud800"}]}] "#;
    let mut seed: Vec<u8> = base.clone();
    seed.extend_from_slice(extra);
    let schema = ddl(SCHEMA);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let alphabet = b"{}[]\",:'\\0123456789eE.-+ntfuNI\n\r\t \xff\xc3";
    for round in 0..150 {
        let mut data = seed.clone();
        for _ in 0..(1 + round % 12) {
            let pos = (rng.next() as usize) % data.len().max(1);
            match rng.next() % 3 {
                0 => data[pos] = alphabet[(rng.next() as usize) % alphabet.len()],
                1 => {
                    data.remove(pos);
                }
                _ => data.insert(pos, alphabet[(rng.next() as usize) % alphabet.len()]),
            }
        }
        if round % 7 == 0 {
            let cut = (rng.next() as usize) % data.len().max(1);
            data.truncate(cut);
        }
        for mode in ["PERMISSIVE", "DROPMALFORMED", "FAILFAST"] {
            for multi in ["false", "true"] {
                let (o, _) = ReadOptions::parse(&[("mode".into(), mode.into()), ("multiLine".into(), multi.into())]).unwrap();
                let _ = read_file(FileFormat::Json, &data, &schema, &o);
                let _ = read_file(FileFormat::Csv, &data, &ddl("a string, b long, c double, d timestamp"), &o);
                let _ = read_file(FileFormat::Text, &data, &FileFormat::Text.fixed_schema().unwrap(), &o);
                let _ = infer_schema(FileFormat::Json, &[&data], &o);
                let _ = infer_schema(FileFormat::Csv, &[&data], &o);
            }
        }
        let text = String::from_utf8_lossy(&data).into_owned();
        let values = StringArray::from(text.lines().map(Some).collect::<Vec<_>>());
        let _ = json_to_struct(&values, schema.fields(), ParseMode::Permissive);
        let _ = json_to_struct(&values, schema.fields(), ParseMode::FailFast);
        let _ = streamlab_io::read_parquet(&data, &schema);
    }
}
