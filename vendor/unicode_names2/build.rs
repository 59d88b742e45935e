//! unicode_names2 1.3.0's build script, with one change made for StreamLab: when the target is
//! `wasm32` (the browser page), the name tables are generated from the blocks a Python lesson
//! plausibly names in `"\N{...}"` escapes (Latin, Greek, Cyrillic, punctuation, currency,
//! arrows, mathematical operators, box drawing, geometric shapes, dingbats, fullwidth forms,
//! emoji) instead of all 40,000 names. The full tables are ~440 KB of the page's gzipped
//! download; these are about a sixth of that. CJK unified ideographs and Hangul syllables,
//! whose names are computed, and every name alias stay complete. Natively (the CLI) the tables
//! are complete, as upstream. A name outside the subset fails in the page as an unknown name
//! fails in Python: a `(unicode error)` on the string.
use std::{env, path::PathBuf};
use unicode_names2_generator as generator;

/// [UnicodeData.txt] contains Unicode Character Data
///
/// [UnicodeData.txt]: https://www.unicode.org/Public/16.0.0/ucd/UnicodeData.txt
const UNICODE_DATA: &str = include_str!("data/UnicodeData.txt");
/// Unicode aliases
///
/// [NamesList.txt] contents contains a map of unicode aliases to their corresponding values.
///
/// [NamesList.txt]: https://www.unicode.org/Public/16.0.0/ucd/NameAliases.txt
const NAME_ALIASES: &str = include_str!("data/NameAliases.txt");

/// The code point blocks whose names the browser build keeps.
const BROWSER_BLOCKS: &[(u32, u32)] = &[
    (0x0000, 0x024F), // Basic Latin, Latin-1 Supplement, Latin Extended-A and -B
    (0x0370, 0x04FF), // Greek and Coptic, Cyrillic
    (0x2000, 0x2BFF), // General Punctuation … Miscellaneous Symbols and Arrows
    (0x2E00, 0x2E7F), // Supplemental Punctuation
    (0x3000, 0x303F), // CJK Symbols and Punctuation
    (0xFF00, 0xFFEF), // Halfwidth and Fullwidth Forms
    (0x1F000, 0x1FAFF), // Mahjong Tiles … Symbols and Pictographs Extended-A (emoji)
];

/// The lines of UnicodeData.txt the browser build keeps: those in [`BROWSER_BLOCKS`], and every
/// `<...>` line (controls and the ranges of computed names, which the generator needs whole).
fn browser_subset(data: &str) -> String {
    data.lines()
        .filter(|line| {
            let mut fields = line.split(';');
            let code = fields.next().and_then(|c| u32::from_str_radix(c, 16).ok());
            let name = fields.next().unwrap_or("");
            name.starts_with('<') || code.is_some_and(|c| BROWSER_BLOCKS.iter().any(|&(lo, hi)| (lo..=hi).contains(&c)))
        })
        .flat_map(|line| [line, "\n"])
        .collect()
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=data/");
    // The generator takes `&'static str`; a build script runs once, so leaking is harmless.
    let unicode_data: &'static str = match env::var("CARGO_CFG_TARGET_ARCH").as_deref() {
        Ok("wasm32") => Box::leak(browser_subset(UNICODE_DATA).into_boxed_str()),
        _ => UNICODE_DATA,
    };
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    {
        let mut generated_path = out_dir.clone();
        generated_path.push("generated.rs");
        generator::generate(unicode_data, Some(&generated_path), None);
    }
    {
        let mut generated_phf_path = out_dir.clone();
        generated_phf_path.push("generated_phf.rs");
        generator::generate_phf(unicode_data, Some(&generated_phf_path), None, 3, 2);
    }
    {
        let mut generated_alias_path = out_dir;
        generated_alias_path.push("generated_alias.rs");
        generator::generate_aliases(NAME_ALIASES, &generated_alias_path);
    }
}
