//! Column expressions as Spark resolves and evaluates them: names, types, coercions, functions, and SQL expression strings.
