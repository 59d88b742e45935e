//! One value as Spark 3.5's `ToPrettyString` renders it for `show()`.

use crate::interval::CalendarInterval;
use crate::java::{double_to_string, float_to_string};
use crate::time::{format_date, format_timestamp};
use arrow::array::{Array, AsArray};
use arrow::datatypes::{
    DataType, Date32Type, Date64Type, Decimal128Type, Decimal256Type, DurationMicrosecondType,
    DurationMillisecondType, DurationNanosecondType, DurationSecondType, Float16Type, Float32Type,
    Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, IntervalMonthDayNanoType, IntervalUnit,
    IntervalYearMonthType, TimeUnit, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};

/// Renders `array[row]`; see [`crate::show::cell_to_string`].
pub fn render(array: &dyn Array, row: usize) -> String {
    if row >= array.len() || array.is_null(row) {
        return "NULL".to_string();
    }
    match array.data_type() {
        DataType::Null => "NULL".to_string(),
        DataType::Boolean => array.as_boolean().value(row).to_string(),
        DataType::Int8 => array.as_primitive::<Int8Type>().value(row).to_string(),
        DataType::Int16 => array.as_primitive::<Int16Type>().value(row).to_string(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(row).to_string(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(row).to_string(),
        DataType::UInt8 => array.as_primitive::<UInt8Type>().value(row).to_string(),
        DataType::UInt16 => array.as_primitive::<UInt16Type>().value(row).to_string(),
        DataType::UInt32 => array.as_primitive::<UInt32Type>().value(row).to_string(),
        DataType::UInt64 => array.as_primitive::<UInt64Type>().value(row).to_string(),
        DataType::Float16 => float_to_string(array.as_primitive::<Float16Type>().value(row).to_f32()),
        DataType::Float32 => float_to_string(array.as_primitive::<Float32Type>().value(row)),
        DataType::Float64 => double_to_string(array.as_primitive::<Float64Type>().value(row)),
        DataType::Utf8 => array.as_string::<i32>().value(row).to_string(),
        DataType::LargeUtf8 => array.as_string::<i64>().value(row).to_string(),
        DataType::Utf8View => array.as_string_view().value(row).to_string(),
        DataType::Binary => hex(array.as_binary::<i32>().value(row)),
        DataType::LargeBinary => hex(array.as_binary::<i64>().value(row)),
        DataType::BinaryView => hex(array.as_binary_view().value(row)),
        DataType::FixedSizeBinary(_) => hex(array.as_fixed_size_binary().value(row)),
        DataType::Date32 => format_date(array.as_primitive::<Date32Type>().value(row)),
        DataType::Date64 => {
            let days = array.as_primitive::<Date64Type>().value(row).div_euclid(86_400_000);
            format_date(i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX }))
        }
        DataType::Timestamp(unit, _) => format_timestamp(timestamp_micros(array, row, unit)),
        DataType::Decimal128(_, s) => decimal(array.as_primitive::<Decimal128Type>().value(row).to_string(), *s),
        DataType::Decimal256(_, s) => decimal(array.as_primitive::<Decimal256Type>().value(row).to_string(), *s),
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let v = array.as_primitive::<IntervalMonthDayNanoType>().value(row);
            CalendarInterval { months: v.months, days: v.days, microseconds: v.nanoseconds / 1000 }.to_string()
        }
        DataType::Interval(IntervalUnit::YearMonth) => {
            let m = array.as_primitive::<IntervalYearMonthType>().value(row);
            let sign = if m < 0 { "-" } else { "" };
            let a = i64::from(m).unsigned_abs();
            format!("INTERVAL '{sign}{}-{}' YEAR TO MONTH", a / 12, a % 12)
        }
        DataType::Duration(unit) => {
            let micros = match unit {
                TimeUnit::Second => array.as_primitive::<DurationSecondType>().value(row).saturating_mul(1_000_000),
                TimeUnit::Millisecond => array.as_primitive::<DurationMillisecondType>().value(row).saturating_mul(1000),
                TimeUnit::Microsecond => array.as_primitive::<DurationMicrosecondType>().value(row),
                TimeUnit::Nanosecond => array.as_primitive::<DurationNanosecondType>().value(row) / 1000,
            };
            day_time_interval(micros)
        }
        DataType::List(_) => {
            let l = array.as_list::<i32>();
            seq(l.value(row).as_ref())
        }
        DataType::LargeList(_) => {
            let l = array.as_list::<i64>();
            seq(l.value(row).as_ref())
        }
        DataType::FixedSizeList(_, _) => seq(array.as_fixed_size_list().value(row).as_ref()),
        DataType::Map(_, _) => {
            let m = array.as_map();
            let entries = m.value(row);
            let (keys, values) = (entries.column(0), entries.column(1));
            let parts: Vec<String> =
                (0..entries.len()).map(|i| format!("{} -> {}", render(keys, i), render(values, i))).collect();
            format!("{{{}}}", parts.join(", "))
        }
        DataType::Struct(_) => {
            let s = array.as_struct();
            let parts: Vec<String> = s.columns().iter().map(|c| render(c.as_ref(), row)).collect();
            format!("{{{}}}", parts.join(", "))
        }
        DataType::Dictionary(_, _) => dictionary(array, row),
        _ => arrow::util::display::array_value_to_string(array, row).unwrap_or_default(),
    }
}

fn seq(values: &dyn Array) -> String {
    let parts: Vec<String> = (0..values.len()).map(|i| render(values, i)).collect();
    format!("[{}]", parts.join(", "))
}

fn dictionary(array: &dyn Array, row: usize) -> String {
    use arrow::datatypes::{Int16Type as I16, Int32Type as I32, Int64Type as I64, Int8Type as I8};
    macro_rules! dict {
        ($t:ty) => {
            if let Some(d) = array.as_dictionary_opt::<$t>() {
                let key = d.keys().value(row);
                return match usize::try_from(key) {
                    Ok(k) => render(d.values().as_ref(), k),
                    Err(_) => "NULL".to_string(),
                };
            }
        };
    }
    dict!(I8);
    dict!(I16);
    dict!(I32);
    dict!(I64);
    arrow::util::display::array_value_to_string(array, row).unwrap_or_default()
}

/// Microseconds of a timestamp cell of any unit (flooring nanoseconds, saturating seconds).
fn timestamp_micros(array: &dyn Array, row: usize, unit: &TimeUnit) -> i64 {
    match unit {
        TimeUnit::Second => array.as_primitive::<TimestampSecondType>().value(row).saturating_mul(1_000_000),
        TimeUnit::Millisecond => array.as_primitive::<TimestampMillisecondType>().value(row).saturating_mul(1000),
        TimeUnit::Microsecond => array.as_primitive::<TimestampMicrosecondType>().value(row),
        TimeUnit::Nanosecond => array.as_primitive::<TimestampNanosecondType>().value(row).div_euclid(1000),
    }
}

/// `[AB CD]`: Spark 3.5 prints binary as upper-case hex bytes.
fn hex(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
    format!("[{}]", parts.join(" "))
}

/// `BigDecimal.toPlainString` of an unscaled integer text and a scale.
pub fn decimal(unscaled: String, scale: i8) -> String {
    let (sign, digits) = match unscaled.strip_prefix('-') {
        Some(d) => ("-", d.to_string()),
        None => ("", unscaled),
    };
    if scale <= 0 {
        let zeros = "0".repeat(usize::from(scale.unsigned_abs()));
        return if digits == "0" { "0".to_string() } else { format!("{sign}{digits}{zeros}") };
    }
    let scale = usize::from(scale.unsigned_abs());
    let padded = if digits.len() <= scale { format!("{}{digits}", "0".repeat(scale + 1 - digits.len())) } else { digits };
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{frac}")
}

/// `INTERVAL '[-]d hh:mm:ss[.ffffff]' DAY TO SECOND`.
fn day_time_interval(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let a = micros.unsigned_abs();
    let secs = a / 1_000_000;
    let frac = a % 1_000_000;
    let mut s = format!("{sign}{} {:02}:{:02}:{:02}", secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if frac != 0 {
        let f = format!("{frac:06}");
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    format!("INTERVAL '{s}' DAY TO SECOND")
}
