//! The Kafka source's options, checked as Spark's `KafkaSourceProvider.validateStreamOptions`
//! checks them when `load()` is called, with its exception texts.
//!
//! ```
//! use streamlab_kafka::options::{SourceOptions, Strategy};
//! let options = vec![
//!     ("kafka.bootstrap.servers".to_string(), "127.0.0.1:9092".to_string()),
//!     ("subscribe".to_string(), "t1, t2".to_string()),
//! ];
//! let parsed = SourceOptions::parse(&options).unwrap();
//! assert_eq!(parsed.strategy, Strategy::Subscribe(vec!["t1".into(), "t2".into()]));
//! assert_eq!(parsed.strategy.to_string(), "Subscribe[t1, t2]");
//! let err = SourceOptions::parse(&options[..1]).unwrap_err();
//! assert!(err.to_string().starts_with("One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign."));
//! ```

use std::fmt;
use std::time::Duration;

use serde_json::Value;
use streamlab_types::{Result, SparkError};

use crate::offsets::{OffsetsJson, PartitionOffsets, TopicPartition};

/// Which topic-partitions the source reads (Spark's `ConsumerStrategy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Strategy {
    /// `subscribe`: every partition of these topics.
    Subscribe(Vec<String>),
    /// `subscribePattern`: every partition of the topics whose name the regex finds a match in.
    SubscribePattern(String),
    /// `assign`: exactly these partitions.
    Assign(Vec<TopicPartition>),
}

/// `ConsumerStrategy.toString`, which the source's description shows (`KafkaV2[Subscribe[t]]`).
impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Strategy::Subscribe(topics) => write!(f, "Subscribe[{}]", topics.join(", ")),
            Strategy::SubscribePattern(pattern) => write!(f, "SubscribePattern[{pattern}]"),
            Strategy::Assign(partitions) => {
                let names: Vec<String> = partitions.iter().map(ToString::to_string).collect();
                write!(f, "Assign[{}]", names.join(", "))
            }
        }
    }
}

/// Where a new query starts (`startingOffsets`; only read when the checkpoint has no offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartingOffsets {
    /// `earliest`.
    Earliest,
    /// `latest` (the default for streams).
    Latest,
    /// A JSON map of offsets, `-2` earliest and `-1` latest.
    Specific(PartitionOffsets),
}

/// The source options, validated.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// Which partitions to read.
    pub strategy: Strategy,
    /// `startingOffsets`.
    pub starting: StartingOffsets,
    /// `maxOffsetsPerTrigger`.
    pub max_offsets_per_trigger: Option<u64>,
    /// `failOnDataLoss` (default true).
    pub fail_on_data_loss: bool,
    /// `includeHeaders` (default false): a `headers` column after `timestampType`.
    pub include_headers: bool,
    /// The `kafka.`-prefixed options without the prefix, for librdkafka.
    pub kafka_params: Vec<(String, String)>,
    /// How long one broker call may take: `kafka.default.api.timeout.ms` (Kafka's default
    /// 60000) — a dead broker fails the query after this.
    pub api_timeout: Duration,
}

/// Spark's option names, lowercase (options are case-insensitive).
const STRATEGY_KEYS: [&str; 3] = ["subscribe", "subscribepattern", "assign"];

/// The value of option `key`, case-insensitively; the last one set wins.
pub fn option<'a>(options: &'a [(String, String)], key: &str) -> Option<&'a str> {
    options.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
}

/// The `kafka.`-prefixed options without their prefix (Spark's `convertToSpecifiedParams`).
pub fn kafka_params(options: &[(String, String)]) -> Vec<(String, String)> {
    options
        .iter()
        .filter(|(k, _)| k.len() > 6 && k[..6].eq_ignore_ascii_case("kafka."))
        .map(|(k, v)| (k[6..].to_string(), v.clone()))
        .collect()
}

/// Scala's `String.toBoolean`.
fn parse_bool(text: &str) -> Result<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(SparkError::illegal_argument(format!("For input string: \"{text}\""))),
    }
}

/// Scala's `String.toLong`.
fn parse_long(text: &str) -> Result<i64> {
    text.parse().map_err(|_| SparkError::new(streamlab_types::ErrorKind::NumberFormat, format!("For input string: \"{text}\"")))
}

impl SourceOptions {
    /// Validates `options` as Spark does at `load()`.
    pub fn parse(options: &[(String, String)]) -> Result<SourceOptions> {
        if option(options, "endingOffsets").is_some() {
            return Err(SparkError::illegal_argument("ending offset not valid in streaming queries"));
        }
        if option(options, "endingOffsetsByTimestamp").is_some() {
            return Err(SparkError::illegal_argument("ending timestamp not valid in streaming queries"));
        }
        let strategy = strategy(options)?;
        let has = |key: &str| option(options, key).is_some();
        for (key, message) in [
            ("kafka.auto.offset.reset", None),
            ("kafka.key.deserializer", Some("Kafka option 'key.deserializer' is not supported as keys are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the keys.")),
            ("kafka.value.deserializer", Some("Kafka option 'value.deserializer' is not supported as values are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the values.")),
            ("kafka.enable.auto.commit", Some("Kafka option 'enable.auto.commit' is not supported")),
            ("kafka.interceptor.classes", Some("Kafka option 'interceptor.classes' is not supported")),
        ] {
            if has(key) {
                return Err(SparkError::illegal_argument(message.map_or_else(auto_offset_reset_message, str::to_string)));
            }
        }
        if !has("kafka.bootstrap.servers") {
            return Err(SparkError::illegal_argument("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer"));
        }
        let max_offsets = option(options, "maxOffsetsPerTrigger").map(|v| parse_long(v.trim())).transpose()?;
        if let (Some(min), Some(max)) = (option(options, "minOffsetsPerTrigger"), max_offsets) {
            let min = parse_long(min.trim())?;
            if min > max {
                return Err(SparkError::illegal_argument(format!(
                    "The value of minOffsetPerTrigger({min}) is higher than the maxOffsetsPerTrigger({max})."
                )));
            }
        }
        let starting = match option(options, "startingOffsets").map(str::trim) {
            None => StartingOffsets::Latest,
            Some(v) if v.eq_ignore_ascii_case("latest") => StartingOffsets::Latest,
            Some(v) if v.eq_ignore_ascii_case("earliest") => StartingOffsets::Earliest,
            Some(json) => StartingOffsets::Specific(PartitionOffsets::parse(json)?),
        };
        let fail_on_data_loss = option(options, "failOnDataLoss").map(parse_bool).transpose()?.unwrap_or(true);
        let include_headers = option(options, "includeHeaders").map(parse_bool).transpose()?.unwrap_or(false);
        let kafka_params = kafka_params(options);
        let api_timeout = option(options, "kafka.default.api.timeout.ms").map(parse_long).transpose()?.unwrap_or(60_000);
        Ok(SourceOptions {
            strategy,
            starting,
            // A negative limit reads nothing new, as Spark's rate limit would never advance.
            max_offsets_per_trigger: max_offsets.map(|n| n.max(0) as u64),
            fail_on_data_loss,
            include_headers,
            kafka_params,
            api_timeout: Duration::from_millis(api_timeout.max(1) as u64),
        })
    }
}

/// The one strategy option set, checked as `validateGeneralOptions` does.
fn strategy(options: &[(String, String)]) -> Result<Strategy> {
    let specified: Vec<&str> = STRATEGY_KEYS.iter().copied().filter(|k| option(options, k).is_some()).collect();
    let keys = STRATEGY_KEYS.join(", ");
    let (key, value) = match specified.as_slice() {
        [] => {
            return Err(SparkError::illegal_argument(format!(
                "One of the following options must be specified for Kafka source: {keys}. See the docs for more details."
            )))
        }
        [key] => (*key, option(options, key).unwrap_or_default()),
        _ => {
            return Err(SparkError::illegal_argument(format!(
                "Only one of the following options can be specified for Kafka source: {keys}. See the docs for more details."
            )))
        }
    };
    match key {
        "assign" => {
            if !value.trim().starts_with('{') {
                return Err(SparkError::illegal_argument(format!(
                    "No topicpartitions to assign as specified value for option 'assign' is '{value}'"
                )));
            }
            assign_partitions(value).map(Strategy::Assign)
        }
        "subscribe" => {
            let topics: Vec<String> = value.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect();
            if topics.is_empty() {
                return Err(SparkError::illegal_argument(format!(
                    "No topics to subscribe to as specified value for option 'subscribe' is '{value}'"
                )));
            }
            Ok(Strategy::Subscribe(topics))
        }
        _ => {
            let pattern = value.trim();
            if pattern.is_empty() {
                return Err(SparkError::illegal_argument(format!(
                    "Pattern to subscribe is empty as specified value for option 'subscribePattern' is '{value}'"
                )));
            }
            regex::Regex::new(pattern).map_err(|e| SparkError::illegal_argument(e.to_string()))?;
            Ok(Strategy::SubscribePattern(pattern.to_string()))
        }
    }
}

/// `assign`'s JSON, `{"topicA":[0,1],"topicB":[0]}` (Spark's `JsonUtils.partitions`).
fn assign_partitions(text: &str) -> Result<Vec<TopicPartition>> {
    let invalid = || SparkError::illegal_argument(format!(r#"Expected e.g. {{"topicA":[0,1],"topicB":[0,1]}}, got {text}"#));
    let Ok(Value::Object(topics)) = serde_json::from_str::<Value>(text) else { return Err(invalid()) };
    let mut partitions = Vec::new();
    for (topic, parts) in &topics {
        let Value::Array(parts) = parts else { return Err(invalid()) };
        for part in parts {
            let partition = part.as_i64().and_then(|p| i32::try_from(p).ok()).ok_or_else(invalid)?;
            partitions.push(TopicPartition::new(topic, partition));
        }
    }
    Ok(partitions)
}

/// The text Spark gives for `kafka.auto.offset.reset` (a multi-line Scala `stripMargin`).
fn auto_offset_reset_message() -> String {
    "\nKafka option 'auto.offset.reset' is not supported.\n\
     Instead set the source option 'startingoffsets' to 'earliest' or 'latest'\n\
     to specify where to start. Structured Streaming manages which offsets are consumed\n\
     internally, rather than relying on the kafkaConsumer to do it. This will ensure that no\n\
     data is missed when new topics/partitions are dynamically subscribed. Note that\n\
     'startingoffsets' only applies when a new Streaming query is started, and\n\
     that resuming will always pick up from where the query left off. See the docs for more\n\
     details.\n         "
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn spark_texts_for_bad_options() {
        let cases = [
            (opts(&[("subscribe", "t"), ("assign", "{}")]), "Only one of the following options can be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details."),
            (opts(&[("subscribe", " , ")]), "No topics to subscribe to as specified value for option 'subscribe' is ' , '"),
            (opts(&[("subscribePattern", "  ")]), "Pattern to subscribe is empty as specified value for option 'subscribePattern' is '  '"),
            (opts(&[("assign", "t")]), "No topicpartitions to assign as specified value for option 'assign' is 't'"),
            (opts(&[("subscribe", "t")]), "Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer"),
            (opts(&[("subscribe", "t"), ("endingOffsets", "latest")]), "ending offset not valid in streaming queries"),
            (opts(&[("subscribe", "t"), ("kafka.enable.auto.commit", "true")]), "Kafka option 'enable.auto.commit' is not supported"),
        ];
        for (options, message) in cases {
            assert_eq!(SourceOptions::parse(&options).unwrap_err().to_string(), message);
        }
        let err = SourceOptions::parse(&opts(&[("subscribe", "t"), ("kafka.auto.offset.reset", "earliest")])).unwrap_err();
        assert!(err.message.starts_with("\nKafka option 'auto.offset.reset' is not supported.\nInstead set the source option 'startingoffsets'"));
    }

    #[test]
    fn reads_every_option() {
        let parsed = SourceOptions::parse(&opts(&[
            ("KAFKA.bootstrap.servers", "h:1"),
            ("assign", r#"{"t":[1,0]}"#),
            ("startingOffsets", r#"{"t":{"0":5,"1":-2}}"#),
            ("maxOffsetsPerTrigger", "10"),
            ("failOnDataLoss", "False"),
        ]))
        .unwrap();
        assert_eq!(parsed.strategy.to_string(), "Assign[t-1, t-0]");
        assert_eq!(parsed.max_offsets_per_trigger, Some(10));
        assert!(!parsed.fail_on_data_loss);
        assert_eq!(parsed.kafka_params, vec![("bootstrap.servers".to_string(), "h:1".to_string())]);
        let StartingOffsets::Specific(offsets) = parsed.starting else { panic!("specific offsets expected") };
        assert_eq!(offsets.to_json(), r#"{"t":{"1":-2,"0":5}}"#);
    }
}
