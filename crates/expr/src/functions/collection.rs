//! Structs, arrays and maps: `struct`, `named_struct`, `array`, `map`, `x[i]`/`getItem`,
//! `size`, `array_contains`, `element_at`.

use std::sync::Arc;

use arrow::array::{
    new_null_array, Array, ArrayRef, AsArray, BooleanArray, Int32Array, ListArray, MapArray, StructArray, UInt32Array,
    UInt64Array,
};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use arrow::datatypes::{DataType, Field, Fields};
use streamlab_types::{Result, SparkError};

use super::{arg, def, make, Call, FunctionDef};
use crate::cast::to_i64;
use crate::expr::BinaryOp;
use crate::literal::Literal;
use crate::physical::PhysicalExpr;
use crate::resolve::coercion::{cast_implicit, coerce_arg, data_diff_types, implicit_cast_type, wider_common, Expected};
use crate::types::{self, is_integral, is_string, same_type};

pub(crate) const FUNCTIONS: &[FunctionDef] = &[
    def("struct", struct_fn),
    def("named_struct", named_struct),
    def("array", array),
    def("map", map),
    def("size", size),
    def("cardinality", size),
    def("array_contains", array_contains),
    def("element_at", element_at),
];

/// `struct(a, b AS c, …)`: field names from columns and aliases, else `col1`, `col2`…
pub(crate) fn make_struct(names: Vec<String>, args: Vec<PhysicalExpr>) -> Result<PhysicalExpr> {
    let items: Vec<&str> = args.iter().map(|a| a.sql.as_str()).collect();
    let sql = format!("struct({})", items.join(", "));
    build_struct(sql, names, args)
}

fn build_struct(sql: String, names: Vec<String>, args: Vec<PhysicalExpr>) -> Result<PhysicalExpr> {
    let fields: Fields = names
        .iter()
        .zip(args.iter())
        .map(|(n, a)| Field::new(n.clone(), a.data_type.clone(), a.nullable))
        .collect::<Vec<_>>()
        .into();
    let t = DataType::Struct(fields.clone());
    Ok(make(sql, t, false, args, move |a, _, rows| {
        if a.is_empty() {
            return Ok(Arc::new(StructArray::new_empty_fields(rows, None)) as ArrayRef);
        }
        let f: Vec<Field> = fields.iter().zip(a.iter()).map(|(f, c)| f.as_ref().clone().with_nullable(f.is_nullable() || c.null_count() > 0)).collect();
        Ok(Arc::new(StructArray::try_new(f.into(), a.to_vec(), None)?) as ArrayRef)
    }))
}

fn struct_fn(call: Call) -> Result<PhysicalExpr> {
    let names = call.args.iter().enumerate().map(|(i, a)| default_field_name(a, i)).collect();
    make_struct(names, call.args)
}

/// The struct field name Spark gives an argument it cannot see the source of.
fn default_field_name(a: &PhysicalExpr, i: usize) -> String {
    if a.keeps_name_under_cast || a.name != a.sql {
        a.name.clone()
    } else {
        format!("col{}", i + 1)
    }
}

fn named_struct(call: Call) -> Result<PhysicalExpr> {
    let sql = call.sql();
    if !call.args.len().is_multiple_of(2) || call.args.is_empty() {
        return Err(SparkError::analysis(format!(
            "The `named_struct` requires 2n (n > 0) parameters but the actual number is {}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
            call.args.len()
        ))
        .with_class("WRONG_NUM_ARGS.WITHOUT_SUGGESTION"));
    }
    let mut names = Vec::new();
    let mut values = Vec::new();
    let mut it = call.args.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        match k.literal() {
            Some(Literal::String(s)) => names.push(s.clone()),
            _ => {
                return Err(SparkError::analysis(format!(
                    "Cannot resolve \"{}\" due to data type mismatch: Only foldable `STRING` expressions are allowed to appear at odd position, but they are [\"{}\"].",
                    sql, k.sql
                ))
                .with_class("DATATYPE_MISMATCH.CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING"))
            }
        }
        values.push(v);
    }
    build_struct(sql, names, values)
}

fn common(values: Vec<PhysicalExpr>, sql: &str, name: &str) -> Result<(Vec<PhysicalExpr>, DataType)> {
    let types_in: Vec<DataType> = values.iter().map(|v| v.data_type.clone()).collect();
    if types_in.windows(2).all(|w| same_type(&w[0], &w[1])) {
        return Ok((values, types_in.first().cloned().unwrap_or(DataType::Null)));
    }
    match wider_common(&types_in) {
        Some(t) => Ok((values.into_iter().map(|v| cast_implicit(v, &t)).collect(), t)),
        None => {
            let refs: Vec<&PhysicalExpr> = values.iter().collect();
            Err(data_diff_types(sql, name, &refs))
        }
    }
}

/// Interleaves equal-length columns into a list column, one list per row.
fn interleave_lists(cols: &[ArrayRef], rows: usize, element: &DataType) -> Result<ArrayRef> {
    let n = cols.len();
    let field = Arc::new(Field::new("element", element.clone(), true));
    if n == 0 {
        let offsets = OffsetBuffer::new(vec![0i32; rows + 1].into());
        return Ok(Arc::new(ListArray::try_new(field, offsets, new_null_array(element, 0), None)?));
    }
    let refs: Vec<&dyn Array> = cols.iter().map(|c| c.as_ref()).collect();
    // Row r's list is [c0[r], c1[r], ...]: a take over the columns laid end to end (arrow's
    // `interleave` does the same but links ~200 KB of wasm for every type).
    let stacked = arrow::compute::concat(&refs)?;
    let indices: UInt64Array = (0..rows).flat_map(|r| (0..n).map(move |c| (c * rows + r) as u64)).collect();
    let values = arrow::compute::take(&stacked, &indices, None)?;
    let offsets = OffsetBuffer::from_lengths(std::iter::repeat_n(n, rows));
    Ok(Arc::new(ListArray::try_new(field, offsets, values, None)?))
}

fn array(call: Call) -> Result<PhysicalExpr> {
    let sql = call.sql();
    let (values, t) = common(call.args, &sql, "array")?;
    let t = if t == DataType::Null && values.is_empty() { DataType::Null } else { t };
    let out_t = types::array_type(t.clone());
    Ok(make(sql, out_t, false, values, move |a, _, rows| interleave_lists(a, rows, &t)))
}

fn map(call: Call) -> Result<PhysicalExpr> {
    let sql = call.sql();
    if !call.args.len().is_multiple_of(2) {
        return Err(SparkError::analysis(format!(
            "The `map` requires 2n (n > 0) parameters but the actual number is {}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
            call.args.len()
        ))
        .with_class("WRONG_NUM_ARGS.WITHOUT_SUGGESTION"));
    }
    let mut keys = Vec::new();
    let mut vals = Vec::new();
    for (i, a) in call.args.into_iter().enumerate() {
        if i % 2 == 0 {
            keys.push(a);
        } else {
            vals.push(a);
        }
    }
    let (keys, kt) = common(keys, &sql, "map")?;
    let (vals, vt) = common(vals, &sql, "map")?;
    let kt = if kt == DataType::Null { DataType::Utf8 } else { kt };
    let n = keys.len();
    let mut args = keys;
    args.extend(vals);
    let map_t = crate::parser::map_type(kt.clone(), vt.clone());
    Ok(make(sql, map_t, false, args, move |a, _, rows| {
        let (ks, vs) = a.split_at(n.min(a.len()));
        let klist = interleave_lists(ks, rows, &kt)?;
        let vlist = interleave_lists(vs, rows, &vt)?;
        let kl = klist.as_list::<i32>();
        let vl = vlist.as_list::<i32>();
        let entries = StructArray::try_new(
            Fields::from(vec![Field::new("key", kt.clone(), false), Field::new("value", vt.clone(), true)]),
            vec![kl.values().clone(), vl.values().clone()],
            None,
        )?;
        let field = Arc::new(Field::new("entries", entries.data_type().clone(), false));
        Ok(Arc::new(MapArray::try_new(field, kl.offsets().clone(), entries, None, false)?) as ArrayRef)
    }))
}

/// `base[key]`: array element (0-based) or map value; `null` when absent. On a struct with a
/// constant string key it is a field access.
pub(crate) fn get_item(base: PhysicalExpr, key: PhysicalExpr) -> Result<PhysicalExpr> {
    let sql = format!("{}[{}]", base.sql, key.sql);
    match base.data_type.clone() {
        DataType::List(f) => {
            let key = coerce_arg(key, &Expected::Integral, 2, &sql)?;
            let key = cast_implicit(key, &DataType::Int64);
            Ok(make(sql, f.data_type().clone(), true, vec![base, key], |a, _, rows| {
                let l = arg(a, 0)?.as_list::<i32>();
                let k = to_i64(arg(a, 1)?)?;
                take_list(l, rows, |row, len| {
                    if k.is_null(row) {
                        return None;
                    }
                    let i = k.value(row);
                    (i >= 0 && (i as usize) < len).then_some(i as usize)
                })
            }))
        }
        DataType::Map(entries, _) => {
            let kt = match entries.data_type() {
                DataType::Struct(kv) if kv.len() == 2 => kv[0].data_type().clone(),
                _ => return Err(SparkError::runtime("malformed map type")),
            };
            let vt = match entries.data_type() {
                DataType::Struct(kv) => kv[1].data_type().clone(),
                _ => DataType::Null,
            };
            let key = match implicit_cast_type(&key.data_type, &Expected::Type(kt.clone())) {
                Some(t) => cast_implicit(key, &t),
                None => return Err(crate::resolve::coercion::unexpected_input(&sql, 2, &Expected::Type(kt), &key)),
            };
            Ok(make(sql, vt, true, vec![base, key], |a, _, rows| {
                let m = arg(a, 0)?.as_map();
                let k = arg(a, 1)?;
                map_lookup(m, k, rows)
            }))
        }
        DataType::Struct(_) => match key.literal() {
            Some(Literal::String(s)) => {
                let s = s.clone();
                crate::resolve::columns::extract(base, &s)
            }
            _ => Err(SparkError::analysis(format!(
                "Field name should be a non-null string literal, but it's {}.",
                key.sql
            ))
            .with_class("INVALID_EXTRACT_FIELD_TYPE")),
        },
        other => Err(SparkError::analysis(format!(
            "Can't extract a value from \"{}\". Need a complex type [STRUCT, ARRAY, MAP] but got \"{}\".",
            base.sql,
            types::sql_name(&other)
        ))
        .with_class("INVALID_EXTRACT_BASE_FIELD_TYPE")),
    }
}

/// One element per row chosen by `pick(row, list_len)`, null when `None` or the list is null.
fn take_list(l: &ListArray, rows: usize, pick: impl Fn(usize, usize) -> Option<usize>) -> Result<ArrayRef> {
    let offsets = l.value_offsets();
    let idx: UInt32Array = (0..rows)
        .map(|r| {
            if l.is_null(r) {
                return None;
            }
            let start = *offsets.get(r)? as usize;
            let end = *offsets.get(r + 1)? as usize;
            pick(r, end.saturating_sub(start)).map(|i| (start + i) as u32)
        })
        .collect();
    Ok(arrow::compute::take(l.values().as_ref(), &idx, None)?)
}

fn map_lookup(m: &MapArray, key: &ArrayRef, rows: usize) -> Result<ArrayRef> {
    let keys = m.keys();
    let offsets = m.value_offsets();
    let mut idx: Vec<Option<u32>> = Vec::with_capacity(rows);
    for r in 0..rows {
        if m.is_null(r) || key.is_null(r) {
            idx.push(None);
            continue;
        }
        let (start, end) = (offsets[r] as usize, offsets[r + 1] as usize);
        let probe = key.slice(r, 1);
        let mut found = None;
        for j in start..end {
            let eq = crate::ops::compare::compare_arrays(BinaryOp::Eq, &keys.slice(j, 1), &probe)?;
            if eq.is_valid(0) && eq.value(0) {
                found = Some(j as u32);
            }
        }
        idx.push(found);
    }
    let idx = UInt32Array::from(idx);
    Ok(arrow::compute::take(m.values().as_ref(), &idx, None)?)
}

fn size(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let sql = call.sql();
    let x = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
    if !matches!(x.data_type, DataType::List(_) | DataType::Map(..)) {
        return Err(crate::resolve::coercion::unexpected_input(
            &sql,
            1,
            &Expected::AnyOf(vec![Expected::Type(types::array_type(DataType::Null)), Expected::Type(DataType::Null)]),
            &x,
        ));
    }
    Ok(make(sql, DataType::Int32, false, vec![x], |a, _, rows| {
        let x = arg(a, 0)?;
        let (offsets, nulls): (Vec<i32>, Option<&NullBuffer>) = match x.data_type() {
            DataType::Map(..) => (x.as_map().value_offsets().to_vec(), x.nulls()),
            _ => (x.as_list::<i32>().value_offsets().to_vec(), x.nulls()),
        };
        let out: Int32Array = (0..rows)
            .map(|r| {
                if nulls.is_some_and(|n| n.is_null(r)) {
                    Some(-1)
                } else {
                    Some(offsets.get(r + 1).copied().unwrap_or(0) - offsets.get(r).copied().unwrap_or(0))
                }
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn array_contains(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let mut it = call.args.into_iter();
    let (arr, v) = match (it.next(), it.next()) {
        (Some(a), Some(v)) => (a, v),
        _ => return Err(SparkError::runtime("array_contains needs 2 arguments")),
    };
    let et = match &arr.data_type {
        DataType::List(f) => f.data_type().clone(),
        _ => {
            return Err(crate::resolve::coercion::unexpected_input(
                &sql,
                1,
                &Expected::Type(types::array_type(DataType::Null)),
                &arr,
            ))
        }
    };
    let v = cast_implicit(v, &et);
    // element nullability is not tracked, so the array may always hold nulls
    Ok(make(sql, DataType::Boolean, true, vec![arr, v], |a, _, rows| {
        let l = arg(a, 0)?.as_list::<i32>();
        let v = arg(a, 1)?;
        let mut out = Vec::with_capacity(rows);
        for r in 0..rows {
            if l.is_null(r) || v.is_null(r) {
                out.push(None);
                continue;
            }
            let items = l.value(r);
            let probe = arrow::compute::take(v.as_ref(), &UInt32Array::from(vec![r as u32; items.len()]), None)?;
            let eq = crate::ops::compare::compare_arrays(BinaryOp::Eq, &items, &probe)?;
            let any_true = eq.iter().any(|x| x == Some(true));
            let any_null = items.null_count() > 0;
            out.push(if any_true { Some(true) } else if any_null { None } else { Some(false) });
        }
        Ok(Arc::new(BooleanArray::from(out)) as ArrayRef)
    }))
}

fn element_at(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let mut it = call.args.into_iter();
    let (base, key) = match (it.next(), it.next()) {
        (Some(a), Some(k)) => (a, k),
        _ => return Err(SparkError::runtime("element_at needs 2 arguments")),
    };
    match base.data_type.clone() {
        DataType::List(f) => {
            if !(is_integral(&key.data_type) || is_string(&key.data_type) || key.data_type == DataType::Null) {
                return Err(crate::resolve::coercion::unexpected_input(&sql, 2, &Expected::Type(DataType::Int32), &key));
            }
            let key = cast_implicit(key, &DataType::Int64);
            Ok(make(sql, f.data_type().clone(), true, vec![base, key], |a, _, rows| {
                let l = arg(a, 0)?.as_list::<i32>();
                let k = to_i64(arg(a, 1)?)?;
                take_list(l, rows, |row, len| {
                    if k.is_null(row) {
                        return None;
                    }
                    let i = k.value(row);
                    let len = len as i64;
                    if i > 0 && i <= len {
                        Some((i - 1) as usize)
                    } else if i < 0 && -i <= len {
                        Some((len + i) as usize)
                    } else {
                        None
                    }
                })
            }))
        }
        _ => {
            let mut e = get_item(base, key)?;
            e.name = sql.clone();
            e.sql = sql;
            Ok(e)
        }
    }
}
