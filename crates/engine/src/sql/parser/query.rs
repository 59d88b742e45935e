//! Queries: WITH, SELECT blocks, set operations (parsed, refused later), FROM with joins,
//! WHERE, GROUP BY, HAVING, ORDER BY and LIMIT. Clauses of Spark or other dialects that
//! StreamLab does not run are refused where they start.

use streamlab_types::Result;

use super::super::ast::{
    Cte, Expr, FromItem, Ident, Join, JoinConstraint, Limit, OrderItem, Query, QueryBody, Relation, Select, SelectItem,
};
use super::super::lexer::Kind;
use super::Parser;

/// Clauses after FROM ... GROUP BY that StreamLab does not run.
const OTHER_CLAUSES: [&str; 6] = ["LATERAL", "CLUSTER", "DISTRIBUTE", "SORT", "WINDOW", "QUALIFY"];

impl Parser<'_, '_> {
    /// Whether a query starts `n` tokens from here.
    pub(super) fn starts_query_at(&self, n: usize) -> bool {
        self.is_word_at(n, "SELECT") || self.is_word_at(n, "WITH") || self.is_word_at(n, "VALUES") || matches!(self.peek_at(n).kind, Kind::Op("("))
    }

    pub(super) fn query(&mut self) -> Result<Query> {
        self.nested(Self::query_inner)
    }

    fn query_inner(&mut self) -> Result<Query> {
        let start = self.peek().start;
        let ctes = if self.is_word("WITH") { self.with()? } else { Vec::new() };
        let body = self.query_body()?;
        let order_by = if self.eat_word("ORDER") {
            self.expect_word("BY")?;
            self.comma_separated(Self::order_item)?
        } else {
            Vec::new()
        };
        let limit = if self.eat_word("LIMIT") {
            Some(if self.eat_word("ALL") { Limit::All } else { Limit::Count(self.expr()?) })
        } else {
            None
        };
        if self.is_word("OFFSET") {
            return Err(self.sql.unsupported(self.peek().start, "OFFSET"));
        }
        Ok(Query { start, ctes, body, order_by, limit })
    }

    /// `WITH name [AS] (query), ...`.
    fn with(&mut self) -> Result<Vec<Cte>> {
        let with = self.bump();
        if self.is_word("RECURSIVE") {
            return Err(self.sql.unsupported(with.start, "WITH RECURSIVE"));
        }
        self.comma_separated(Self::cte)
    }

    /// `name [AS] (query)`.
    fn cte(&mut self) -> Result<Cte> {
        let name = self.ident()?;
        if self.is_op("(") && !self.starts_query_at(1) {
            return Err(self.sql.unsupported(name.start, "column names of a WITH query"));
        }
        self.eat_word("AS");
        self.expect_op("(")?;
        let query = self.query()?;
        self.expect_op(")")?;
        Ok(Cte { name, query })
    }

    /// A SELECT block or a parenthesized query, and any set operations after it.
    fn query_body(&mut self) -> Result<QueryBody> {
        let mut body = self.query_term()?;
        let operations = ["UNION", "EXCEPT", "INTERSECT", "MINUS"];
        while let Some(op) = operations.iter().find(|op| self.is_word(op)) {
            self.bump();
            let quantifier = ["ALL", "DISTINCT"].iter().find(|q| self.is_word(q)).map_or("", |q| *q);
            if !quantifier.is_empty() {
                self.bump();
            }
            self.query_term()?;
            body = QueryBody::SetOperation { what: format!("{op} {quantifier}").trim_end().to_string() };
        }
        Ok(body)
    }

    fn query_term(&mut self) -> Result<QueryBody> {
        if self.eat_op("(") {
            let inner = self.query()?;
            self.expect_op(")")?;
            return Ok(QueryBody::Nested(Box::new(inner)));
        }
        if self.is_word("VALUES") {
            return Err(self.sql.unsupported(self.peek().start, "this query form"));
        }
        if !self.is_word("SELECT") {
            return Err(self.unexpected());
        }
        Ok(QueryBody::Select(Box::new(self.select()?)))
    }

    fn select(&mut self) -> Result<Select> {
        let select_start = self.bump().start;
        let distinct = self.eat_word("DISTINCT");
        if !distinct {
            self.eat_word("ALL");
        }
        let items = self.comma_separated(Self::select_item)?;
        let from = if self.eat_word("FROM") { self.comma_separated(Self::relation_with_joins)? } else { Vec::new() };
        let foreign = |p: &Self| OTHER_CLAUSES.iter().any(|c| p.is_word(c));
        if foreign(self) {
            return Err(self.sql.unsupported(select_start, "this SELECT clause"));
        }
        let selection = if self.eat_word("WHERE") { Some(self.expr()?) } else { None };
        let group_by = if self.eat_word("GROUP") { Some(self.group_by()?) } else { None };
        let having = if self.eat_word("HAVING") { Some(self.expr()?) } else { None };
        if foreign(self) {
            return Err(self.sql.unsupported(select_start, "this SELECT clause"));
        }
        Ok(Select { distinct, items, from, selection, group_by, having })
    }

    /// After GROUP: `BY expr, ...`; ALL, ROLLUP, CUBE and GROUPING SETS are refused.
    fn group_by(&mut self) -> Result<Vec<Expr>> {
        self.expect_word("BY")?;
        let refused = |p: &Self| ["ALL", "ROLLUP", "CUBE", "GROUPING"].iter().any(|w| p.is_word(w)) || (p.is_word("WITH") && (p.is_word_at(1, "ROLLUP") || p.is_word_at(1, "CUBE")));
        let keys = self.comma_separated(|p| {
            if refused(p) {
                return Err(p.sql.unsupported(p.peek().start, "this GROUP BY form"));
            }
            p.expr()
        })?;
        if refused(self) {
            return Err(self.sql.unsupported(self.peek().start, "this GROUP BY form"));
        }
        Ok(keys)
    }

    fn select_item(&mut self) -> Result<SelectItem> {
        if let Some(qualifier) = self.star()? {
            return Ok(SelectItem::Star { qualifier });
        }
        let start = self.peek().start;
        let expr = self.expr()?;
        let alias = if self.eat_word("AS") {
            if self.is_op("(") {
                return Err(self.sql.unsupported(start, "this select item"));
            }
            Some(self.ident()?)
        } else if self.at_implicit_alias() {
            Some(self.ident()?)
        } else {
            None
        };
        Ok(SelectItem::Expr { expr, alias })
    }

    /// `*`, `t.*` or `db.t.*` here: its qualifier.
    fn star(&mut self) -> Result<Option<Vec<Ident>>> {
        let mut n = 0;
        while matches!(self.peek_at(n).kind, Kind::Word | Kind::Quoted(_)) && matches!(self.peek_at(n + 1).kind, Kind::Op(".")) {
            n += 2;
        }
        if !matches!(self.peek_at(n).kind, Kind::Op("*")) {
            return Ok(None);
        }
        let mut qualifier = Vec::new();
        while !self.is_op("*") {
            qualifier.push(self.ident()?);
            self.expect_op(".")?;
        }
        self.bump();
        Ok(Some(qualifier))
    }

    fn order_item(&mut self) -> Result<OrderItem> {
        let expr = self.expr()?;
        let ascending = !self.eat_word("DESC");
        if ascending {
            self.eat_word("ASC");
        }
        let nulls_first = if self.eat_word("NULLS") {
            if self.eat_word("FIRST") {
                Some(true)
            } else {
                self.expect_word("LAST")?;
                Some(false)
            }
        } else {
            None
        };
        Ok(OrderItem { expr, ascending, nulls_first })
    }

    fn relation_with_joins(&mut self) -> Result<FromItem> {
        let relation = self.relation()?;
        let mut joins = Vec::new();
        while let Some(join) = self.join()? {
            joins.push(join);
        }
        Ok(FromItem { relation, joins })
    }

    /// A table or a subquery, with its alias.
    fn relation(&mut self) -> Result<Relation> {
        let start = self.peek().start;
        let relation = if self.is_op("(") {
            if !self.starts_query_at(1) {
                return Err(self.sql.unsupported(start, "this FROM item"));
            }
            self.bump();
            let query = self.query()?;
            self.expect_op(")")?;
            Relation::Derived { query: Box::new(query), alias: self.table_alias()? }
        } else if self.is_word("VALUES") {
            return Err(self.sql.unsupported(start, "this query form"));
        } else if self.is_word("LATERAL") {
            return Err(self.sql.unsupported(start, "this FROM item"));
        } else {
            let name = self.name()?;
            if self.is_op("(") {
                return Err(self.sql.unsupported(start, "this FROM item"));
            }
            Relation::Table { name, alias: self.table_alias()? }
        };
        if ["TABLESAMPLE", "PIVOT", "UNPIVOT"].iter().any(|w| self.is_word(w)) {
            return Err(self.sql.unsupported(start, "this FROM item"));
        }
        Ok(relation)
    }

    fn table_alias(&mut self) -> Result<Option<Ident>> {
        let alias = if self.eat_word("AS") || self.at_implicit_alias() { Some(self.ident()?) } else { None };
        if let (Some(a), true) = (&alias, self.is_op("(")) {
            return Err(self.sql.unsupported(a.start, "column aliases of a FROM item"));
        }
        Ok(alias)
    }

    /// The join type written before JOIN (`None` when no join follows).
    fn join_kind(&mut self) -> Option<&'static str> {
        if self.is_word("JOIN") || self.eat_word("INNER") {
            return Some("inner");
        }
        if self.eat_word("CROSS") {
            return Some("cross");
        }
        if self.eat_word("LEFT") {
            if self.eat_word("SEMI") {
                return Some("left_semi");
            }
            if self.eat_word("ANTI") {
                return Some("left_anti");
            }
            self.eat_word("OUTER");
            return Some("left");
        }
        if self.eat_word("RIGHT") {
            self.eat_word("OUTER");
            return Some("right");
        }
        if self.eat_word("FULL") {
            self.eat_word("OUTER");
            return Some("full");
        }
        if self.eat_word("SEMI") {
            return Some("left_semi");
        }
        if self.eat_word("ANTI") {
            return Some("left_anti");
        }
        None
    }

    /// The next join, if one follows.
    fn join(&mut self) -> Result<Option<Join>> {
        let natural = self.eat_word("NATURAL");
        let Some(how) = self.join_kind() else {
            return if natural { Err(self.unexpected()) } else { Ok(None) };
        };
        self.expect_word("JOIN")?;
        let start = self.peek().start;
        let relation = self.relation()?;
        if natural {
            return Err(self.sql.unsupported(start, "NATURAL JOIN and USING ... AS"));
        }
        let constraint = if self.eat_word("ON") {
            JoinConstraint::On(self.expr()?)
        } else if self.eat_word("USING") {
            self.expect_op("(")?;
            let columns = self.comma_separated(Self::ident)?;
            self.expect_op(")")?;
            JoinConstraint::Using(columns)
        } else {
            JoinConstraint::None
        };
        Ok(Some(Join { how, relation, constraint }))
    }
}
