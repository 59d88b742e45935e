//! The iteration order of Scala 2.12's `mutable.HashMap`, which decides how Spark writes Kafka
//! offsets.
//!
//! Spark's `JsonUtils.partitionOffsets` inserts the topic-partitions in sorted order into a
//! `mutable.HashMap[String, mutable.HashMap[Int, Long]]` and serializes it with json4s, so
//! `offsets/N` holds `{"t":{"2":3,"1":2,"3":4,"0":1}}`, not the sorted `{"0":…,"1":…}`. To
//! write the same bytes, this module replays the hash table: Scala 2.12's `HashTable` with 16
//! buckets to start, a load factor of 0.75, the bucket index
//! `rotateRight(byteswap32(hash), seed) >>> (32 - bits) & (size - 1)` (the seed is the bucket
//! count's bit count when the map was created), new entries pushed at the head of their bucket,
//! a doubling resize that re-inserts from the last bucket down, and iteration from the last
//! non-empty bucket down to bucket 0. The goldens in `tests/golden/offset_order.jsonl` were
//! written by the real `scala.collection.mutable.HashMap` and json4s inside PySpark's JVM
//! (`tests/golden/generate_offset_order.py`).
//!
//! ```
//! use streamlab_kafka::scala_order::{iteration_order, java_string_hash};
//! // Partitions 0..4 come out as Spark writes them.
//! assert_eq!(iteration_order(&[0, 1, 2, 3]), vec![2, 1, 3, 0]);
//! assert_eq!(java_string_hash("ab"), 97 * 31 + 98);
//! ```

/// Java's `String.hashCode` (over UTF-16 code units), which Scala's `##` uses for strings.
pub fn java_string_hash(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(i32::from(unit)))
}

/// `scala.util.hashing.byteswap32`.
fn byteswap32(v: i32) -> i32 {
    let hc = v.wrapping_mul(0x9e37_75cd_u32 as i32);
    hc.swap_bytes().wrapping_mul(0x9e37_75cd_u32 as i32)
}

/// `HashTable.index`: the bucket of hash code `hcode` in a table of `size` buckets.
fn bucket(hcode: i32, seed: u32, size: usize) -> usize {
    let improved = (byteswap32(hcode) as u32).rotate_right(seed % 32);
    let ones = (size - 1) as u32;
    let shift = 32 - ones.count_ones();
    let index = if shift >= 32 { 0 } else { improved >> shift };
    (index & ones) as usize
}

/// The order in which a Scala 2.12 `mutable.HashMap` iterates keys inserted in the order of
/// `hashes` (their `##` values, all distinct keys), as indices into `hashes`.
pub fn iteration_order(hashes: &[i32]) -> Vec<usize> {
    const INITIAL_SIZE: usize = 16;
    let seed = (INITIAL_SIZE as u32 - 1).count_ones();
    let mut table: Vec<Vec<usize>> = vec![Vec::new(); INITIAL_SIZE];
    let mut threshold = INITIAL_SIZE * 3 / 4;
    for (key, &hash) in hashes.iter().enumerate() {
        let size = table.len();
        // Each bucket is kept head first: a new entry goes in front.
        table[bucket(hash, seed, size)].insert(0, key);
        if key + 1 > threshold {
            let new_size = size * 2;
            let mut resized: Vec<Vec<usize>> = vec![Vec::new(); new_size];
            for chain in table.iter().rev() {
                for &entry in chain {
                    resized[bucket(hashes[entry], seed, new_size)].insert(0, entry);
                }
            }
            table = resized;
            threshold = new_size * 3 / 4;
        }
    }
    table.iter().rev().flat_map(|chain| chain.iter().copied()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_partitions_in_sparks_order() {
        let hashes: Vec<i32> = (0..12).collect();
        assert_eq!(iteration_order(&hashes), vec![8, 11, 2, 5, 4, 7, 10, 1, 9, 3, 6, 0]);
    }

    #[test]
    fn topics_in_sparks_order() {
        let names = ["a", "b", "events", "topic1"];
        let hashes: Vec<i32> = names.iter().map(|n| java_string_hash(n)).collect();
        let order: Vec<&str> = iteration_order(&hashes).into_iter().map(|i| names[i]).collect();
        assert_eq!(order, vec!["events", "b", "topic1", "a"]);
    }
}
