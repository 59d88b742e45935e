//! Dates and timestamps (session time zone UTC): `current_timestamp`, `to_timestamp`,
//! `to_date`, `from_unixtime`, `unix_timestamp`, `timestamp_seconds`, `date_format`, field
//! extraction (`year` … `second`), date arithmetic, `date_trunc`.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, Date32Array, Int32Array, Int64Array, StringArray, TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, Date32Type, Int32Type, TimestampMicrosecondType};
use streamlab_types::time::civil::{civil_from_days, civil_from_micros, day_of_week, days_from_civil, days_in_month};
use streamlab_types::time::{format_pattern, parse_pattern};
use streamlab_types::{Result, SparkError};

use super::{arg, def, make, Call, FunctionDef};
use crate::cast::{cast_array, strings, to_f64, to_i64, MICROS_PER_DAY, MICROS_PER_SECOND};
use crate::literal::Literal;
use crate::physical::PhysicalExpr;
use crate::resolve::coercion::{cast_implicit, coerce_arg, unexpected_input, Expected};
use crate::types::{is_integral, is_numeric, is_string, timestamp_type};

pub(crate) const FUNCTIONS: &[FunctionDef] = &[
    def("current_timestamp", current),
    def("now", current),
    def("current_date", current),
    def("curdate", current),
    def("current_timezone", current),
    def("to_timestamp", to_timestamp),
    def("to_date", to_date),
    def("timestamp", cast_fn),
    def("date", cast_fn),
    def("from_unixtime", from_unixtime),
    def("unix_timestamp", unix_timestamp),
    def("to_unix_timestamp", unix_timestamp),
    def("timestamp_seconds", timestamp_seconds),
    def("timestamp_millis", timestamp_seconds),
    def("timestamp_micros", timestamp_seconds),
    def("unix_seconds", unix_seconds),
    def("unix_millis", unix_seconds),
    def("unix_micros", unix_seconds),
    def("unix_date", unix_seconds),
    def("date_format", date_format),
    def("year", date_field),
    def("month", date_field),
    def("dayofmonth", date_field),
    def("day", date_field),
    def("dayofweek", date_field),
    def("weekday", date_field),
    def("dayofyear", date_field),
    def("weekofyear", date_field),
    def("quarter", date_field),
    def("hour", time_field),
    def("minute", time_field),
    def("second", time_field),
    def("date_add", date_add_fn),
    def("date_sub", date_add_fn),
    def("datediff", datediff),
    def("add_months", add_months),
    def("last_day", last_day),
    def("date_trunc", date_trunc),
    def("trunc", trunc),
    def("make_date", make_date),
];

const DEFAULT_FORMAT: &str = "yyyy-MM-dd HH:mm:ss";

fn ts_values(a: &ArrayRef) -> Result<&TimestampMicrosecondArray> {
    a.as_primitive_opt::<TimestampMicrosecondType>().ok_or_else(|| SparkError::runtime("expected a timestamp column"))
}

fn date_values(a: &ArrayRef) -> Result<&Date32Array> {
    a.as_primitive_opt::<Date32Type>().ok_or_else(|| SparkError::runtime("expected a date column"))
}

fn ts_array(values: impl IntoIterator<Item = Option<i64>>) -> ArrayRef {
    Arc::new(values.into_iter().collect::<TimestampMicrosecondArray>().with_timezone("UTC"))
}

fn current(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[0])?;
    let name = call.name.clone();
    let sql = match name.as_str() {
        "curdate" => "current_date()".to_string(),
        _ => call.sql(),
    };
    Ok(match name.as_str() {
        "current_date" | "curdate" => make(sql, DataType::Date32, false, vec![], |_, ctx, rows| {
            let day = ctx.batch_timestamp_ms.div_euclid(86_400_000) as i32;
            Ok(Arc::new(Date32Array::from(vec![day; rows])) as ArrayRef)
        }),
        "current_timezone" => make(sql, DataType::Utf8, false, vec![], |_, _, rows| {
            Ok(Arc::new(StringArray::from(vec!["UTC"; rows])) as ArrayRef)
        }),
        _ => make(sql, timestamp_type(), false, vec![], |_, ctx, rows| {
            let t = ctx.batch_timestamp_ms.saturating_mul(1000);
            Ok(ts_array(std::iter::repeat_n(Some(t), rows)))
        }),
    })
}

/// `to_timestamp`/`to_date` input types when a format is given.
fn datetime_input() -> Expected {
    Expected::AnyOf(vec![
        Expected::Type(DataType::Utf8),
        Expected::Type(DataType::Date32),
        Expected::Type(timestamp_type()),
    ])
}

/// Parses strings with `fmt` (per row) into micros; dates/timestamps convert directly.
fn parse_with_format(x: &ArrayRef, fmt: &ArrayRef, rows: usize) -> Result<Vec<Option<i64>>> {
    let f = strings(fmt)?;
    match x.data_type() {
        DataType::Utf8 => {
            let s = strings(x)?;
            let mut out = Vec::with_capacity(rows);
            for i in 0..rows {
                if s.is_null(i) || f.is_null(i) {
                    out.push(None);
                } else {
                    out.push(parse_pattern(s.value(i), f.value(i))?);
                }
            }
            Ok(out)
        }
        _ => {
            let t = cast_array(x, &timestamp_type())?;
            Ok(ts_values(&t)?.iter().collect())
        }
    }
}

fn to_timestamp(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1, 2])?;
    let sql = call.sql();
    if call.args.len() == 1 {
        let x = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
        return cast_named(x, &timestamp_type(), sql);
    }
    let args = call.coerce(&[datetime_input(), Expected::Type(DataType::Utf8)], &sql)?;
    Ok(make(sql, timestamp_type(), true, args, |a, _, rows| {
        Ok(ts_array(parse_with_format(arg(a, 0)?, arg(a, 1)?, rows)?))
    }))
}

fn to_date(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1, 2])?;
    let sql = call.sql();
    if call.args.len() == 1 {
        let x = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
        return cast_named(x, &DataType::Date32, sql);
    }
    let args = call.coerce(&[datetime_input(), Expected::Type(DataType::Utf8)], &sql)?;
    Ok(make(sql, DataType::Date32, true, args, |a, _, rows| {
        let micros = parse_with_format(arg(a, 0)?, arg(a, 1)?, rows)?;
        Ok(Arc::new(micros.into_iter().map(|m| m.map(|v| v.div_euclid(MICROS_PER_DAY) as i32)).collect::<Date32Array>()) as ArrayRef)
    }))
}

/// A cast named `sql` (`to_timestamp(x)` is `CAST(x AS TIMESTAMP)` under another name).
fn cast_named(x: PhysicalExpr, to: &DataType, sql: String) -> Result<PhysicalExpr> {
    let mut c = crate::resolve::coercion::cast_user(x, to)?;
    c.name = sql.clone();
    c.sql = sql;
    c.keeps_name_under_cast = false;
    Ok(c)
}

/// `timestamp(x)` / `date(x)`: plain casts, named like `CAST` (a column keeps its name).
fn cast_fn(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let to = if call.name == "date" { DataType::Date32 } else { timestamp_type() };
    let x = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
    crate::resolve::coercion::cast_user(x, &to)
}

fn fmt_arg(call: &mut Call, at: usize) {
    if call.args.len() == at {
        call.args.push(PhysicalExpr::from_literal(Literal::String(DEFAULT_FORMAT.into())));
    }
}

fn from_unixtime(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1, 2])?;
    let mut call = call;
    fmt_arg(&mut call, 1);
    let sql = call.sql();
    let args = call.coerce(&[Expected::Type(DataType::Int64), Expected::Type(DataType::Utf8)], &sql)?;
    Ok(make(sql, DataType::Utf8, true, args, |a, _, rows| {
        let secs = to_i64(arg(a, 0)?)?;
        let f = strings(arg(a, 1)?)?;
        let mut out = arrow::array::StringBuilder::new();
        for i in 0..rows {
            if secs.is_null(i) || f.is_null(i) {
                out.append_null();
            } else {
                out.append_value(format_pattern(secs.value(i).wrapping_mul(MICROS_PER_SECOND), f.value(i))?);
            }
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }))
}

fn unix_timestamp(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[0, 1, 2])?;
    let mut call = call;
    if call.args.is_empty() {
        call.args.push(current(Call { name: "current_timestamp".into(), args: vec![] })?);
    }
    fmt_arg(&mut call, 1);
    let sql = call.sql_as("unix_timestamp");
    let args = call.coerce(&[datetime_input(), Expected::Type(DataType::Utf8)], &sql)?;
    Ok(make(sql, DataType::Int64, true, args, |a, _, rows| {
        let micros = parse_with_format(arg(a, 0)?, arg(a, 1)?, rows)?;
        // Spark divides (truncating), unlike unix_seconds' floorDiv
        Ok(Arc::new(micros.into_iter().map(|m| m.map(|v| v / MICROS_PER_SECOND)).collect::<Int64Array>()) as ArrayRef)
    }))
}

fn timestamp_seconds(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let sql = call.sql();
    let unit: i64 = match call.name.as_str() {
        "timestamp_seconds" => MICROS_PER_SECOND,
        "timestamp_millis" => 1000,
        _ => 1,
    };
    let seconds = unit == MICROS_PER_SECOND;
    let x = call.args.into_iter().next().ok_or_else(|| SparkError::runtime("missing argument"))?;
    let expected = if seconds { Expected::Numeric } else { Expected::Integral };
    let x = if x.data_type == DataType::Null || (!seconds && is_string(&x.data_type)) {
        cast_implicit(x, &DataType::Int64)
    } else {
        x
    };
    if !(if seconds { is_numeric(&x.data_type) } else { is_integral(&x.data_type) }) {
        return Err(unexpected_input(&sql, 1, &expected, &x));
    }
    let nullable = x.nullable || crate::types::is_floating(&x.data_type);
    Ok(make(sql, timestamp_type(), nullable, vec![x], move |a, _, _| {
        let x = arg(a, 0)?;
        match x.data_type() {
            DataType::Float32 | DataType::Float64 => {
                let d = to_f64(x)?;
                Ok(ts_array(d.iter().map(|v| {
                    let f = v?;
                    if f.is_finite() {
                        Some((f * MICROS_PER_SECOND as f64) as i64)
                    } else {
                        None
                    }
                })))
            }
            DataType::Decimal128(..) => cast_array(x, &timestamp_type()),
            _ => {
                let l = to_i64(x)?;
                let mut out = Vec::with_capacity(l.len());
                for v in l.iter() {
                    match v {
                        None => out.push(None),
                        Some(n) => match n.checked_mul(unit) {
                            Some(m) => out.push(Some(m)),
                            None => {
                                return Err(SparkError::new(streamlab_types::ErrorKind::Arithmetic, "long overflow")
                                    .with_class("ARITHMETIC_OVERFLOW"))
                            }
                        },
                    }
                }
                Ok(ts_array(out))
            }
        }
    }))
}

fn unix_seconds(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let sql = call.sql();
    let name = call.name.clone();
    let expected = if name == "unix_date" { DataType::Date32 } else { timestamp_type() };
    let out_t = if name == "unix_date" { DataType::Int32 } else { DataType::Int64 };
    let args = call.coerce(&[Expected::Type(expected)], &sql)?;
    let nullable = args.iter().any(|a| a.nullable);
    Ok(make(sql, out_t, nullable, args, move |a, _, _| {
        let x = arg(a, 0)?;
        if name == "unix_date" {
            return cast_array(&cast_array(x, &DataType::Int64).unwrap_or_else(|_| x.clone()), &DataType::Int32);
        }
        let l = to_i64(x)?;
        let div = match name.as_str() {
            "unix_seconds" => MICROS_PER_SECOND,
            "unix_millis" => 1000,
            _ => 1,
        };
        Ok(Arc::new(l.iter().map(|v| v.map(|m| m.div_euclid(div))).collect::<Int64Array>()) as ArrayRef)
    }))
}

fn date_format(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let args = call.coerce(&[Expected::Type(timestamp_type()), Expected::Type(DataType::Utf8)], &sql)?;
    let nullable = args.iter().any(|a| a.nullable);
    Ok(make(sql, DataType::Utf8, nullable, args, |a, _, rows| {
        let t = ts_values(arg(a, 0)?)?;
        let f = strings(arg(a, 1)?)?;
        let mut out = arrow::array::StringBuilder::new();
        for i in 0..rows {
            if t.is_null(i) || f.is_null(i) {
                out.append_null();
            } else {
                out.append_value(format_pattern(t.value(i), f.value(i))?);
            }
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }))
}

/// ISO-8601 week of year (weeks start Monday; week 1 has the year's first Thursday).
fn iso_week(days: i64) -> i32 {
    // Monday = 0
    let wd = day_of_week(days) - 1;
    let thursday = days - i64::from(wd) + 3;
    let (y, _, _) = civil_from_days(thursday);
    let jan1 = days_from_civil(y, 1, 1);
    ((thursday - jan1) / 7 + 1) as i32
}

fn date_field(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let sql = call.sql();
    let name = call.name.clone();
    let args = call.coerce(&[Expected::Type(DataType::Date32)], &sql)?;
    let nullable = args.iter().any(|a| a.nullable);
    Ok(make(sql, DataType::Int32, nullable, args, move |a, _, _| {
        let d = date_values(arg(a, 0)?)?;
        let out: Int32Array = d
            .iter()
            .map(|v| {
                let days = i64::from(v?);
                let (y, m, dd) = civil_from_days(days);
                Some(match name.as_str() {
                    "year" => y as i32,
                    "month" => m as i32,
                    "quarter" => ((m - 1) / 3 + 1) as i32,
                    "dayofweek" => (day_of_week(days) % 7 + 1) as i32,
                    "weekday" => (day_of_week(days) - 1) as i32,
                    "dayofyear" => (days - days_from_civil(y, 1, 1) + 1) as i32,
                    "weekofyear" => iso_week(days),
                    _ => dd as i32,
                })
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn time_field(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let sql = call.sql();
    let name = call.name.clone();
    let args = call.coerce(&[Expected::Type(timestamp_type())], &sql)?;
    let nullable = args.iter().any(|a| a.nullable);
    Ok(make(sql, DataType::Int32, nullable, args, move |a, _, _| {
        let t = ts_values(arg(a, 0)?)?;
        let out: Int32Array = t
            .iter()
            .map(|v| {
                let c = civil_from_micros(v?);
                Some(match name.as_str() {
                    "hour" => c.hour as i32,
                    "minute" => c.minute as i32,
                    _ => c.second as i32,
                })
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

/// `date_add(d, n)` / `date_sub(d, n)` (also `date ± int`).
pub(crate) fn date_add(name: &str, d: PhysicalExpr, n: PhysicalExpr) -> Result<PhysicalExpr> {
    let sql = format!("{}({}, {})", name, d.sql, n.sql);
    let d = coerce_arg(d, &Expected::Type(DataType::Date32), 1, &sql)?;
    let n_expected = Expected::AnyOf(vec![
        Expected::Type(DataType::Int32),
        Expected::Type(DataType::Int16),
        Expected::Type(DataType::Int8),
    ]);
    let n = if is_string(&n.data_type) { cast_implicit(n, &DataType::Int32) } else { n };
    if !matches!(n.data_type, DataType::Int32 | DataType::Int16 | DataType::Int8 | DataType::Null) {
        return Err(unexpected_input(&sql, 2, &n_expected, &n));
    }
    let n = cast_implicit(n, &DataType::Int32);
    let sub = name == "date_sub";
    let nullable = d.nullable || n.nullable;
    Ok(make(sql, DataType::Date32, nullable, vec![d, n], move |a, _, _| {
        let d = date_values(arg(a, 0)?)?;
        let n = arg(a, 1)?.as_primitive_opt::<Int32Type>().ok_or_else(|| SparkError::runtime("expected int"))?;
        let out: Date32Array = d
            .iter()
            .zip(n.iter())
            .map(|(x, k)| {
                let (x, k) = (x?, k?);
                Some(if sub { x.wrapping_sub(k) } else { x.wrapping_add(k) })
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn date_add_fn(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let name = call.name.clone();
    let mut it = call.args.into_iter();
    match (it.next(), it.next()) {
        (Some(d), Some(n)) => date_add(&name, d, n),
        _ => Err(SparkError::runtime("date_add needs 2 arguments")),
    }
}

fn datediff(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let args = call.coerce(&[Expected::Type(DataType::Date32), Expected::Type(DataType::Date32)], &sql)?;
    let nullable = args.iter().any(|a| a.nullable);
    Ok(make(sql, DataType::Int32, nullable, args, |a, _, _| {
        let x = date_values(arg(a, 0)?)?;
        let y = date_values(arg(a, 1)?)?;
        let out: Int32Array = x.iter().zip(y.iter()).map(|(p, q)| Some(p?.wrapping_sub(q?))).collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn add_months_days(days: i64, months: i64) -> i64 {
    let (y, m, d) = civil_from_days(days);
    let total = y * 12 + i64::from(m) - 1 + months;
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    let nd = d.min(days_in_month(ny, nm));
    days_from_civil(ny, nm, nd)
}

fn add_months(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let args = call.coerce(&[Expected::Type(DataType::Date32), Expected::Type(DataType::Int32)], &sql)?;
    let nullable = args.iter().any(|a| a.nullable);
    Ok(make(sql, DataType::Date32, nullable, args, |a, _, _| {
        let d = date_values(arg(a, 0)?)?;
        let n = arg(a, 1)?.as_primitive_opt::<Int32Type>().ok_or_else(|| SparkError::runtime("expected int"))?;
        let out: Date32Array = d
            .iter()
            .zip(n.iter())
            .map(|(x, k)| Some(add_months_days(i64::from(x?), i64::from(k?)) as i32))
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn last_day(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let sql = call.sql();
    let args = call.coerce(&[Expected::Type(DataType::Date32)], &sql)?;
    let nullable = args.iter().any(|a| a.nullable);
    Ok(make(sql, DataType::Date32, nullable, args, |a, _, _| {
        let d = date_values(arg(a, 0)?)?;
        let out: Date32Array = d
            .iter()
            .map(|x| {
                let (y, m, _) = civil_from_days(i64::from(x?));
                Some(days_from_civil(y, m, days_in_month(y, m)) as i32)
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

/// Truncates micros to `unit` (`year`, `month`, `week`, `day`, `hour`, …); `None` for an
/// unknown unit.
fn truncate_micros(t: i64, unit: &str) -> Option<i64> {
    let day = |days: i64| days.saturating_mul(MICROS_PER_DAY);
    let days = t.div_euclid(MICROS_PER_DAY);
    let (y, m, _) = civil_from_days(days);
    Some(match unit.to_ascii_lowercase().as_str() {
        "year" | "yyyy" | "yy" => day(days_from_civil(y, 1, 1)),
        "quarter" => day(days_from_civil(y, (m - 1) / 3 * 3 + 1, 1)),
        "month" | "mm" | "mon" => day(days_from_civil(y, m, 1)),
        "week" => day(days - i64::from(day_of_week(days) - 1)),
        "day" | "dd" => day(days),
        "hour" => t.checked_sub(t.rem_euclid(3_600_000_000))?,
        "minute" => t.checked_sub(t.rem_euclid(60_000_000))?,
        "second" => t.checked_sub(t.rem_euclid(MICROS_PER_SECOND))?,
        "millisecond" => t.checked_sub(t.rem_euclid(1000))?,
        "microsecond" => t,
        _ => return None,
    })
}

fn date_trunc(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let args = call.coerce(&[Expected::Type(DataType::Utf8), Expected::Type(timestamp_type())], &sql)?;
    Ok(make(sql, timestamp_type(), true, args, |a, _, rows| {
        let u = strings(arg(a, 0)?)?;
        let t = ts_values(arg(a, 1)?)?;
        Ok(ts_array((0..rows).map(|i| {
            if u.is_null(i) || t.is_null(i) {
                None
            } else {
                truncate_micros(t.value(i), u.value(i))
            }
        })))
    }))
}

fn trunc(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let args = call.coerce(&[Expected::Type(DataType::Date32), Expected::Type(DataType::Utf8)], &sql)?;
    Ok(make(sql, DataType::Date32, true, args, |a, _, rows| {
        let d = date_values(arg(a, 0)?)?;
        let u = strings(arg(a, 1)?)?;
        let out: Date32Array = (0..rows)
            .map(|i| {
                if d.is_null(i) || u.is_null(i) {
                    return None;
                }
                let unit = u.value(i).to_ascii_lowercase();
                if !matches!(unit.as_str(), "year" | "yyyy" | "yy" | "quarter" | "month" | "mm" | "mon" | "week") {
                    return None;
                }
                truncate_micros(i64::from(d.value(i)) * MICROS_PER_DAY, &unit).map(|m| m.div_euclid(MICROS_PER_DAY) as i32)
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn make_date(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[3])?;
    let sql = call.sql();
    let i = Expected::Type(DataType::Int32);
    let args = call.coerce(&[i.clone(), i.clone(), i], &sql)?;
    Ok(make(sql, DataType::Date32, true, args, |a, _, rows| {
        let get = |k: usize| arg(a, k).and_then(|x| x.as_primitive_opt::<Int32Type>().ok_or_else(|| SparkError::runtime("int")));
        let (y, m, d) = (get(0)?, get(1)?, get(2)?);
        let out: Date32Array = (0..rows)
            .map(|i| {
                if y.is_null(i) || m.is_null(i) || d.is_null(i) {
                    return None;
                }
                let (yy, mm, dd) = (i64::from(y.value(i)), m.value(i), d.value(i));
                if !(1..=12).contains(&mm) || dd < 1 || dd as u32 > days_in_month(yy, mm as u32) {
                    return None;
                }
                i32::try_from(days_from_civil(yy, mm as u32, dd as u32)).ok()
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

