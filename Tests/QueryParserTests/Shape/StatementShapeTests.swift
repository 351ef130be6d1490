import QueryParser
import Testing

private func col(_ name: String) -> ColumnReference { ColumnReference(name: name) }
private func col(_ qualifier: String, _ name: String) -> ColumnReference {
    ColumnReference(qualifier: qualifier, name: name)
}
private func rel(_ name: String, schema: String? = nil, alias: String? = nil) -> RelationReference {
    RelationReference(schema: schema, name: name, alias: alias)
}
private func lower(_ column: ColumnReference) -> Operand {
    .function(schema: nil, name: "lower", argument: column)
}

@Suite struct StatementShapeParameterTests {
    @Test func parametersInWhereAreValuesWithTheColumnOnTheLeft() throws {
        let shape = try QueryParser.analyze(
            "SELECT id FROM orders WHERE customer_id = $1 AND $2 < created_at AND total >= $3 AND $4 = status"
        )
        #expect(shape.kind == .select)
        #expect(shape.text == "SELECT id FROM orders WHERE customer_id = $1 AND $2 < created_at AND total >= $3 AND $4 = status")
        #expect(shape.parameterCount == 4)
        #expect(shape.target == nil)
        #expect(shape.scopes == [QueryScope(
            relations: [rel("orders")],
            predicates: [
                Predicate(operand: .column(col("customer_id")), kind: .equality, value: .parameter(1), op: "="),
                Predicate(operand: .column(col("created_at")), kind: .range, value: .parameter(2), op: ">"),
                Predicate(operand: .column(col("total")), kind: .range, value: .parameter(3), op: ">="),
                Predicate(operand: .column(col("status")), kind: .equality, value: .parameter(4), op: "="),
            ]
        )])
    }

    @Test func inListAnyAndBetweenTakeTheirFirstParameter() throws {
        let shape = try QueryParser.analyze("""
            SELECT * FROM orders
            WHERE id IN ($1, $2, $3) AND status = ANY($4) AND region = ANY(ARRAY[$5, $6])
              AND created_at BETWEEN $7 AND $8 AND kind = ANY($9::text[])
            """)
        #expect(shape.parameterCount == 9)
        #expect(shape.scopes.first?.predicates == [
            Predicate(operand: .column(col("id")), kind: .inList, value: .parameter(1), op: "IN"),
            Predicate(operand: .column(col("status")), kind: .inList, value: .parameter(4), op: "= ANY"),
            Predicate(operand: .column(col("region")), kind: .inList, value: .parameter(5), op: "= ANY"),
            Predicate(operand: .column(col("created_at")), kind: .range, value: .parameter(7), op: "BETWEEN"),
            Predicate(operand: .column(col("kind")), kind: .inList, value: .parameter(9), op: "= ANY"),
        ])
    }

    @Test func parameterCountIsTheHighestNumberAnywhere() throws {
        // The select list, function arguments, LIMIT and OFFSET hold parameters too.
        let shape = try QueryParser.analyze(
            "SELECT $5, coalesce(note, $2) FROM orders WHERE lower(email) = lower($1) LIMIT $3 OFFSET $4"
        )
        #expect(shape.parameterCount == 5)
        #expect(shape.scopes.first?.hasLimit == true)
        #expect(shape.scopes.first?.predicates == [
            Predicate(operand: lower(col("email")), kind: .equality, value: .other, op: "="),
        ])
    }

    @Test func insertValuesHasATargetAndNoScope() throws {
        let shape = try QueryParser.analyze(
            "INSERT INTO shop.orders (customer_id, total) VALUES ($1, $2), ($3, $4) RETURNING id"
        )
        #expect(shape == StatementShape(kind: .insert, text: shape.text, parameterCount: 4,
                                        target: rel("orders", schema: "shop")))
        #expect(shape.text == "INSERT INTO shop.orders (customer_id, total) VALUES ($1, $2), ($3, $4) RETURNING id")
    }

    @Test func updateSetsColumnsAndFiltersItsTarget() throws {
        let shape = try QueryParser.analyze("UPDATE orders SET status = $1, updated_at = now() WHERE id = $2")
        #expect(shape.kind == .update)
        #expect(shape.target == rel("orders"))
        #expect(shape.updatedColumns == ["status", "updated_at"])
        #expect(shape.parameterCount == 2)
        #expect(shape.scopes == [QueryScope(
            relations: [rel("orders")],
            predicates: [Predicate(operand: .column(col("id")), kind: .equality, value: .parameter(2), op: "=")]
        )])
    }

    @Test func typedParameterLiteralsBecomeCasts() throws {
        let sql = "SELECT * FROM events WHERE created_at > now() - interval $1 AND day <= DATE $2 AND at < timestamp with time zone $3"
        let shape = try QueryParser.analyze(sql)
        #expect(shape.text == "SELECT * FROM events WHERE created_at > now() - $1::interval AND day <= $2::DATE AND at < $3::timestamp with time zone")
        #expect(shape.parameterCount == 3)
        #expect(shape.literalTypes == [1: "interval", 2: "DATE", 3: "timestamp with time zone"])
        #expect(shape.scopes.first?.predicates == [
            Predicate(operand: .column(col("created_at")), kind: .range, value: .other, op: ">"),
            Predicate(operand: .column(col("day")), kind: .range, value: .parameter(2), op: "<="),
            Predicate(operand: .column(col("at")), kind: .range, value: .parameter(3), op: "<"),
        ])
        // The rewritten text parses to the same shape and needs no further rewriting.
        let again = try QueryParser.analyze(shape.text)
        #expect(again.text == shape.text)
        #expect(again.scopes == shape.scopes)
    }

    @Test func typedLiteralRewriteKeepsQualifiersAndIsDoneOncePerLiteral() throws {
        let shape = try QueryParser.analyze(
            "UPDATE jobs SET (run_at, window_len) = (SELECT now() + interval $1 hour, interval(3) $2) WHERE id = $3"
        )
        #expect(shape.text == "UPDATE jobs SET (run_at, window_len) = (SELECT now() + $1::interval hour, $2::interval(3)) WHERE id = $3")
        #expect(shape.updatedColumns == ["run_at", "window_len"])
        // The multi-column SET's subquery is one scope although the tree repeats it per column.
        #expect(shape.scopes.count == 2)
        #expect(shape.scopes[1] == QueryScope(parent: 0))
    }

    @Test func extractOverAParameterBecomesDatePart() throws {
        // pg_stat_statements turns extract(year FROM ...) into extract($1 FROM ...), which the
        // server's grammar rejects.
        let sql = "SELECT EXTRACT($1 FROM o_orderdate), extract( $2\n  from date $3) FROM orders WHERE o_id = $4"
        let shape = try QueryParser.analyze(sql)
        #expect(shape.text == "SELECT pg_catalog.date_part($1, o_orderdate), pg_catalog.date_part( $2, $3::date) FROM orders WHERE o_id = $4")
        #expect(shape.parameterCount == 4)
        #expect(try QueryParser.analyze(shape.text).text == shape.text)
        let literal = "SELECT extract(year FROM d), pg_catalog.extract($1, d) FROM t"
        #expect(try QueryParser.analyze(literal).text == literal)
    }

    @Test func parametersInArithmeticAndCaseResultsAreMarked() throws {
        let shape = try QueryParser.analyze("""
            SELECT sum(CASE WHEN p = $1 THEN $2 ELSE $3 END) FROM t
            WHERE d BETWEEN $4 - $5 AND $6 + 1 AND q < $7 AND r = $8 || $9 AND s > date $10 + interval $11
            """)
        #expect(shape.arithmeticParameters == [2, 3, 4, 5, 6])
        #expect(shape.literalTypes == [10: "date", 11: "interval"])
    }

    @Test func textWithoutTypedLiteralsIsUnchanged() throws {
        let sql = "SELECT * FROM events WHERE created_at > now() - $1::interval AND note = 'interval $1'"
        #expect(try QueryParser.analyze(sql).text == sql)
    }
}

@Suite struct StatementShapeLiteralTests {
    @Test func constantsOfEveryKind() throws {
        let shape = try QueryParser.analyze("""
            SELECT * FROM orders
            WHERE status = 'paid' AND total > 10.5 AND qty = -5 AND stock >= - 3 AND zero = 0 AND big = 9000000000
              AND flag = true AND off = false AND note = NULL AND id IN (1, 2, 3) AND -7 < delta
              AND created_at BETWEEN '2024-01-01'::date AND '2024-02-01' AND kind = ANY(ARRAY['a', 'b'])
            """)
        #expect(shape.parameterCount == 0)
        #expect(shape.scopes.first?.predicates == [
            Predicate(operand: .column(col("status")), kind: .equality, value: .constants([.string("paid")]), op: "="),
            Predicate(operand: .column(col("total")), kind: .range, value: .constants([.number("10.5")]), op: ">"),
            Predicate(operand: .column(col("qty")), kind: .equality, value: .constants([.integer(-5)]), op: "="),
            Predicate(operand: .column(col("stock")), kind: .range, value: .constants([.integer(-3)]), op: ">="),
            Predicate(operand: .column(col("zero")), kind: .equality, value: .constants([.integer(0)]), op: "="),
            Predicate(operand: .column(col("big")), kind: .equality, value: .constants([.number("9000000000")]), op: "="),
            Predicate(operand: .column(col("flag")), kind: .equality, value: .constants([.boolean(true)]), op: "="),
            Predicate(operand: .column(col("off")), kind: .equality, value: .constants([.boolean(false)]), op: "="),
            Predicate(operand: .column(col("note")), kind: .equality, value: .constants([.null]), op: "="),
            Predicate(operand: .column(col("id")), kind: .inList,
                      value: .constants([.integer(1), .integer(2), .integer(3)]), op: "IN"),
            Predicate(operand: .column(col("delta")), kind: .range, value: .constants([.integer(-7)]), op: ">"),
            Predicate(operand: .column(col("created_at")), kind: .range,
                      value: .constants([.string("2024-01-01"), .string("2024-02-01")]), op: "BETWEEN"),
            Predicate(operand: .column(col("kind")), kind: .inList,
                      value: .constants([.string("a"), .string("b")]), op: "= ANY"),
        ])
    }

    @Test func expressionValuesAreOtherButStillRecorded() throws {
        let shape = try QueryParser.analyze(
            "SELECT * FROM events WHERE created_at > now() - interval '1 day' AND $1 + 1 = seq AND a.x < b.y + 1"
        )
        #expect(shape.scopes.first?.predicates == [
            Predicate(operand: .column(col("created_at")), kind: .range, value: .other, op: ">"),
            Predicate(operand: .column(col("seq")), kind: .equality, value: .other, op: "="),
            Predicate(operand: .column(col("a", "x")), kind: .range, value: .other, op: "<"),
        ])
    }

    @Test func castsOnTheColumnSideAreNoOperand() throws {
        let shape = try QueryParser.analyze("""
            SELECT * FROM events
            WHERE created_at::date = $1 AND date_trunc('day', created_at) = $2 AND $3 = id::text
              AND count(*) > 1 AND coalesce(a, b) = 1 AND x = y::int
            """)
        #expect(shape.scopes.first?.predicates == [
            Predicate(operand: .column(col("x")), kind: .equality, value: .other, op: "="),
        ])
    }

    @Test func lowerIsAFunctionOperandInPredicatesAndSortKeys() throws {
        let shape = try QueryParser.analyze("""
            SELECT * FROM users u
            WHERE lower(u.email) = $1 AND pg_catalog.upper(name) LIKE 'AB%' AND $2 > length(bio)
            ORDER BY lower(u.email), upper(name) DESC
            """)
        #expect(shape.scopes.first?.predicates == [
            Predicate(operand: lower(col("u", "email")), kind: .equality, value: .parameter(1), op: "="),
            Predicate(operand: .function(schema: "pg_catalog", name: "upper", argument: col("name")),
                      kind: .prefixMatch, value: .constants([.string("AB%")]), op: "LIKE"),
            Predicate(operand: .function(schema: nil, name: "length", argument: col("bio")),
                      kind: .range, value: .parameter(2), op: "<"),
        ])
        #expect(shape.scopes.first?.orderBy == [
            SortKey(operand: lower(col("u", "email"))),
            SortKey(operand: .function(schema: nil, name: "upper", argument: col("name")), descending: true),
        ])
    }
}

@Suite struct StatementShapeConditionTests {
    @Test func orSubtreesAreIgnored() throws {
        let shape = try QueryParser.analyze(
            "SELECT * FROM t WHERE a = 1 AND (b = 2 OR c = 3) AND (d = 4 AND (e = 5 OR (f = 6 AND g = 7)))"
        )
        #expect(shape.scopes.first?.predicates.map(\.operand) == [.column(col("a")), .column(col("d"))])
        #expect(try QueryParser.analyze("SELECT * FROM t WHERE a = 1 OR b = 2").scopes.first?.predicates == [])
    }

    @Test func predicatesEveryOrArmHasCount() throws {
        // TPC-H's query 19: the join key is repeated in each arm, and the planner factors it out.
        let shape = try QueryParser.analyze("""
            SELECT * FROM lineitem, part
            WHERE (p_partkey = l_partkey AND p_brand = $1 AND l_quantity >= $2)
               OR (l_quantity >= $3 AND p_partkey = l_partkey AND p_brand = $4)
               OR (p_partkey = l_partkey AND (l_quantity >= $5 OR p_size = 1))
            """)
        #expect(shape.scopes.first?.predicates == [
            Predicate(operand: .column(col("p_partkey")), kind: .equality, value: .column(col("l_partkey")), op: "=")
        ])
    }

    @Test func booleanColumnsNullTestsAndTruthTests() throws {
        let shape = try QueryParser.analyze("""
            SELECT * FROM accounts
            WHERE active AND NOT archived AND NOT (kind = 1) AND deleted_at IS NULL AND email IS NOT NULL
              AND verified IS TRUE AND banned IS FALSE AND trusted IS NOT TRUE AND lower(nick) IS NULL
            """)
        #expect(shape.scopes.first?.predicates == [
            Predicate(operand: .column(col("active")), kind: .isTrue, op: ""),
            Predicate(operand: .column(col("archived")), kind: .isFalse, op: "NOT"),
            Predicate(operand: .column(col("deleted_at")), kind: .isNull, op: "IS NULL"),
            Predicate(operand: .column(col("email")), kind: .isNotNull, op: "IS NOT NULL"),
            Predicate(operand: .column(col("verified")), kind: .isTrue, op: "IS TRUE"),
            Predicate(operand: .column(col("banned")), kind: .isFalse, op: "IS FALSE"),
            Predicate(operand: lower(col("nick")), kind: .isNull, op: "IS NULL"),
        ])
    }

    @Test(arguments: [
        ("name LIKE 'abc%'", [Predicate(operand: .column(col("name")), kind: .prefixMatch,
                                        value: .constants([.string("abc%")]), op: "LIKE")]),
        ("name LIKE $1", [Predicate(operand: .column(col("name")), kind: .prefixMatch, value: .parameter(1), op: "LIKE")]),
        ("name LIKE $1::text", [Predicate(operand: .column(col("name")), kind: .prefixMatch, value: .parameter(1), op: "LIKE")]),
        ("name LIKE '%abc'", []),
        ("name LIKE 'a%c%'", []),
        ("name LIKE 'a_c%'", []),
        ("name LIKE '%'", []),
        ("name LIKE 'abc'", []),
        ("name LIKE 'abc%' ESCAPE '!'", []),
        ("name NOT LIKE 'abc%'", []),
        ("name ILIKE 'abc%'", []),
        ("name ~~* 'abc%'", []),
        ("name LIKE other_column", []),
    ] as [(String, [Predicate])])
    func likeServesOnlyLiteralPrefixes(condition: String, expected: [Predicate]) throws {
        #expect(try QueryParser.analyze("SELECT * FROM people WHERE \(condition)").scopes.first?.predicates == expected)
    }

    @Test(arguments: [
        "a <> 1", "a != $1", "a NOT IN (1, 2)", "a <> ALL($1)", "a NOT BETWEEN 1 AND 2", "a BETWEEN SYMMETRIC 1 AND 2",
        "a > ANY($1)", "a IS DISTINCT FROM 1", "a @> $1", "NOT (a = 1)", "a IS NOT FALSE", "EXISTS (SELECT 1)",
        "a NOT IN (SELECT 1)", "$1 = $2", "(a, b) = ($1, $2)",
    ])
    func conditionsAnIndexCannotServeGiveNoPredicate(condition: String) throws {
        let shape = try QueryParser.analyze("SELECT * FROM t WHERE \(condition)")
        #expect(shape.scopes.first?.predicates == [])
    }
}

@Suite struct StatementShapeFromTests {
    @Test func joinsWithSeveralKeysAndAliases() throws {
        let shape = try QueryParser.analyze("""
            SELECT * FROM orders o
            JOIN customers c ON c.id = o.customer_id AND c.region = o.region
            LEFT JOIN shipments AS s ON s.order_id = o.id AND s.kind = 'express'
            WHERE o.status = $1
            """)
        #expect(shape.scopes == [QueryScope(
            relations: [rel("orders", alias: "o"), rel("customers", alias: "c"), rel("shipments", alias: "s")],
            predicates: [
                Predicate(operand: .column(col("c", "id")), kind: .equality, value: .column(col("o", "customer_id")), op: "="),
                Predicate(operand: .column(col("c", "region")), kind: .equality, value: .column(col("o", "region")), op: "="),
                Predicate(operand: .column(col("s", "order_id")), kind: .equality, value: .column(col("o", "id")), op: "="),
                Predicate(operand: .column(col("s", "kind")), kind: .equality, value: .constants([.string("express")]), op: "="),
                Predicate(operand: .column(col("o", "status")), kind: .equality, value: .parameter(1), op: "="),
            ]
        )])
    }

    @Test func usingQualifiesWithTheNearestRelationOnEachSide() throws {
        let shape = try QueryParser.analyze("""
            SELECT * FROM orders
            JOIN order_items oi USING (order_id)
            JOIN shop.products p USING (product_id, sku)
            """)
        #expect(shape.scopes.first?.relations == [rel("orders"), rel("order_items", alias: "oi"),
                                                  rel("products", schema: "shop", alias: "p")])
        #expect(shape.scopes.first?.predicates == [
            Predicate(operand: .column(col("orders", "order_id")), kind: .equality,
                      value: .column(col("oi", "order_id")), op: "="),
            Predicate(operand: .column(col("oi", "product_id")), kind: .equality,
                      value: .column(col("p", "product_id")), op: "="),
            Predicate(operand: .column(col("oi", "sku")), kind: .equality, value: .column(col("p", "sku")), op: "="),
        ])
    }

    @Test func naturalAndCrossJoinsHaveNoPredicatesAndJoinAliasesAreDerived() throws {
        let shape = try QueryParser.analyze(
            "SELECT * FROM a NATURAL JOIN b CROSS JOIN c JOIN (d JOIN e USING (k)) AS j ON j.k = a.k"
        )
        #expect(shape.scopes == [QueryScope(
            relations: [rel("a"), rel("b"), rel("c"), rel("d"), rel("e")],
            derivedNames: ["j"],
            predicates: [
                Predicate(operand: .column(col("d", "k")), kind: .equality, value: .column(col("e", "k")), op: "="),
                Predicate(operand: .column(col("j", "k")), kind: .equality, value: .column(col("a", "k")), op: "="),
            ]
        )])
    }

    @Test func quotedSchemaQualifiedAndReservedIdentifiersKeepTheirSpelling() throws {
        let shape = try QueryParser.analyze(#"""
            SELECT oi."Weird ""Col""" FROM shop."Order Items" AS oi
            JOIN "order" ON "order".id = oi.order_id
            JOIN shop.orders ON shop.orders.id = oi."café"
            WHERE oi."Weird ""Col""" = $1 AND "order"."Ünïcode" IS NULL
            ORDER BY "order"."order"
            """#)
        let scope = try #require(shape.scopes.first)
        #expect(scope.relations == [rel("Order Items", schema: "shop", alias: "oi"), rel("order"),
                                    rel("orders", schema: "shop")])
        #expect(scope.predicates == [
            Predicate(operand: .column(col("order", "id")), kind: .equality, value: .column(col("oi", "order_id")), op: "="),
            Predicate(operand: .column(col("orders", "id")), kind: .equality, value: .column(col("oi", "café")), op: "="),
            Predicate(operand: .column(col("oi", #"Weird "Col""#)), kind: .equality, value: .parameter(1), op: "="),
            Predicate(operand: .column(col("order", "Ünïcode")), kind: .isNull, op: "IS NULL"),
        ])
        #expect(scope.orderBy == [SortKey(operand: .column(col("order", "order")))])
    }

    @Test func functionsInFromAreDerivedNames() throws {
        let shape = try QueryParser.analyze("""
            SELECT * FROM events e, generate_series(1, (SELECT max(n) FROM limits)) AS g(n), unnest($1::int[]),
                 ROWS FROM (f(), h())
            WHERE e.kind = g.n
            """)
        #expect(shape.scopes == [
            QueryScope(
                relations: [rel("events", alias: "e")],
                derivedNames: ["g", "unnest"],
                predicates: [Predicate(operand: .column(col("e", "kind")), kind: .equality, value: .column(col("g", "n")), op: "=")]
            ),
            QueryScope(parent: 0, relations: [rel("limits")]),
        ])
    }

    @Test func sampledTablesAreRelations() throws {
        let shape = try QueryParser.analyze(
            "SELECT * FROM orders o TABLESAMPLE SYSTEM (1) JOIN customers TABLESAMPLE BERNOULLI (5) USING (customer_id)"
        )
        #expect(shape.scopes == [QueryScope(
            relations: [rel("orders", alias: "o"), rel("customers")],
            predicates: [Predicate(operand: .column(col("o", "customer_id")), kind: .equality,
                                   value: .column(col("customers", "customer_id")), op: "=")]
        )])
    }
}

@Suite struct StatementShapeScopeTests {
    @Test func cteNamedLikeATableShadowsItOnlyAfterItsDefinition() throws {
        let shape = try QueryParser.analyze("""
            WITH orders AS (SELECT * FROM orders WHERE status = $1)
            SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id JOIN public.orders p ON p.id = o.id
            """)
        #expect(shape.scopes == [
            QueryScope(
                relations: [rel("customers", alias: "c"), rel("orders", schema: "public", alias: "p")],
                derivedNames: ["o"],
                predicates: [
                    Predicate(operand: .column(col("c", "id")), kind: .equality, value: .column(col("o", "customer_id")), op: "="),
                    Predicate(operand: .column(col("p", "id")), kind: .equality, value: .column(col("o", "id")), op: "="),
                ]
            ),
            QueryScope(
                relations: [rel("orders")],
                predicates: [Predicate(operand: .column(col("status")), kind: .equality, value: .parameter(1), op: "=")]
            ),
        ])
    }

    @Test func ctesSeeOnlyEarlierCTEsUnlessRecursive() throws {
        let plain = try QueryParser.analyze("WITH a AS (SELECT * FROM b), b AS (SELECT * FROM a) SELECT * FROM b, a")
        #expect(plain.scopes.map(\.relations) == [[], [rel("b")], []])
        #expect(plain.scopes.map(\.derivedNames) == [["b", "a"], [], ["a"]])
        #expect(plain.scopes.map(\.parent) == [nil, nil, nil])

        let recursive = try QueryParser.analyze("WITH RECURSIVE a AS (SELECT * FROM b), b AS (SELECT * FROM t) SELECT * FROM a")
        #expect(recursive.scopes.map(\.relations) == [[], [], [rel("t")]])
        #expect(recursive.scopes.map(\.derivedNames) == [["a"], ["b"], []])
    }

    @Test func recursiveCTEIsASetOperationOverItself() throws {
        let shape = try QueryParser.analyze("""
            WITH RECURSIVE tree AS (
                SELECT id, parent_id FROM categories WHERE id = $1
                UNION ALL
                SELECT c.id, c.parent_id FROM categories c JOIN tree t ON c.parent_id = t.id
            )
            SELECT * FROM tree
            """)
        #expect(shape.scopes == [
            QueryScope(derivedNames: ["tree"]),
            QueryScope(),
            QueryScope(
                parent: 1, relations: [rel("categories")],
                predicates: [Predicate(operand: .column(col("id")), kind: .equality, value: .parameter(1), op: "=")]
            ),
            QueryScope(
                parent: 1, relations: [rel("categories", alias: "c")], derivedNames: ["t"],
                predicates: [Predicate(operand: .column(col("c", "parent_id")), kind: .equality,
                                       value: .column(col("t", "id")), op: "=")]
            ),
        ])
    }

    @Test func correlatedSublinksHaveTheirEnclosingScopeAsParent() throws {
        let shape = try QueryParser.analyze("""
            WITH vip AS (SELECT customer_id FROM loyalty WHERE tier = 'gold')
            SELECT c.id FROM customers c
            WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = $1)
              AND c.id IN (SELECT customer_id FROM vip v)
              AND c.tier = (SELECT max(tier) FROM tiers WHERE tiers.region = c.region)
            """)
        #expect(shape.scopes.count == 5)
        #expect(shape.scopes.map(\.parent) == [nil, nil, 0, 0, 0])
        #expect(shape.scopes.map(\.relations) == [
            [rel("customers", alias: "c")], [rel("loyalty")], [rel("orders", alias: "o")], [], [rel("tiers")],
        ])
        #expect(shape.scopes[3].derivedNames == ["v"])
        #expect(shape.scopes[0].predicates == [
            Predicate(operand: .column(col("c", "id")), kind: .inList, value: .other, op: "IN"),
            Predicate(operand: .column(col("c", "tier")), kind: .equality, value: .other, op: "="),
        ])
        #expect(shape.scopes[2].predicates == [
            Predicate(operand: .column(col("o", "customer_id")), kind: .equality, value: .column(col("c", "id")), op: "="),
            Predicate(operand: .column(col("o", "status")), kind: .equality, value: .parameter(1), op: "="),
        ])
    }

    @Test func subqueriesInFromAndLateral() throws {
        let shape = try QueryParser.analyze("""
            SELECT * FROM (SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id) s
            JOIN customers c ON c.id = s.customer_id,
            LATERAL (SELECT * FROM orders o WHERE o.customer_id = c.id ORDER BY o.created_at DESC LIMIT 3) recent
            """)
        #expect(shape.scopes == [
            QueryScope(
                relations: [rel("customers", alias: "c")], derivedNames: ["s", "recent"],
                predicates: [Predicate(operand: .column(col("c", "id")), kind: .equality,
                                       value: .column(col("s", "customer_id")), op: "=")]
            ),
            QueryScope(parent: 0, relations: [rel("orders")], groupBy: [.column(col("customer_id"))]),
            QueryScope(
                parent: 0, relations: [rel("orders", alias: "o")],
                predicates: [Predicate(operand: .column(col("o", "customer_id")), kind: .equality,
                                       value: .column(col("c", "id")), op: "=")],
                orderBy: [SortKey(operand: .column(col("o", "created_at")), descending: true)],
                hasLimit: true
            ),
        ])
    }

    @Test func nestedLevelsFollowClauseOrderInPreOrder() throws {
        let shape = try QueryParser.analyze("""
            WITH w AS (SELECT * FROM cte_table)
            SELECT (SELECT 1 FROM select_list), x.*
            FROM (SELECT * FROM from_table WHERE EXISTS (SELECT 1 FROM nested_in_from)) x
            JOIN joined j ON j.id IN (SELECT id FROM join_condition)
            WHERE x.a = (SELECT 1 FROM where_first) OR x.b IN (SELECT 1 FROM where_second)
            GROUP BY 1 HAVING count(*) > (SELECT 1 FROM having_clause)
            """)
        #expect(shape.scopes.map { $0.relations.map(\.name) } == [
            ["joined"], ["cte_table"], ["select_list"], ["from_table"], ["nested_in_from"], ["join_condition"],
            ["where_first"], ["where_second"], ["having_clause"],
        ])
        #expect(shape.scopes.map(\.parent) == [nil, nil, 0, 0, 3, 0, 0, 0, 0])
    }

    @Test func sublinksInEveryClauseAreScopes() throws {
        let shape = try QueryParser.analyze("""
            SELECT DISTINCT ON ((SELECT 1 FROM in_distinct)) a FROM t
            WHERE (SELECT 1 FROM in_tested) IN (SELECT 1 FROM in_subselect)
            GROUP BY (SELECT 1 FROM in_group)
            WINDOW w AS (PARTITION BY (SELECT 1 FROM in_window))
            ORDER BY (SELECT 1 FROM in_order) OFFSET (SELECT 1 FROM in_offset) LIMIT (SELECT 1 FROM in_limit)
            """)
        #expect(shape.scopes.map { $0.relations.map(\.name) } == [
            ["t"], ["in_distinct"], ["in_tested"], ["in_subselect"], ["in_group"], ["in_window"], ["in_order"], ["in_offset"], ["in_limit"],
        ])
        #expect(shape.scopes.dropFirst().allSatisfy { $0.parent == 0 })

        let values = try QueryParser.analyze("VALUES (1, (SELECT max(id) FROM in_values WHERE k = $1))")
        #expect(values.scopes == [
            QueryScope(),
            QueryScope(parent: 0, relations: [rel("in_values")],
                       predicates: [Predicate(operand: .column(col("k")), kind: .equality, value: .parameter(1), op: "=")]),
        ])
    }

    @Test func sublinksInInsertValuesStandAlone() throws {
        let shape = try QueryParser.analyze(
            "INSERT INTO orders (customer_id, total) VALUES ((SELECT id FROM customers WHERE email = $1), $2)"
        )
        #expect(shape.target == rel("orders"))
        #expect(shape.scopes == [QueryScope(
            relations: [rel("customers")],
            predicates: [Predicate(operand: .column(col("email")), kind: .equality, value: .parameter(1), op: "=")]
        )])
    }

    @Test func deleteSeesItsCTEs() throws {
        let shape = try QueryParser.analyze(
            "WITH stale AS (SELECT id FROM orders WHERE closed) DELETE FROM orders WHERE id IN (SELECT id FROM stale s)"
        )
        #expect(shape.scopes == [
            QueryScope(relations: [rel("orders")],
                       predicates: [Predicate(operand: .column(col("id")), kind: .inList, value: .other, op: "IN")]),
            QueryScope(relations: [rel("orders")],
                       predicates: [Predicate(operand: .column(col("closed")), kind: .isTrue, op: "")]),
            QueryScope(parent: 0, derivedNames: ["s"]),
        ])
    }

    @Test func unionBranchesAreScopesUnderAnEmptyLevel() throws {
        let shape = try QueryParser.analyze("""
            SELECT id FROM a WHERE x = $1 UNION ALL SELECT id FROM b WHERE y = $2 ORDER BY id DESC LIMIT 10
            """)
        #expect(shape.scopes == [
            QueryScope(orderBy: [SortKey(operand: .column(col("id")), descending: true)], hasLimit: true),
            QueryScope(parent: 0, relations: [rel("a")],
                       predicates: [Predicate(operand: .column(col("x")), kind: .equality, value: .parameter(1), op: "=")]),
            QueryScope(parent: 0, relations: [rel("b")],
                       predicates: [Predicate(operand: .column(col("y")), kind: .equality, value: .parameter(2), op: "=")]),
        ])
    }

    @Test func nestedSetOperationsInASublink() throws {
        let shape = try QueryParser.analyze("""
            SELECT * FROM t WHERE t.id IN (SELECT id FROM a INTERSECT SELECT id FROM b EXCEPT SELECT id FROM c WHERE c.k = t.k)
            """)
        #expect(shape.scopes.map { $0.relations.map(\.name) } == [["t"], [], [], ["a"], ["b"], ["c"]])
        #expect(shape.scopes.map(\.parent) == [nil, 0, 1, 2, 2, 1])
    }

    @Test func insertSelectPutsTheSelectFirstThenTheInsertsCTEs() throws {
        let shape = try QueryParser.analyze("""
            WITH recent AS (SELECT * FROM orders WHERE created_at > $1)
            INSERT INTO archive AS a (id, total)
            SELECT r.id, r.total FROM recent r JOIN customers c ON c.id = r.customer_id WHERE c.closed
            ON CONFLICT (id) DO UPDATE SET total = excluded.total WHERE a.total < $2
            """)
        #expect(shape.kind == .insert)
        #expect(shape.target == rel("archive", alias: "a"))
        #expect(shape.parameterCount == 2)
        #expect(shape.scopes == [
            QueryScope(
                relations: [rel("customers", alias: "c")], derivedNames: ["r"],
                predicates: [
                    Predicate(operand: .column(col("c", "id")), kind: .equality, value: .column(col("r", "customer_id")), op: "="),
                    Predicate(operand: .column(col("c", "closed")), kind: .isTrue, op: ""),
                ]
            ),
            QueryScope(
                relations: [rel("orders")],
                predicates: [Predicate(operand: .column(col("created_at")), kind: .range, value: .parameter(1), op: ">")]
            ),
        ])
    }

    @Test func dataModifyingCTEsAreScopes() throws {
        let shape = try QueryParser.analyze("""
            WITH moved AS (DELETE FROM queue q WHERE q.run_at < $1 RETURNING *)
            INSERT INTO archive SELECT * FROM moved
            """)
        #expect(shape.target == rel("archive"))
        #expect(shape.scopes == [
            QueryScope(derivedNames: ["moved"]),
            QueryScope(
                relations: [rel("queue", alias: "q")],
                predicates: [Predicate(operand: .column(col("q", "run_at")), kind: .range, value: .parameter(1), op: "<")]
            ),
        ])
    }

    @Test func updateFromAndDeleteUsingShareTheOuterScope() throws {
        let update = try QueryParser.analyze("""
            UPDATE shop.orders o SET status = 'late', note = (SELECT text FROM notes n WHERE n.id = o.note_id)
            FROM customers c WHERE c.id = o.customer_id AND o.due < now()
            """)
        #expect(update.target == rel("orders", schema: "shop", alias: "o"))
        #expect(update.updatedColumns == ["status", "note"])
        #expect(update.scopes == [
            QueryScope(
                relations: [rel("orders", schema: "shop", alias: "o"), rel("customers", alias: "c")],
                predicates: [
                    Predicate(operand: .column(col("c", "id")), kind: .equality, value: .column(col("o", "customer_id")), op: "="),
                    Predicate(operand: .column(col("o", "due")), kind: .range, value: .other, op: "<"),
                ]
            ),
            QueryScope(
                parent: 0, relations: [rel("notes", alias: "n")],
                predicates: [Predicate(operand: .column(col("n", "id")), kind: .equality, value: .column(col("o", "note_id")), op: "=")]
            ),
        ])

        let delete = try QueryParser.analyze("DELETE FROM orders USING customers c WHERE c.id = orders.customer_id AND c.banned")
        #expect(delete.kind == .delete)
        #expect(delete.target == rel("orders"))
        #expect(delete.updatedColumns == [])
        #expect(delete.scopes == [QueryScope(
            relations: [rel("orders"), rel("customers", alias: "c")],
            predicates: [
                Predicate(operand: .column(col("c", "id")), kind: .equality, value: .column(col("orders", "customer_id")), op: "="),
                Predicate(operand: .column(col("c", "banned")), kind: .isTrue, op: ""),
            ]
        )])
    }
}

@Suite struct StatementShapeOrderingTests {
    @Test func sortDirectionsAndNulls() throws {
        let shape = try QueryParser.analyze(
            "SELECT * FROM t ORDER BY a DESC NULLS LAST, b NULLS FIRST, c ASC, d DESC"
        )
        #expect(shape.scopes.first?.orderBy == [
            SortKey(operand: .column(col("a")), descending: true, nullsFirst: false),
            SortKey(operand: .column(col("b")), descending: false, nullsFirst: true),
            SortKey(operand: .column(col("c"))),
            SortKey(operand: .column(col("d")), descending: true),
        ])
    }

    @Test func ordinalsAndOutputNamesStandForSelectListEntries() throws {
        let shape = try QueryParser.analyze("""
            SELECT u.name AS customer, lower(u.email) AS mail, count(*) AS n FROM users u
            GROUP BY 1, 2, u.region ORDER BY mail, 1 DESC, u.region, n DESC, u.id
            """)
        let scope = try #require(shape.scopes.first)
        #expect(scope.orderBy == [
            SortKey(operand: lower(col("u", "email"))),
            SortKey(operand: .column(col("u", "name")), descending: true),
            SortKey(operand: .column(col("u", "region"))),
        ])
        #expect(scope.groupBy == [.column(col("u", "name")), lower(col("u", "email")), .column(col("u", "region"))])
    }

    @Test func anUnusableKeyEndsTheSortKeys() throws {
        let shape = try QueryParser.analyze("SELECT *, a + b AS s FROM t ORDER BY created_at, total * 2, id")
        #expect(shape.scopes.first?.orderBy == [SortKey(operand: .column(col("created_at")))])
        for sql in [
            "SELECT * FROM t ORDER BY 1, id", "SELECT a, b FROM t ORDER BY 3, id", "SELECT a + b AS s FROM t ORDER BY s, id",
            "SELECT * FROM t ORDER BY id USING <, name", "SELECT * FROM t ORDER BY sum(x) OVER (), id",
            "SELECT * FROM t ORDER BY count(DISTINCT x), id", "SELECT * FROM t ORDER BY max(x) FILTER (WHERE y), id",
            "SELECT * FROM t ORDER BY array_agg(x ORDER BY y), id", "SELECT * FROM t ORDER BY concat(VARIADIC x), id",
        ] {
            #expect(try QueryParser.analyze(sql).scopes.first?.orderBy == [], "\(sql)")
        }
    }

    @Test func groupByKeepsOnlyOperands() throws {
        let shape = try QueryParser.analyze("""
            SELECT region FROM t GROUP BY region, date_trunc('day', created_at), lower(email), ROLLUP (kind), 9
            """)
        #expect(shape.scopes.first?.groupBy == [.column(col("region")), lower(col("email"))])
    }

    @Test(arguments: [
        ("SELECT * FROM t LIMIT 10", true),
        ("SELECT * FROM t LIMIT $1", true),
        ("SELECT * FROM t FETCH FIRST 5 ROWS ONLY", true),
        ("SELECT * FROM t FETCH FIRST ROW ONLY", true),
        ("SELECT * FROM t LIMIT ALL", false),
        ("SELECT * FROM t LIMIT NULL", false),
        ("SELECT * FROM t OFFSET 5", false),
        ("SELECT * FROM t", false),
    ])
    func limit(sql: String, hasLimit: Bool) throws {
        #expect(try QueryParser.analyze(sql).scopes.first?.hasLimit == hasLimit)
    }
}

@Suite struct StatementShapeStatementTests {
    @Test(arguments: [
        ("VACUUM (ANALYZE) orders", "VacuumStmt"),
        ("CREATE INDEX CONCURRENTLY ON orders (created_at)", "IndexStmt"),
        ("SET search_path = shop", "VariableSetStmt"),
        ("EXPLAIN SELECT * FROM orders WHERE id = $1", "ExplainStmt"),
        ("CREATE TABLE report AS SELECT * FROM orders", "CreateTableAsStmt"),
        ("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", "MergeStmt"),
    ])
    func utilityStatementsHaveNoScopes(sql: String, node: String) throws {
        let shape = try QueryParser.analyze(sql)
        #expect(shape.kind == .utility(node))
        #expect(shape.scopes.isEmpty)
        #expect(shape.target == nil)
        #expect(shape.text == sql)
    }

    @Test func explainCountsItsParameters() throws {
        #expect(try QueryParser.analyze("EXPLAIN SELECT * FROM orders WHERE id = $2").parameterCount == 2)
    }

    @Test func aTrailingSemicolonIsOneStatement() throws {
        #expect(try QueryParser.analyze("SELECT 1;").kind == .select)
    }

    @Test func severalStatementsAreRefused() {
        let error = #expect(throws: ParseError.self) { try QueryParser.analyze("SET search_path = shop; SELECT 1") }
        #expect(error == ParseError(message: "query text holds 2 statements: give one at a time"))
    }

    @Test(arguments: ["", "  \n", "-- only a comment", ";"])
    func emptyTextIsRefused(sql: String) {
        let error = #expect(throws: ParseError.self) { try QueryParser.analyze(sql) }
        #expect(error == ParseError(message: "query text holds no statement"))
    }

    @Test(arguments: [
        // PostgreSQL 16: IS JSON; PostgreSQL 17: MERGE ... RETURNING.
        ("SELECT 1 IS JSON", #"syntax error at or near "JSON" (at character 13)"#),
        ("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE RETURNING *",
         #"syntax error at or near "RETURNING" (at character 62)"#),
        ("foo bar", #"syntax error at or near "foo" (at character 1)"#),
        ("SELECT * FROM orders WHERE", "syntax error at end of input (at character 27)"),
    ])
    func textTheGrammarRejectsThrowsTheParsersMessage(sql: String, description: String) {
        let error = #expect(throws: ParseError.self) { try QueryParser.analyze(sql) }
        #expect(error?.description == description)
    }

    @Test func analyzesConcurrently() async throws {
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 1...32 {
                group.addTask { try QueryParser.analyze("SELECT * FROM t WHERE a = $\(i) AND b IN ($1)").parameterCount }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts.sorted() == Array(1...32))
    }
}
