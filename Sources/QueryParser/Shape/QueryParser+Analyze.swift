extension QueryParser {
    /// What one statement reads and how it filters, sorts and groups: the input of the index
    /// advisor.
    ///
    /// `sql` is normalized `pg_stat_statements` text (with `$n` parameters) or literal SQL, and
    /// holds exactly one statement. SELECT, INSERT, UPDATE and DELETE have scopes; any other
    /// statement, EXPLAIN included, is `.utility` with none. The shape's `text` is `sql` with each
    /// typed literal over a parameter (`interval $1`, `timestamp with time zone $2`), which
    /// libpg_query accepts but the server's grammar rejects, rewritten as a cast
    /// (`$1::interval`, `$2::timestamp with time zone`), and `extract($1 FROM d)`, whose field
    /// the server's grammar takes only as a word or string, as `pg_catalog.date_part($1, d)`.
    ///
    /// One scope per query level (a SELECT, a set operation and each of its branches, the WHERE
    /// of an UPDATE or DELETE), numbered in pre-order: every level comes before the levels nested
    /// in it and brings all of them along before the next level starts. `scopes[0]` is the
    /// statement's own level (for `INSERT ... SELECT`, the SELECT). The levels nested directly in
    /// a level follow its clauses:
    /// 1. WITH bodies, in order (for `INSERT ... SELECT`, the INSERT's before the SELECT's);
    /// 2. for a set operation, its branches left to right; otherwise sublinks in VALUES,
    ///    DISTINCT ON, the select list or UPDATE's SET, then FROM / USING items left to right
    ///    (a subquery, LATERAL or not; sublinks in function arguments and in each JOIN's ON as
    ///    the join is reached), then sublinks in WHERE, GROUP BY, HAVING and WINDOW;
    /// 3. sublinks in ORDER BY, OFFSET and LIMIT.
    ///
    /// Sublinks of one clause come in text order.
    ///
    /// `parent` is the level a subquery, LATERAL subquery or sublink stands in, and for a
    /// set-operation branch the set operation's level (which has no relations: a correlated
    /// reference resolves further up). WITH bodies, and the sublinks of an INSERT's VALUES, have
    /// none. An INSERT ... VALUES has no scope of its own.
    ///
    /// A scope's predicates come from its JOIN conditions, in join order, then from WHERE.
    /// `JOIN ... USING (c)` reads as `left.c = right.c`, each side qualified with its alias or
    /// name; a side that is itself a join is named by its last item (`a JOIN b USING (x) JOIN c
    /// USING (y)` gives `a.x = b.x` and `b.y = c.y`). A NATURAL join gives none.
    ///
    /// - Throws: ``ParseError`` with the parser's message when PostgreSQL's grammar rejects the
    ///   text, or when it holds no statement or more than one.
    public static func analyze(_ sql: String) throws(ParseError) -> StatementShape {
        let statements = try Self.statements(in: PGQuery.parse(sql))
        guard statements.count == 1, let statement = statements.first else {
            throw ParseError(message: statements.isEmpty
                ? "query text holds no statement"
                : "query text holds \(statements.count) statements: give one at a time")
        }
        let source = Array(sql.utf8)
        let parameters = ParameterScan(statement.fields.values)
        var shape = ShapeBuilder.shape(
            of: statement, text: parameters.rewritten(source) ?? sql,
            parameterCount: parameters.highest, reader: ExpressionReader(source: source)
        )
        shape.literalTypes = parameters.literalTypes(source)
        shape.arithmeticParameters = parameters.arithmeticParameters
        return shape
    }
}
