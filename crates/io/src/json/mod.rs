//! JSON: the reader, `from_json`, and schema inference, over a Jackson-compatible tokenizer.

pub mod convert;
pub mod flat;
pub mod from_json;
pub mod infer;
pub mod lexer;
pub mod reader;
