//! `groupBy(...)` and `withWatermark(...)`: the entry points of stateful streaming.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema};
use streamlab_expr::aggregate::{is_aggregate_call, resolve_aggregate};
use streamlab_expr::window::{resolve_window, window_field};
use streamlab_expr::{resolve, Expr};
use streamlab_types::interval::parse_interval;
use streamlab_types::{Result, SparkError};

use crate::aggregation::Aggregation;
use crate::dataframe::DataFrame;
use crate::plan::{GroupKey, LogicalPlan};

/// Field metadata Spark puts on the event-time column after `withWatermark`.
pub(crate) const WATERMARK_METADATA: &str = "spark.watermarkDelayMs";

/// The delay of `withWatermark` in ms; months count as 31 days, as Spark counts them here.
fn delay_ms(delay: &str) -> Result<i64> {
    let interval = parse_interval(delay)?;
    let days = interval.months as i64 * 31 + interval.days as i64;
    let micros = days.saturating_mul(86_400_000_000).saturating_add(interval.microseconds);
    if micros < 0 {
        return Err(SparkError::illegal_argument(format!(
            "requirement failed: delay threshold ({delay}) should not be negative."
        )));
    }
    Ok(micros / 1000)
}

/// The bare name of a column reference (`` `a b` `` → `a b`), if `e` is one.
fn column_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Column(name) => Some(
            name.strip_prefix('`').and_then(|n| n.strip_suffix('`')).map_or(name.clone(), |n| n.replace("``", "`")),
        ),
        _ => None,
    }
}

/// The watermarked column under `plan`, looking through projections that keep its name.
fn watermark_column(plan: &LogicalPlan) -> Option<String> {
    match plan {
        LogicalPlan::Watermark { column, .. } => Some(column.clone()),
        LogicalPlan::Project { input, .. } | LogicalPlan::Filter { input, .. } => watermark_column(input),
        LogicalPlan::Sort { input, .. } | LogicalPlan::Limit { input, .. } => watermark_column(input),
        LogicalPlan::Join { left, .. } => watermark_column(left),
        _ => None,
    }
}

impl DataFrame {
    /// `withWatermark(eventTime, delayThreshold)`.
    pub fn with_watermark(&self, column: &str, delay: &str) -> Result<DataFrame> {
        let schema = self.schema();
        let resolved = resolve(&Expr::col(column), &schema)?;
        if !matches!(resolved.data_type(), DataType::Timestamp(_, _)) {
            return Err(SparkError::analysis(format!(
                "The event time `{column}` has the invalid type \"{}\", but expected \"TIMESTAMP\".",
                streamlab_types::ddl::sql_name(resolved.data_type())
            ))
            .with_class("EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE"));
        }
        let delay_ms = delay_ms(delay)?;
        let name = resolved.name().to_string();
        let fields: Vec<Field> = schema
            .fields()
            .iter()
            .map(|f| {
                let field = f.as_ref().clone();
                if f.name() == &name {
                    let mut metadata: HashMap<String, String> = field.metadata().clone();
                    metadata.insert(WATERMARK_METADATA.into(), delay_ms.to_string());
                    field.with_metadata(metadata)
                } else {
                    field
                }
            })
            .collect();
        Ok(DataFrame::new(
            self.session().clone(),
            Rc::new(LogicalPlan::Watermark {
                input: self.plan().clone(),
                column: name,
                delay_ms,
                schema: Arc::new(Schema::new(fields)),
            }),
        ))
    }

    /// `dropDuplicates(subset)` (all columns when `None`, which is `distinct()`).
    pub fn drop_duplicates(&self, subset: Option<&[&str]>) -> Result<DataFrame> {
        let schema = self.schema();
        let names: Vec<String> = match subset {
            Some(cols) => cols.iter().map(|c| c.to_string()).collect(),
            None => schema.fields().iter().map(|f| f.name().clone()).collect(),
        };
        let watermark = watermark_column(self.plan());
        let mut keys = Vec::with_capacity(names.len());
        let mut watermark_key = None;
        for name in &names {
            let Some(field) = schema.fields().iter().find(|f| f.name().eq_ignore_ascii_case(name)) else {
                let all: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
                return Err(SparkError::analysis(format!(
                    "Cannot resolve column name \"{name}\" among ({}).",
                    all.join(", ")
                )));
            };
            if watermark.as_ref().is_some_and(|w| w.eq_ignore_ascii_case(field.name())) {
                watermark_key = Some(keys.len());
            }
            keys.push(GroupKey::Expr(resolve(&Expr::col(&streamlab_expr::types::quote(field.name())), &schema)?));
        }
        Ok(DataFrame::new(
            self.session().clone(),
            Rc::new(LogicalPlan::Deduplicate { input: self.plan().clone(), keys, watermark_key }),
        ))
    }

    /// `distinct()`.
    pub fn distinct(&self) -> Result<DataFrame> {
        self.drop_duplicates(None)
    }

    /// `groupBy(*cols)`.
    pub fn group_by(&self, keys: Vec<Expr>) -> GroupedData {
        GroupedData { df: self.clone(), keys }
    }
}

/// `df.groupBy(...)`: waits for the aggregates.
pub struct GroupedData {
    df: DataFrame,
    keys: Vec<Expr>,
}

impl GroupedData {
    /// `agg(*exprs)`: each argument an aggregate call (`count("*")`, `avg("x").alias("a")`)
    /// or an expression over aggregates and grouping keys (`round(avg("x"), 4)`).
    pub fn agg(&self, aggregates: Vec<Expr>) -> Result<DataFrame> {
        // An aggregate call at the top (its arguments are checked by `resolve_aggregate`, which
        // refuses nested aggregates as Spark does) takes the plain path.
        if !aggregates.iter().all(is_aggregate_call) {
            return self.agg_expressions(&aggregates);
        }
        let input = self.df.schema();
        let resolved = aggregates.iter().map(|a| resolve_aggregate(a, &input)).collect::<Result<Vec<_>>>()?;
        self.build(resolved, aggregates)
    }

    /// `agg` with expressions over aggregates: the aggregate calls are computed by a plain
    /// aggregation, then each expression is evaluated over its output, named as Spark names it.
    fn agg_expressions(&self, exprs: &[Expr]) -> Result<DataFrame> {
        let uses: Vec<&Expr> = exprs.iter().collect();
        let aggregation = Aggregation::build(&self.df, self.keys.clone(), &uses)?;
        let output = aggregation.df.columns();
        let mut select: Vec<Expr> =
            output.iter().take(self.keys.len()).map(|name| Expr::col(&streamlab_expr::types::quote(name))).collect();
        for e in exprs {
            let rewritten = aggregation.rewrite(e);
            aggregation.check(&rewritten)?;
            select.push(match (e, aggregation.item_name(e)) {
                (Expr::Alias(..), _) => rewritten,
                (_, Some(name)) => rewritten.alias(&name),
                (_, None) => rewritten,
            });
        }
        aggregation.df.select(select)
    }

    /// `count()`: a column named `count`.
    pub fn count(&self) -> Result<DataFrame> {
        let expr = Expr::call("count", vec![Expr::lit(1)]);
        let resolved = resolve_aggregate(&expr, &self.df.schema())?.with_name("count");
        self.build(vec![resolved], vec![expr])
    }

    /// `sum/avg/min/max("col", ...)`: `function` over each column.
    pub fn apply(&self, function: &str, columns: &[&str]) -> Result<DataFrame> {
        let exprs = columns.iter().map(|c| Expr::call(function, vec![Expr::col(c)])).collect();
        self.agg(exprs)
    }

    fn build(&self, aggregates: Vec<streamlab_expr::aggregate::AggregateExpr>, mut source: Vec<Expr>) -> Result<DataFrame> {
        let input = self.df.schema();
        let watermark = watermark_column(self.df.plan());
        let is_watermark_column = |e: &Expr| {
            column_name(e).zip(watermark.as_ref()).is_some_and(|(c, w)| c.eq_ignore_ascii_case(w))
        };
        let mut keys = Vec::new();
        let mut fields = Vec::new();
        let mut watermark_key = None;
        for (i, key) in self.keys.iter().enumerate() {
            match key {
                Expr::Function { name, args } if name.eq_ignore_ascii_case("window") => {
                    let (spec, time) = resolve_window(args, &input)?;
                    if is_watermark_column(&spec.time_column) {
                        watermark_key = Some(i);
                    }
                    fields.push(window_field("window"));
                    keys.push(GroupKey::Window { spec, time, name: "window".into() });
                }
                other => {
                    let resolved = resolve(other, &input)?;
                    if is_watermark_column(other) {
                        watermark_key = Some(i);
                    }
                    fields.push(resolved.field());
                    keys.push(GroupKey::Expr(resolved));
                }
            }
        }
        fields.extend(aggregates.iter().map(|a| a.field()));
        source.extend(self.keys.iter().cloned());
        Ok(DataFrame::new(
            self.df.session().clone(),
            Rc::new(LogicalPlan::Aggregate {
                input: self.df.plan().clone(),
                keys,
                aggregates,
                source,
                schema: Arc::new(Schema::new(fields)),
                watermark_key,
            }),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays() {
        assert_eq!(delay_ms("10 seconds").unwrap(), 10_000);
        assert_eq!(delay_ms("1 month").unwrap(), 31 * 86_400_000);
        for bad in ["-1 year", "1 year -13 months", "1 month -40 days", "-10 seconds"] {
            let e = delay_ms(bad).unwrap_err();
            assert!(e.to_string().ends_with("should not be negative."), "{e}");
        }
    }
}
