//! Triggers: when a query runs its next micro-batch.

use streamlab_types::interval::parse_interval;
use streamlab_types::{Result, SparkError};

/// `DataStreamWriter.trigger(...)`.
///
/// ```
/// use streamlab_engine::Trigger;
/// assert_eq!(Trigger::processing_time("3 seconds").unwrap(), Trigger::ProcessingTime(3000));
/// assert_eq!(Trigger::default(), Trigger::ProcessingTime(0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Micro-batches on epoch-aligned boundaries every `n` ms; `0` is the default trigger
    /// (next batch as soon as the previous one ends).
    ProcessingTime(i64),
    /// One batch with everything available, then stop (deprecated in Spark, still common).
    Once,
    /// Everything available at start, in as many batches as the read limits need, then stop.
    AvailableNow,
    /// Continuous processing with a checkpoint interval in ms: only its errors are modelled.
    Continuous(i64),
}

impl Default for Trigger {
    fn default() -> Self {
        Trigger::ProcessingTime(0)
    }
}

/// Spark's `Triggers.convert`: an interval string to milliseconds.
fn interval_ms(text: &str) -> Result<i64> {
    let cal = parse_interval(text)?;
    if cal.months != 0 {
        return Err(SparkError::illegal_argument(format!("Doesn't support month or year interval: {text}")));
    }
    let micros = (cal.days as i64)
        .checked_mul(86_400_000_000)
        .and_then(|d| d.checked_add(cal.microseconds))
        .ok_or_else(|| SparkError::new(streamlab_types::ErrorKind::Arithmetic, "long overflow"))?;
    Ok(micros.div_euclid(1000))
}

fn non_negative(ms: i64) -> Result<i64> {
    if ms < 0 {
        return Err(SparkError::illegal_argument(
            "requirement failed: the interval of trigger should not be negative",
        ));
    }
    Ok(ms)
}

impl Trigger {
    /// `Trigger.ProcessingTime("3 seconds")`.
    pub fn processing_time(interval: &str) -> Result<Trigger> {
        Ok(Trigger::ProcessingTime(non_negative(interval_ms(interval)?)?))
    }

    /// `Trigger.Continuous("1 second")`.
    pub fn continuous(interval: &str) -> Result<Trigger> {
        Ok(Trigger::Continuous(non_negative(interval_ms(interval)?)?))
    }

    /// PySpark's `trigger(processingTime=…, once=…, continuous=…, availableNow=…)` keyword
    /// check: exactly one, with PySpark's error texts.
    pub fn from_keywords(
        processing_time: Option<&str>,
        once: Option<bool>,
        continuous: Option<&str>,
        available_now: Option<bool>,
    ) -> Result<Trigger> {
        let given = [processing_time.is_some(), once.is_some(), continuous.is_some(), available_now.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(SparkError::new(
                streamlab_types::ErrorKind::Python("PySparkValueError"),
                "Only a single trigger is allowed.",
            )
            .with_class("ONLY_ALLOW_SINGLE_TRIGGER"));
        }
        let non_empty = |name: &str, v: &str| -> Result<()> {
            if v.trim().is_empty() {
                return Err(SparkError::new(
                    streamlab_types::ErrorKind::Python("PySparkValueError"),
                    format!("Value for `{name}` must be a non empty string, got '{v}'."),
                )
                .with_class("VALUE_NOT_NON_EMPTY_STR"));
            }
            Ok(())
        };
        let must_be_true = |name: &str, v: bool| -> Result<()> {
            if !v {
                return Err(SparkError::new(
                    streamlab_types::ErrorKind::Python("PySparkValueError"),
                    format!("Value for `{name}` must be True, got 'False'."),
                )
                .with_class("VALUE_NOT_TRUE"));
            }
            Ok(())
        };
        if let Some(p) = processing_time {
            non_empty("processingTime", p)?;
            return Trigger::processing_time(p);
        }
        if let Some(o) = once {
            must_be_true("once", o)?;
            return Ok(Trigger::Once);
        }
        if let Some(c) = continuous {
            non_empty("continuous", c)?;
            return Trigger::continuous(c);
        }
        must_be_true("availableNow", available_now.unwrap_or(false))?;
        Ok(Trigger::AvailableNow)
    }

    /// When the trigger after one that started at `trigger_start_ms` may start
    /// (`ProcessingTimeExecutor.nextBatchTime`: epoch-aligned boundaries).
    pub fn next_batch_time(&self, trigger_start_ms: i64) -> i64 {
        match *self {
            Trigger::ProcessingTime(interval) if interval > 0 => {
                trigger_start_ms.div_euclid(interval) * interval + interval
            }
            _ => trigger_start_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processing_time_boundaries_are_epoch_aligned() {
        let t = Trigger::processing_time("2 seconds").unwrap();
        assert_eq!(t.next_batch_time(12_000), 14_000);
        assert_eq!(t.next_batch_time(12_500), 14_000);
        assert_eq!(t.next_batch_time(13_999), 14_000);
    }

    #[test]
    fn keyword_errors_match_pyspark() {
        let e = Trigger::from_keywords(Some(""), None, None, None).unwrap_err();
        assert_eq!(e.to_string(), "[VALUE_NOT_NON_EMPTY_STR] Value for `processingTime` must be a non empty string, got ''.");
        let e = Trigger::from_keywords(Some("1 second"), Some(true), None, None).unwrap_err();
        assert_eq!(e.to_string(), "[ONLY_ALLOW_SINGLE_TRIGGER] Only a single trigger is allowed.");
        assert_eq!(Trigger::from_keywords(None, None, None, Some(true)).unwrap(), Trigger::AvailableNow);
        let e = Trigger::from_keywords(None, None, None, None).unwrap_err();
        assert_eq!(e.to_string(), "[ONLY_ALLOW_SINGLE_TRIGGER] Only a single trigger is allowed.");
        let e = Trigger::from_keywords(None, Some(false), None, None).unwrap_err();
        assert_eq!(e.to_string(), "[VALUE_NOT_TRUE] Value for `once` must be True, got 'False'.");
    }

    #[test]
    fn bad_intervals() {
        let e = Trigger::processing_time("abc").unwrap_err();
        assert_eq!(e.to_string(), "Error parsing 'abc' to interval, unrecognized number 'abc'");
        let e = Trigger::processing_time("-1 second").unwrap_err();
        assert_eq!(e.to_string(), "requirement failed: the interval of trigger should not be negative");
        assert_eq!(Trigger::processing_time("1 day").unwrap(), Trigger::ProcessingTime(86_400_000));
    }
}
