//! `widen` on every conversion it offers, and at the edges of its value ranges (a file may hold
//! any bits, so none of them may panic, debug builds included).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, Date32Array, Decimal128Array, DictionaryArray, Float32Array, Int32Array, Int8Array,
    StringViewArray, TimestampMillisecondArray,
};
use arrow::datatypes::{
    DataType, Decimal128Type, Float64Type, Int32Type, Int64Type, TimeUnit, TimestampMicrosecondType, TimestampNanosecondType,
};
use streamlab_types::widen::{can_widen, widen};

fn decimals(values: Vec<Option<i128>>, precision: u8, scale: i8) -> ArrayRef {
    Arc::new(Decimal128Array::from(values).with_precision_and_scale(precision, scale).unwrap())
}

#[test]
fn numbers_widen_value_for_value() {
    let bytes: ArrayRef = Arc::new(Int8Array::from(vec![Some(-128), None, Some(127)]));
    let longs = widen(&bytes, &DataType::Int64).unwrap();
    assert_eq!(longs.as_primitive::<Int64Type>().iter().collect::<Vec<_>>(), [Some(-128), None, Some(127)]);
    let doubles = widen(&bytes, &DataType::Float64).unwrap();
    assert_eq!(doubles.as_primitive::<Float64Type>().value(2), 127.0);
    let floats: ArrayRef = Arc::new(Float32Array::from(vec![1.5f32]));
    assert_eq!(widen(&floats, &DataType::Float64).unwrap().as_primitive::<Float64Type>().value(0), 1.5);
    let ints: ArrayRef = Arc::new(Int32Array::from(vec![12]));
    let money = widen(&ints, &DataType::Decimal128(10, 2)).unwrap();
    assert_eq!(money.as_primitive::<Decimal128Type>().value(0), 1200);
    assert!(!can_widen(&DataType::Int64, &DataType::Int32));
    assert!(widen(&longs, &DataType::Int32).is_err());
}

#[test]
fn decimals_rescale_half_up_and_null_what_does_not_fit() {
    let cents = decimals(vec![Some(125), Some(-125), Some(124), None], 5, 2);
    let tenths = widen(&cents, &DataType::Decimal128(5, 1)).unwrap();
    assert_eq!(tenths.as_primitive::<Decimal128Type>().iter().collect::<Vec<_>>(), [Some(13), Some(-13), Some(12), None]);
    // 38 nines after the point, rounded to a whole number: the remainder's double exceeds i128.
    let nines = decimals(vec![Some(10i128.pow(38) - 1)], 38, 38);
    assert_eq!(widen(&nines, &DataType::Decimal128(38, 0)).unwrap().as_primitive::<Decimal128Type>().value(0), 1);
    // Too wide for the target, or beyond i128 when scaled: null.
    let big = decimals(vec![Some(10i128.pow(37)), Some(i128::MIN), Some(i128::MAX)], 38, 0);
    let scaled = widen(&big, &DataType::Decimal128(38, 1)).unwrap();
    assert_eq!(scaled.null_count(), 3);
    let narrower = widen(&decimals(vec![Some(i128::MIN)], 38, 1), &DataType::Decimal128(10, 0)).unwrap();
    assert!(narrower.is_null(0));
}

#[test]
fn dates_and_timestamps_change_unit_even_at_the_ends_of_their_range() {
    let days: ArrayRef = Arc::new(Date32Array::from(vec![Some(1), Some(i32::MAX), Some(i32::MIN)]));
    let nanos = widen(&days, &DataType::Timestamp(TimeUnit::Nanosecond, None)).unwrap();
    assert_eq!(nanos.as_primitive::<TimestampNanosecondType>().value(0), 86_400_000_000_000);
    let millis: ArrayRef = Arc::new(TimestampMillisecondArray::from(vec![Some(-1), Some(1_500), Some(i64::MAX)]).with_timezone("UTC"));
    let micros = widen(&millis, &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))).unwrap();
    assert_eq!(micros.data_type(), &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())));
    assert_eq!(micros.as_primitive::<TimestampMicrosecondType>().value(1), 1_500_000);
    let seconds = widen(&micros, &DataType::Timestamp(TimeUnit::Second, None)).unwrap();
    // Floor, as a timestamp before the epoch stays before it.
    assert_eq!(seconds.as_primitive::<arrow::datatypes::TimestampSecondType>().value(0), -1);
    assert_eq!(widen(&millis, &DataType::Int64).unwrap().as_primitive::<Int64Type>().value(1), 1_500);
}

#[test]
fn dictionaries_and_views_become_plain_arrays() {
    let dictionary: DictionaryArray<Int32Type> = vec![Some("sit"), None, Some("walk"), Some("sit")].into_iter().collect();
    let dictionary: ArrayRef = Arc::new(dictionary);
    let plain = widen(&dictionary, &DataType::Utf8).unwrap();
    assert_eq!(plain.as_string::<i32>().iter().collect::<Vec<_>>(), [Some("sit"), None, Some("walk"), Some("sit")]);
    let views: ArrayRef = Arc::new(StringViewArray::from(vec![Some("a longer string than twelve bytes"), None]));
    let strings = widen(&views, &DataType::Utf8).unwrap();
    assert_eq!(strings.as_string::<i32>().value(0), "a longer string than twelve bytes");
    assert!(strings.is_null(1));
}
