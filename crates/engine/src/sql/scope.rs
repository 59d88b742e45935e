//! What names a query's FROM clause brings into scope: each column of the DataFrame being built,
//! the name the user knows it by, and the relations (`t`, `e`, `db.t`) that qualify it, so that
//! `e.gt`, `t.*` and ambiguous bare names resolve as Spark resolves them.

use streamlab_expr::types::quote;
use streamlab_types::{Result, SparkError};

use crate::dataframe::DataFrame;

/// One column in scope.
#[derive(Debug, Clone)]
pub(crate) struct ScopeColumn {
    /// Its name in the DataFrame (an internal name when a join renamed it apart).
    pub(crate) name: String,
    /// The name the query uses.
    pub(crate) original: String,
    /// Relation names that qualify it (`["t"]`, `["spark_catalog", "db", "t"]`); a USING key of
    /// a join has one per side.
    pub(crate) qualifiers: Vec<Vec<String>>,
}

/// The columns a FROM clause provides, in the DataFrame's order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    pub(crate) columns: Vec<ScopeColumn>,
}

/// What a column reference found.
pub(crate) enum Lookup {
    /// The DataFrame column and the nested field path after it.
    Column(String, Vec<String>),
    /// No column of that name: resolution reports Spark's error.
    Missing,
}

/// Whether `qualifier` ends with the typed `prefix` (case-insensitive): `t` and `db.t` both
/// qualify `spark_catalog.db.t`.
fn qualifies(qualifier: &[String], prefix: &[String]) -> bool {
    prefix.len() <= qualifier.len()
        && qualifier[qualifier.len() - prefix.len()..].iter().zip(prefix).all(|(q, p)| q.eq_ignore_ascii_case(p))
}

fn quoted(parts: &[String]) -> String {
    parts.iter().map(|p| quote(p)).collect::<Vec<_>>().join(".")
}

impl Scope {
    /// Every column of `df`, qualified by `qualifier` when the relation has a name.
    pub(crate) fn of(df: &DataFrame, qualifier: Option<Vec<String>>) -> Scope {
        let qualifiers: Vec<Vec<String>> = qualifier.into_iter().collect();
        let columns = df
            .columns()
            .into_iter()
            .map(|name| ScopeColumn { original: name.clone(), name, qualifiers: qualifiers.clone() })
            .collect();
        Scope { columns }
    }

    /// Resolves a column reference written as `parts` (`gt`, `e.gt`, `db.t.gt`, `s.field`).
    ///
    /// Qualified readings are tried first, longest qualifier first, as Spark does; a name that
    /// matches columns of two relations is Spark's `AMBIGUOUS_REFERENCE`.
    pub(crate) fn lookup(&self, parts: &[String]) -> Result<Lookup> {
        let longest = parts.len().saturating_sub(1).min(3);
        for k in (0..=longest).rev() {
            let (prefix, rest) = parts.split_at(k);
            let Some((name, fields)) = rest.split_first() else { continue };
            let hits: Vec<&ScopeColumn> = self
                .columns
                .iter()
                .filter(|c| c.original.eq_ignore_ascii_case(name))
                .filter(|c| k == 0 || c.qualifiers.iter().any(|q| qualifies(q, prefix)))
                .collect();
            match hits.as_slice() {
                [] => continue,
                [one] => return Ok(Lookup::Column(one.name.clone(), fields.to_vec())),
                many => return Err(ambiguous(&parts[..=k], many)),
            }
        }
        Ok(Lookup::Missing)
    }

    /// The columns `qualifier.*` stands for (all of them for `*`); `None` when no relation has
    /// that name.
    pub(crate) fn star(&self, qualifier: &[String]) -> Option<Vec<&ScopeColumn>> {
        let hits: Vec<&ScopeColumn> = self
            .columns
            .iter()
            .filter(|c| qualifier.is_empty() || c.qualifiers.iter().any(|q| qualifies(q, qualifier)))
            .collect();
        (qualifier.is_empty() || !hits.is_empty()).then_some(hits)
    }

    /// Whether a bare name is a column in scope.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c.original.eq_ignore_ascii_case(name))
    }
}

/// Spark's `AMBIGUOUS_REFERENCE`, listing the qualified candidates.
fn ambiguous(typed: &[String], hits: &[&ScopeColumn]) -> SparkError {
    let candidates: Vec<String> = hits
        .iter()
        .map(|c| {
            let mut parts = c.qualifiers.first().cloned().unwrap_or_default();
            parts.push(c.original.clone());
            quoted(&parts)
        })
        .collect();
    SparkError::analysis(format!("Reference {} is ambiguous, could be: [{}].", quoted(typed), candidates.join(", ")))
        .with_class("AMBIGUOUS_REFERENCE")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, original: &str, qualifiers: &[&[&str]]) -> ScopeColumn {
        ScopeColumn {
            name: name.into(),
            original: original.into(),
            qualifiers: qualifiers.iter().map(|q| q.iter().map(|s| s.to_string()).collect()).collect(),
        }
    }

    fn parts(s: &str) -> Vec<String> {
        s.split('.').map(String::from).collect()
    }

    #[test]
    fn qualified_and_ambiguous_names() {
        let scope = Scope {
            columns: vec![
                column("id", "id", &[&["t"]]),
                column("x", "x", &[&["t"]]),
                column("id\u{1}1", "id", &[&["spark_catalog", "db", "u"]]),
            ],
        };
        let found = |s: &str| match scope.lookup(&parts(s)).unwrap() {
            Lookup::Column(name, fields) => Some((name, fields)),
            Lookup::Missing => None,
        };
        assert_eq!(found("t.id"), Some(("id".into(), vec![])));
        assert_eq!(found("U.ID"), Some(("id\u{1}1".into(), vec![])));
        assert_eq!(found("db.u.id"), Some(("id\u{1}1".into(), vec![])));
        assert_eq!(found("x.a"), Some(("x".into(), vec!["a".into()])));
        assert_eq!(found("nope"), None);
        let err = scope.lookup(&parts("id")).err().unwrap();
        assert_eq!(err.to_string(), "[AMBIGUOUS_REFERENCE] Reference `id` is ambiguous, could be: [`t`.`id`, `spark_catalog`.`db`.`u`.`id`].");
        assert_eq!(scope.star(&parts("u")).unwrap().len(), 1);
        assert!(scope.star(&parts("v")).is_none());
        assert_eq!(scope.star(&[]).unwrap().len(), 3);
    }
}
