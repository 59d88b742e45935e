//! What the native page tests share: the sample exactly as the page gets it.

/// The bundled sample's files, in order: `web/activity.pack` unpacked as the page unpacks it
/// (a test of `streamlab-io` keeps the pack equal, byte for byte, to `data/activity`).
pub fn sample() -> Vec<(String, Vec<u8>)> {
    let pack = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/activity.pack");
    let bytes = std::fs::read(pack).unwrap_or_else(|e| panic!("{pack}: {e}"));
    streamlab_io::json_pack::unpack(&bytes).unwrap_or_else(|e| panic!("{pack}: {}", e.headline()))
}
