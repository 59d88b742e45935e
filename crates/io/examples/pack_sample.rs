//! Writes `web/activity.pack`, the page's copy of the sample, from `data/activity`:
//! `cargo run -p streamlab-io --example pack_sample` (from the repository root).
//! `crates/io/tests/json_pack.rs` fails when the committed pack and the data differ.

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut names: Vec<String> = std::fs::read_dir("data/activity")?
        .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
        .collect::<std::io::Result<_>>()?;
    names.retain(|n| n.ends_with(".json"));
    names.sort();
    let files = names
        .into_iter()
        .map(|n| {
            Ok((
                n.clone(),
                std::fs::read(Path::new("data/activity").join(&n))?,
            ))
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    let packed = streamlab_io::json_pack::pack(&files)?;
    std::fs::write("web/activity.pack", &packed)?;
    println!(
        "web/activity.pack: {} files, {} bytes",
        files.len(),
        packed.len()
    );
    Ok(())
}
