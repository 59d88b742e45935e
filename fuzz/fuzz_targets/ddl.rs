//! DDL schema strings (`readStream.schema("...")`, `from_json(..., "...")`, `CAST(x AS ...)`)
//! and SQL expression text: any input gives a schema, an expression or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = streamlab_types::ddl::parse_schema(text);
        let _ = streamlab_expr::parse_schema(text);
        let _ = streamlab_expr::parse_data_type(text);
        let _ = streamlab_expr::parse_expression(text);
    }
});
