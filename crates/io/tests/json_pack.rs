//! The page's packed sample (`web/activity.pack`) against the data it was packed from, and the
//! pack format's refusals.

use std::path::{Path, PathBuf};

use streamlab_io::json_pack::{pack, unpack};
use streamlab_types::rng::Rng;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn activity_files() -> Vec<(String, Vec<u8>)> {
    let dir = root().join("data/activity");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| (n.clone(), std::fs::read(dir.join(&n)).unwrap()))
        .collect()
}

#[test]
fn the_committed_pack_unpacks_to_the_sample_byte_for_byte() {
    let committed = std::fs::read(root().join("web/activity.pack")).unwrap();
    let files = activity_files();
    assert_eq!(files.len(), 8);
    assert_eq!(unpack(&committed).unwrap(), files);
    assert_eq!(
        pack(&files).unwrap(),
        committed,
        "regenerate: cargo run -p streamlab-io --example pack_sample"
    );
    let rows: usize = files
        .iter()
        .map(|(_, b)| b.iter().filter(|&&c| c == b'\n').count())
        .sum();
    assert_eq!(rows, 16_006);
}

#[test]
fn strings_with_commas_escapes_and_mixed_numbers_round_trip() {
    let content = concat!(
        "{\"s\":\"a,b\",\"q\":\"say \\\"hi\\\"\\\\\",\"n\":1.5,\"i\":-3,\"b\":true,\"z\":null}\n",
        "{\"s\":\"\",\"q\":\"\\u00e9\",\"n\":2,\"i\":9223372036854775807,\"b\":false,\"z\":1}"
    );
    let files = vec![
        ("x.json".to_string(), content.as_bytes().to_vec()),
        ("empty.json".to_string(), Vec::new()),
    ];
    let packed = pack(&files).unwrap();
    assert_eq!(unpack(&packed).unwrap(), files);
    let text = String::from_utf8(packed).unwrap();
    assert!(
        text.contains("file x.json 2 0\nkeys s,q,n,i,b,z\n"),
        "{text}"
    );
    assert!(
        text.contains("int\n-3\n"),
        "i64::MAX - (-3) wraps and comes back: {text}"
    );
}

#[test]
fn files_that_are_not_flat_lines_with_one_key_order_are_refused() {
    for content in [
        "{\"a\":1}\n{\"b\":1}\n",
        "{\"a\":1,\"b\":2}\n{\"b\":2,\"a\":1}\n",
        "{\"a\":{\"b\":1}}\n",
        "{\"a\":[1,2]}\n",
        "{ \"a\": 1 }\n",
        "{\"a\":1,}\n",
        "not json\n",
        "\n",
    ] {
        let files = vec![("f.json".to_string(), content.as_bytes().to_vec())];
        assert!(pack(&files).is_err(), "{content:?}");
    }
    assert!(pack(&[("a b.json".to_string(), b"{\"a\":1}".to_vec())]).is_err());
    assert!(pack(&[("a.json".to_string(), vec![0xff])]).is_err());
}

#[test]
fn a_damaged_pack_is_an_error_never_a_panic() {
    let files = vec![(
        "a.json".to_string(),
        b"{\"t\":1,\"s\":\"x\"}\n{\"t\":3,\"s\":\"y\"}\n".to_vec(),
    )];
    let packed = pack(&files).unwrap();
    for cut in 0..packed.len() {
        let _ = unpack(&packed[..cut]);
    }
    let alphabet = b"0123456789\n -,aintextfilekeys";
    let mut rng = Rng::new(7);
    for _ in 0..5_000 {
        let mut damaged = packed.clone();
        for _ in 0..3 {
            let at = rng.below(damaged.len());
            damaged[at] = rng.pick(alphabet);
        }
        if let Ok(unpacked) = unpack(&damaged) {
            assert!(unpacked.iter().all(|(name, _)| !name.is_empty()));
        }
    }
    assert!(unpack(b"streamlab-json-pack 1\nfile a.json 99999999999 1\nkeys t\nint\n1\n").is_err());
    assert!(unpack(b"streamlab-json-pack 2\n").is_err());
    assert!(unpack(b"streamlab-json-pack 1\nfile a.json 1 1\nkeys t\nfloat\n1\n").is_err());
}
