//! Prints a timestamp through compiled pattern items (session zone UTC).

use super::compile::{Field, Item, SignStyle};
use crate::time::civil::{civil_from_micros, day_of_week, days_from_civil, Civil};

const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const QUARTERS: [&str; 4] = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"];

/// Values of every field for one instant.
struct Fields {
    c: Civil,
    days: i64,
}

impl Fields {
    fn get(&self, field: Field) -> i64 {
        let c = &self.c;
        match field {
            Field::Year => c.year,
            Field::YearOfEra => {
                if c.year <= 0 {
                    1 - c.year
                } else {
                    c.year
                }
            }
            Field::Era => i64::from(c.year > 0),
            Field::Quarter => i64::from((c.month - 1) / 3 + 1),
            Field::Month => i64::from(c.month),
            Field::DayOfMonth => i64::from(c.day),
            Field::DayOfYear => self.days - days_from_civil(c.year, 1, 1) + 1,
            Field::AlignedDayOfWeekInMonth => i64::from((c.day - 1) % 7 + 1),
            Field::DayOfWeek => i64::from(day_of_week(self.days)),
            Field::AmPm => i64::from(c.hour >= 12),
            Field::HourOfDay => i64::from(c.hour),
            Field::ClockHourOfDay => i64::from(if c.hour == 0 { 24 } else { c.hour }),
            Field::HourOfAmPm => i64::from(c.hour % 12),
            Field::ClockHourOfAmPm => i64::from(match c.hour % 12 {
                0 => 12,
                h => h,
            }),
            Field::Minute => i64::from(c.minute),
            Field::Second => i64::from(c.second),
            Field::ModifiedJulianDay => self.days + 40_587,
        }
    }
}

/// `NumberPrinterParser.format`.
fn push_number(out: &mut String, value: i64, min: usize, sign: SignStyle) {
    let digits = value.unsigned_abs().to_string();
    if value < 0 {
        out.push('-');
    } else if sign == SignStyle::ExceedsPad && digits.len() > min {
        out.push('+');
    }
    for _ in digits.len()..min {
        out.push('0');
    }
    out.push_str(&digits);
}

/// Prints `micros` with `items`.
pub fn format_items(micros: i64, items: &[Item]) -> String {
    let c = civil_from_micros(micros);
    let days = micros.div_euclid(crate::time::civil::MICROS_PER_DAY);
    let f = Fields { c, days };
    let mut out = String::new();
    write_items(&mut out, &f, items);
    out
}

fn write_items(out: &mut String, f: &Fields, items: &[Item]) {
    for item in items {
        match item {
            Item::Value { field, min, sign, .. } => push_number(out, f.get(*field), *min, *sign),
            Item::Reduced { field } => {
                let v = f.get(*field).unsigned_abs() % 100;
                out.push_str(&format!("{v:02}"));
            }
            Item::Fraction { max, .. } => {
                let nanos = format!("{:09}", u64::from(f.c.micro) * 1000);
                out.push_str(nanos.get(..*max).unwrap_or(&nanos));
            }
            Item::Text { field, full } => {
                let v = f.get(*field);
                let idx = usize::try_from(v).unwrap_or(0);
                let text: String = match field {
                    Field::Month => MONTHS.get(idx.wrapping_sub(1)).copied().unwrap_or("").to_string(),
                    Field::DayOfWeek => DAYS.get(idx.wrapping_sub(1)).copied().unwrap_or("").to_string(),
                    Field::Quarter if *full => QUARTERS.get(idx.wrapping_sub(1)).copied().unwrap_or("").to_string(),
                    Field::Quarter => format!("Q{v}"),
                    Field::AmPm => if v == 0 { "AM" } else { "PM" }.to_string(),
                    Field::Era => match (v, full) {
                        (0, false) => "BC",
                        (0, true) => "Before Christ",
                        (_, false) => "AD",
                        (_, true) => "Anno Domini",
                    }
                    .to_string(),
                    _ => v.to_string(),
                };
                if *full || matches!(field, Field::AmPm | Field::Era | Field::Quarter) {
                    out.push_str(&text);
                } else {
                    out.push_str(text.get(..3).unwrap_or(&text));
                }
            }
            Item::Offset { zero, .. } => out.push_str(zero),
            Item::LocalizedOffset { .. } => out.push_str("GMT"),
            Item::ZoneText { full } => {
                out.push_str(if *full { "Coordinated Universal Time" } else { "UTC" })
            }
            Item::ZoneId => out.push_str("UTC"),
            Item::Literal(s) => out.push_str(s),
            Item::Optional(inner) => write_items(out, f, inner),
        }
    }
}
