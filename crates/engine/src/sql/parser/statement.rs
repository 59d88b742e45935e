//! Statements: a query, or one of the commands `spark.sql` runs (databases, temp views, DROP,
//! SHOW, DESCRIBE, USE). Other Spark statements are recognised by their first words, so the
//! error can name them; `UPDATE` and `MERGE` need their target, as Spark checks it first.

use streamlab_types::Result;

use super::super::ast::{DropKind, Statement};
use super::super::lexer::Kind;
use super::Parser;

/// Statement verbs of Spark's grammar that StreamLab does not run.
const NOT_RUN: [&str; 17] = [
    "INSERT", "DELETE", "TRUNCATE", "ALTER", "EXPLAIN", "ANALYZE", "CACHE", "UNCACHE", "CLEAR", "REFRESH", "LOAD", "MSCK",
    "ADD", "LIST", "RESET", "COMMENT", "REPLACE",
];

impl Parser<'_, '_> {
    pub(super) fn statement(&mut self) -> Result<Statement> {
        if self.is_word("SELECT") || self.is_word("WITH") || self.is_op("(") || self.is_word("VALUES") {
            return Ok(Statement::Query(self.query()?));
        }
        if self.eat_word("CREATE") {
            return self.create();
        }
        if self.eat_word("DROP") {
            return self.drop();
        }
        if self.eat_word("SHOW") {
            return self.show();
        }
        if self.eat_word("DESCRIBE") || self.eat_word("DESC") {
            return self.describe();
        }
        if self.eat_word("USE") {
            let _ = self.eat_word("DATABASE") || self.eat_word("SCHEMA") || self.eat_word("NAMESPACE");
            return Ok(Statement::Use { database: self.name()? });
        }
        if self.eat_word("UPDATE") {
            self.name()?;
            if self.at_implicit_alias() && !self.is_word("SET") {
                self.bump();
            }
            self.expect_word("SET")?;
            return self.rest(Statement::Update);
        }
        if self.eat_word("MERGE") {
            self.expect_word("INTO")?;
            self.name()?;
            return self.rest(Statement::Merge);
        }
        if NOT_RUN.iter().any(|verb| self.is_word(verb)) {
            return self.not_run();
        }
        Err(self.unexpected())
    }

    /// A statement recognised by its start whose remaining tokens StreamLab does not read:
    /// there must be some.
    fn rest(&mut self, statement: Statement) -> Result<Statement> {
        if self.peek().kind == Kind::Eof {
            return Err(self.unexpected());
        }
        self.skip_to_end();
        Ok(statement)
    }

    fn skip_to_end(&mut self) {
        while self.peek().kind != Kind::Eof {
            self.bump();
        }
    }

    /// A statement StreamLab does not run, named by its first words as the error quotes it
    /// (the verb, and for CREATE, ALTER, DROP, INSERT, SHOW, TRUNCATE and DELETE the next word).
    fn not_run(&mut self) -> Result<Statement> {
        let words: Vec<String> =
            self.tokens.iter().filter(|t| t.kind != Kind::Eof).take(2).map(|t| self.text(t).to_ascii_uppercase()).collect();
        let named = match words.as_slice() {
            [verb, next] if ["CREATE", "ALTER", "DROP", "INSERT", "SHOW", "TRUNCATE", "DELETE"].contains(&verb.as_str()) => {
                format!("{verb} {next}")
            }
            [verb, ..] => verb.clone(),
            [] => String::new(),
        };
        self.skip_to_end();
        Ok(Statement::NotRun(named))
    }

    /// `IF EXISTS` here (otherwise `IF` is a name, as Spark reads it).
    fn if_exists(&mut self) -> bool {
        let found = self.is_word("IF") && self.is_word_at(1, "EXISTS");
        if found {
            self.bump();
            self.bump();
        }
        found
    }

    /// `IF NOT EXISTS` here.
    fn if_not_exists(&mut self) -> bool {
        let found = self.is_word("IF") && self.is_word_at(1, "NOT") && self.is_word_at(2, "EXISTS");
        if found {
            self.bump();
            self.bump();
            self.bump();
        }
        found
    }

    /// After CREATE: a database or schema, a view, or a statement StreamLab does not run.
    fn create(&mut self) -> Result<Statement> {
        if self.eat_word("DATABASE") || self.eat_word("SCHEMA") {
            let if_not_exists = self.if_not_exists();
            let name = self.name()?;
            if ["COMMENT", "LOCATION", "WITH"].iter().any(|w| self.is_word(w)) {
                self.skip_to_end();
                return Ok(Statement::NotRun("CREATE DATABASE".into()));
            }
            return Ok(Statement::CreateDatabase { name, if_not_exists });
        }
        let or_replace = self.eat_word("OR");
        if or_replace {
            self.expect_word("REPLACE")?;
        }
        // A GLOBAL temporary view is one more session view here.
        self.eat_word("GLOBAL");
        let temporary = self.eat_word("TEMPORARY") || self.eat_word("TEMP");
        if !self.is_word("VIEW") {
            if self.peek().kind == Kind::Eof || or_replace {
                return Err(self.unexpected());
            }
            return self.not_run();
        }
        self.bump();
        let if_not_exists = self.if_not_exists();
        let name = self.name()?;
        let columns = self.is_op("(");
        if columns {
            self.skip_parenthesized()?;
        }
        self.expect_word("AS")?;
        let query = self.query()?;
        if !temporary || columns {
            return Err(self.sql.unsupported(name.start, "a view that is not a TEMPORARY VIEW"));
        }
        Ok(Statement::CreateTempView { name, or_replace, if_not_exists, query })
    }

    /// After DROP: a database, schema, view or table.
    fn drop(&mut self) -> Result<Statement> {
        let kind = if self.eat_word("DATABASE") || self.eat_word("SCHEMA") {
            DropKind::Database
        } else if self.eat_word("VIEW") {
            DropKind::View
        } else if self.eat_word("TABLE") {
            DropKind::Table
        } else if self.eat_word("INDEX") {
            self.if_exists();
            let name = self.name()?;
            return Err(self.sql.unsupported(name.start, "DROP INDEX"));
        } else if self.peek().kind == Kind::Eof {
            return Err(self.unexpected());
        } else {
            return self.not_run();
        };
        let if_exists = self.if_exists();
        let name = self.name()?;
        if self.is_op(",") {
            return Err(self.sql.unsupported(name.start, "dropping several objects at once"));
        }
        let cascade = self.eat_word("CASCADE");
        if !cascade {
            self.eat_word("RESTRICT");
        }
        Ok(Statement::Drop { kind, name, if_exists, cascade })
    }

    /// After SHOW: `DATABASES`/`SCHEMAS`, `TABLES [IN|FROM db]`; with a LIKE pattern or
    /// anything else, a statement StreamLab does not run.
    fn show(&mut self) -> Result<Statement> {
        let statement = if self.eat_word("DATABASES") || self.eat_word("SCHEMAS") {
            Statement::ShowDatabases
        } else if self.eat_word("TABLES") {
            let database = if self.eat_word("IN") || self.eat_word("FROM") { Some(self.name()?) } else { None };
            Statement::ShowTables { database }
        } else {
            return self.not_run();
        };
        if self.is_word("LIKE") || matches!(self.peek().kind, Kind::Str) {
            let named = if matches!(statement, Statement::ShowDatabases) { "SHOW DATABASES" } else { "SHOW TABLES" };
            self.skip_to_end();
            return Ok(Statement::NotRun(named.into()));
        }
        Ok(statement)
    }

    /// After DESCRIBE: `[TABLE] name`; the other DESCRIBE forms are not run.
    fn describe(&mut self) -> Result<Statement> {
        self.eat_word("TABLE");
        let other = ["EXTENDED", "FORMATTED", "QUERY", "DATABASE", "SCHEMA", "NAMESPACE", "FUNCTION", "CATALOG", "SELECT", "WITH"];
        if other.iter().any(|w| self.is_word(w)) {
            self.skip_to_end();
            return Ok(Statement::NotRun("DESCRIBE".into()));
        }
        Ok(Statement::Describe { table: self.name()? })
    }
}
