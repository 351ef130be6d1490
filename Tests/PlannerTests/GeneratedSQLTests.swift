import Model
import Planner
import QueryParser
import Testing

/// Every statement the planner renders, with awkward names, read back by PostgreSQL's own parser
/// (libpg_query): it must be one statement of the intended kind that names exactly the objects
/// it was given, spelled as given.
@Suite struct GeneratedSQLTests {
    /// A statement and what its parse tree must say: the top-level node type, and for each
    /// field named, every string value of that field in the tree, in tree order.
    struct Expectation: CustomTestStringConvertible {
        let label: String
        let sql: String
        let kind: String
        let fields: [String: [String]]

        var testDescription: String { label }
    }

    /// Names that need quoting, one way or another: a double quote, spaces, capitals, non-ASCII
    /// letters, reserved and non-reserved keywords; and a plain one.
    static let names = [
        "Order \"Notes\"", "My Table", "CamelCase", "café", "日本", "select", "user", "order", "analyze", "plain_name",
    ]
    static let schemas = ["My Schema", "public", "select", "日本"]

    /// Names a naive renderer (no quoting) gets wrong: the parser rejects them or folds them.
    static let needQuoting = ["Order \"Notes\"", "My Table", "CamelCase", "select", "user", "order"]

    /// What is wrong with `expectation`: empty when the statement parses into one node of the
    /// intended kind whose fields hold exactly the expected values.
    static func problems(_ expectation: Expectation) -> [String] {
        let parsed: ParsedQuery
        do {
            parsed = try QueryParser.parse(expectation.sql)
        } catch {
            return ["does not parse: \(error)"]
        }
        var problems: [String] = []
        if parsed.statementKinds != [expectation.kind] {
            problems.append("statements \(parsed.statementKinds), expected [\(expectation.kind)]")
        }
        for (field, expected) in expectation.fields.sorted(by: { $0.key < $1.key }) {
            let found = parsed.strings(named: field)
            if found != expected { problems.append("\(field) is \(found), expected \(expected)") }
        }
        return problems
    }

    /// Fails the test with `expectation`'s problems, naming the statement.
    static func check(_ expectation: Expectation) {
        let problems = problems(expectation)
        #expect(problems.isEmpty, "\(expectation.label): \(expectation.sql)\n\(problems.joined(separator: "\n"))")
    }

    // MARK: Remediations

    /// `Remediation.kinds`, which `--only` accepts, is exactly the kinds the cases produce.
    @Test func everyKindIsListed() {
        #expect(Set(Self.remediations(schema: "public", name: "t").map { $0.0.kind }) == Remediation.kinds)
    }

    @Test(arguments: names)
    func everyRemediationNamesItsObjects(_ name: String) {
        for schema in Self.schemas {
            for (remediation, expectations) in Self.remediations(schema: schema, name: name) {
                let sql = RemediationSQL.sql(remediation)
                if case .manual = remediation {
                    #expect(sql.isEmpty)
                    continue
                }
                Self.check(Expectation(label: "\(remediation.kind) \(schema).\(name)", sql: sql,
                                       kind: Self.statementKind(remediation), fields: expectations.sql))
                guard let rollback = expectations.rollback else {
                    #expect(RemediationSQL.rollback(remediation) == nil, "\(remediation.kind) has an unchecked rollback")
                    continue
                }
                Self.check(Expectation(label: "rollback of \(remediation.kind) \(schema).\(name)",
                                       sql: RemediationSQL.rollback(remediation) ?? "", kind: rollback.kind,
                                       fields: rollback.fields))
            }
        }
    }

    /// The node type each remediation's statement parses into. No default: a new remediation
    /// does not compile until it is added here and to ``remediations(schema:name:)``.
    static func statementKind(_ remediation: Remediation) -> String {
        switch remediation {
        case .createIndex: "IndexStmt"
        case .dropIndex: "DropStmt"
        case .reindex: "ReindexStmt"
        case .vacuum, .analyze: "VacuumStmt"
        case .setStorageParameters, .resetStorageParameters, .addIdentityPrimaryKey, .addPrimaryKeyUsingIndex,
             .alterColumnType, .validateConstraint: "AlterTableStmt"
        case .alterSystem: "AlterSystemStmt"
        case .alterDatabase: "AlterDatabaseSetStmt"
        case .alterRole: "AlterRoleSetStmt"
        case .alterSequenceType: "AlterSeqStmt"
        case .createExtension: "CreateExtensionStmt"
        case .manual: ""
        }
    }

    typealias Fields = [String: [String]]

    /// One remediation of every kind on objects called `name` in `schema`, with the fields its
    /// statement and its rollback must hold.
    static func remediations(schema: String, name: String) -> [(Remediation, (sql: Fields, rollback: (kind: String, fields: Fields)?))] {
        let object = QualifiedName(schema: schema, name: name)
        let relation: Fields = ["schemaname": [schema], "relname": [name]]
        let index = IndexSpec(table: object, name: "\(name) idx",
                              keys: [.column(name), IndexKey(column: "order", descending: true)], include: ["user"])
        let parameters = [StorageParameter("autovacuum_enabled", "false"), StorageParameter("toast.autovacuum_enabled", "off")]
        let storageKeys: Fields = ["defname": ["autovacuum_enabled", "autovacuum_enabled"], "defnamespace": ["toast"]]
        let setStorage = storageKeys.merging(["sval": ["false", "off"]]) { $1 }
        let table: Fields = relation.merging(["objtype": ["OBJECT_TABLE"]]) { $1 }
        let view: Fields = relation.merging(["objtype": ["OBJECT_MATVIEW"]]) { $1 }
        let setting = "My Ext.Setting"
        return [
            (.createIndex(index), (
                relation.merging(["idxname": ["\(name) idx"], "name": ["user", name, "order"]]) { $1 },
                ("DropStmt", ["sval": [schema, "\(name) idx"], "removeType": ["OBJECT_INDEX"]]))),
            (.dropIndex(object, definition: nil), (["sval": [schema, name], "removeType": ["OBJECT_INDEX"]], nil)),
            (.reindex(object), (relation, nil)),
            (.vacuum(object, VacuumOptions(full: true, analyze: true)), (relation, nil)),
            (.analyze(object), (relation, nil)),
            (.setStorageParameters(object, parameters), (
                table.merging(setStorage) { $1 }, ("AlterTableStmt", table.merging(storageKeys) { $1 }))),
            (.setStorageParameters(object, parameters, relation: .materializedView), (
                view.merging(setStorage) { $1 }, ("AlterTableStmt", view.merging(storageKeys) { $1 }))),
            (.resetStorageParameters(object, ["autovacuum_enabled", "toast.autovacuum_enabled"]),
             (table.merging(storageKeys) { $1 }, nil)),
            (.resetStorageParameters(object, ["autovacuum_enabled", "toast.autovacuum_enabled"], relation: .materializedView),
             (view.merging(storageKeys) { $1 }, nil)),
            (.alterSystem(name: setting, value: name, restart: false), (
                ["name": [setting], "sval": [name]], ("AlterSystemStmt", ["name": [setting], "sval": []]))),
            (.alterSystem(name: "shared_preload_libraries", value: SettingList.text([name, "with,comma"]), restart: true), (
                ["name": ["shared_preload_libraries"], "sval": [name, "with,comma"]],
                ("AlterSystemStmt", ["name": ["shared_preload_libraries"]]))),
            (.alterDatabase(database: name, name: setting, value: "64MB"), (
                ["dbname": [name], "name": [setting], "sval": ["64MB"]],
                ("AlterDatabaseSetStmt", ["dbname": [name], "name": [setting], "sval": []]))),
            (.alterRole(role: name, name: "work_mem", value: "64MB"), (
                ["rolename": [name], "name": ["work_mem"], "sval": ["64MB"]],
                ("AlterRoleSetStmt", ["rolename": [name], "name": ["work_mem"], "sval": []]))),
            (.addIdentityPrimaryKey(object, column: name), (relation.merging(["colname": [name]]) { $1 }, nil)),
            (.addPrimaryKeyUsingIndex(object, index: name), (relation.merging(["indexname": [name]]) { $1 }, nil)),
            (.alterColumnType(object, column: name, type: "bigint"), (relation.merging(["name": [name]]) { $1 }, nil)),
            (.alterSequenceType(object, type: "bigint"), (relation, nil)),
            (.validateConstraint(object, constraint: name), (relation.merging(["name": [name]]) { $1 }, nil)),
            (.createExtension(name), (["extname": [name]], nil)),
            (.manual("check \(name)"), ([:], nil)),
        ]
    }

    // MARK: Other statements

    @Test(arguments: names)
    func everyStatementNamesItsObjects(_ name: String) {
        let setting = "\(name).My Setting"
        let statements = [
            Expectation(label: "grantRole", sql: StatementSQL.grantRole(name, to: "My Role"), kind: "GrantRoleStmt",
                        fields: ["priv_name": [name], "rolename": ["My Role"]]),
            Expectation(label: "grantRole to", sql: StatementSQL.grantRole("pg_monitor", to: name), kind: "GrantRoleStmt",
                        fields: ["priv_name": ["pg_monitor"], "rolename": [name]]),
            Expectation(label: "createExtension", sql: StatementSQL.createExtension(name), kind: "CreateExtensionStmt",
                        fields: ["extname": [name]]),
            Expectation(label: "alterSystemSet", sql: StatementSQL.alterSystemSet(setting, name), kind: "AlterSystemStmt",
                        fields: ["name": [setting], "sval": [name]]),
            Expectation(label: "alterRoleSet", sql: StatementSQL.alterRoleSet(name, "work_mem", "64MB"), kind: "AlterRoleSetStmt",
                        fields: ["rolename": [name], "name": ["work_mem"], "sval": ["64MB"]]),
            Expectation(label: "alterRoleSet inline", sql: StatementSQL.inline(StatementSQL.alterRoleSet(name, "work_mem", "64MB")),
                        kind: "AlterRoleSetStmt", fields: ["rolename": [name], "name": ["work_mem"], "sval": ["64MB"]]),
            Expectation(label: "reloadConf", sql: StatementSQL.reloadConf(), kind: "SelectStmt", fields: ["sval": ["pg_reload_conf"]]),
            Expectation(label: "cancelBackend", sql: StatementSQL.cancelBackend(4242), kind: "SelectStmt",
                        fields: ["sval": ["pg_cancel_backend"]]),
            Expectation(label: "terminateBackend", sql: StatementSQL.terminateBackend(4242), kind: "SelectStmt",
                        fields: ["sval": ["pg_terminate_backend"]]),
        ] + Self.schemas.map { schema in
            Expectation(label: "dropConstraint in \(schema)",
                        sql: StatementSQL.dropConstraint(name, on: QualifiedName(schema: schema, name: name)),
                        kind: "AlterTableStmt",
                        fields: ["schemaname": [schema], "relname": [name], "name": [name], "subtype": ["AT_DropConstraint"]])
        }
        statements.forEach(Self.check)
    }

    @Test func alterSystemScriptSetsEachThenReloads() throws {
        let script = StatementSQL.alterSystemScript([("work_mem", "64MB"), ("shared_preload_libraries", "pg_stat_statements")])
        #expect(script == [
            "ALTER SYSTEM SET work_mem = '64MB';",
            "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';",
            "SELECT pg_reload_conf();",
        ])
        #expect(try QueryParser.parse(script.joined(separator: "\n")).statementKinds
            == ["AlterSystemStmt", "AlterSystemStmt", "SelectStmt"])
        #expect(StatementSQL.alterSystemScript([]).isEmpty)
    }

    @Test func readingHintsGrantPgReadAllData() throws {
        #expect(StatementSQL.grantReadAllData(to: "App User") == #"GRANT pg_read_all_data TO "App User"; (PostgreSQL 14+)"#)
        #expect(StatementSQL.grantReadSequences(to: "audit")
            == "GRANT pg_read_all_data TO audit; (PostgreSQL 14+) or GRANT SELECT on the sequences")
    }

    @Test func materializedViewsAreAlteredAsSuch() {
        let view = QualifiedName(schema: "shop", name: "daily totals")
        #expect(RemediationSQL.sql(.resetStorageParameters(view, ["autovacuum_enabled"], relation: .materializedView))
            == #"ALTER MATERIALIZED VIEW shop."daily totals" RESET (autovacuum_enabled);"#)
        #expect(RemediationSQL.sql(.setStorageParameters(view, [StorageParameter("autovacuum_vacuum_scale_factor", "0.05")],
                                                         relation: .materializedView))
            == #"ALTER MATERIALIZED VIEW shop."daily totals" SET (autovacuum_vacuum_scale_factor = '0.05');"#)
        #expect(RemediationSQL.rollback(.setStorageParameters(view, [StorageParameter("fillfactor", "90")], relation: .materializedView))
            == #"ALTER MATERIALIZED VIEW shop."daily totals" RESET (fillfactor);"#)
        #expect(RemediationSQL.sql(.resetStorageParameters(view, ["fillfactor"], relation: .partitioned))
            == #"ALTER TABLE shop."daily totals" RESET (fillfactor);"#)
    }

    // MARK: The check can fail

    /// The same checks on text built without quoting: each name that needs quoting is rejected
    /// by the parser or comes back as another name, so the checks above do test the quoting.
    @Test(arguments: needQuoting)
    func unquotedNamesAreCaught(_ name: String) {
        let naive = [
            Expectation(label: "naive grant", sql: "GRANT pg_monitor TO \(name);", kind: "GrantRoleStmt",
                        fields: ["priv_name": ["pg_monitor"], "rolename": [name]]),
            Expectation(label: "naive create extension", sql: "CREATE EXTENSION \(name);", kind: "CreateExtensionStmt",
                        fields: ["extname": [name]]),
            Expectation(label: "naive alter role", sql: "ALTER ROLE \(name) SET work_mem = '64MB';", kind: "AlterRoleSetStmt",
                        fields: ["rolename": [name], "name": ["work_mem"], "sval": ["64MB"]]),
        ]
        for expectation in naive {
            #expect(!Self.problems(expectation).isEmpty, "\(expectation.sql) passed the check")
        }
    }

    @Test func unquotedSchemaIsCaught() {
        let naive = Expectation(label: "naive analyze", sql: "ANALYZE My Schema.orders;", kind: "VacuumStmt",
                                fields: ["schemaname": ["My Schema"], "relname": ["orders"]])
        #expect(!Self.problems(naive).isEmpty)
        let folded = Expectation(label: "naive analyze", sql: "ANALYZE Shop.Orders;", kind: "VacuumStmt",
                                 fields: ["schemaname": ["Shop"], "relname": ["Orders"]])
        #expect(Self.problems(folded) == [#"relname is ["orders"], expected ["Orders"]"#, #"schemaname is ["shop"], expected ["Shop"]"#])
    }
}
