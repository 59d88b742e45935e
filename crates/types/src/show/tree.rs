//! `StructType.treeString` (what `printSchema()` prints).

use crate::ddl::{list_item, map_key_value, type_name};
use crate::show::table::escape_meta;
use arrow::datatypes::{DataType, Field, Schema};

fn nested(dt: &DataType, prefix: &str, out: &mut String) {
    let prefix = format!("{prefix}    |");
    if let Some(item) = list_item(dt) {
        out.push_str(&format!(
            "{prefix}-- element: {} (containsNull = {})\n",
            type_name(item.data_type()),
            item.is_nullable()
        ));
        nested(item.data_type(), &prefix, out);
    } else if let Some((k, v)) = map_key_value(dt) {
        out.push_str(&format!("{prefix}-- key: {}\n", type_name(k.data_type())));
        nested(k.data_type(), &prefix, out);
        out.push_str(&format!(
            "{prefix}-- value: {} (valueContainsNull = {})\n",
            type_name(v.data_type()),
            v.is_nullable()
        ));
        nested(v.data_type(), &prefix, out);
    } else if let DataType::Struct(fields) = dt {
        for f in fields {
            field(f, &prefix, out);
        }
    } else if let DataType::Dictionary(_, v) = dt {
        nested(v, &prefix[..prefix.len() - 5], out);
    }
}

fn field(f: &Field, prefix: &str, out: &mut String) {
    out.push_str(&format!(
        "{prefix}-- {}: {} (nullable = {})\n",
        escape_meta(f.name()),
        type_name(f.data_type()),
        f.is_nullable()
    ));
    nested(f.data_type(), prefix, out);
}

/// See [`crate::show::tree_string`].
pub fn tree_string(schema: &Schema) -> String {
    let mut out = String::from("root\n");
    for f in schema.fields() {
        field(f, " |", &mut out);
    }
    out
}
