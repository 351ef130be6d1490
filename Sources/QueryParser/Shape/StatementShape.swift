/// What one statement reads and how it filters, sorts and groups, as written: names are not yet
/// resolved against a catalog (that needs the server's tables and search_path).
public struct StatementShape: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case select, insert, update, delete
        /// Anything else (`VacuumStmt`, `CreateStmt`, ...): nothing an index can serve.
        case utility(String)
    }

    public var kind: Kind
    /// The text to cost: the input, or the input with typed parameter literals that the
    /// server's grammar rejects rewritten (`interval $1` → `$1::interval`).
    public var text: String
    /// The highest `$n` in the text; 0 for literal SQL.
    public var parameterCount: Int
    /// The type each typed literal over a parameter names (`date $2` → 2: `date`): the
    /// parameter's type for a PREPARE.
    public var literalTypes: [Int: String] = [:]
    /// Parameters that are an operand of arithmetic or a result of CASE (`$4 - $5`, `THEN $3`):
    /// numbers, when the server cannot tell.
    public var arithmeticParameters: Set<Int> = []
    /// One per query level: the outer query first, then each CTE, subquery and set-operation
    /// branch, in the order they appear (exactly: see ``QueryParser/analyze(_:)``).
    public var scopes: [QueryScope]
    /// The relation an INSERT, UPDATE or DELETE writes.
    public var target: RelationReference?
    /// The columns an UPDATE sets (they cost HOT updates when indexed).
    public var updatedColumns: [String]

    public init(
        kind: Kind, text: String, parameterCount: Int = 0, scopes: [QueryScope] = [],
        target: RelationReference? = nil, updatedColumns: [String] = []
    ) {
        self.kind = kind
        self.text = text
        self.parameterCount = parameterCount
        self.scopes = scopes
        self.target = target
        self.updatedColumns = updatedColumns
    }
}

/// One query level: a SELECT (or the WHERE of an UPDATE / DELETE) with its FROM list.
public struct QueryScope: Equatable, Sendable {
    /// The enclosing scope (index into `StatementShape.scopes`) whose relations a correlated
    /// reference may name; nil for the outer query and for CTEs. A set-operation branch's parent
    /// is the set operation's scope, which has no relations: resolve further up its parents.
    public var parent: Int?
    /// Tables and views named in FROM / JOIN / USING, and the UPDATE or DELETE target; CTE
    /// references and subqueries in FROM are not here (they are scopes of their own).
    public var relations: [RelationReference]
    /// Aliases in FROM that name a CTE, a subquery, a function call or an aliased join (or the
    /// CTE's or function's own name when there is no alias): columns qualified with them are not
    /// table columns of this scope.
    public var derivedNames: [String]
    /// The AND-ed conditions of WHERE and JOIN ... ON / USING that an index could serve.
    /// Conditions under OR or NOT (other than `NOT col`) are left out.
    public var predicates: [Predicate]
    public var orderBy: [SortKey]
    public var groupBy: [Operand]
    /// true when the level has a LIMIT (or FETCH FIRST): an index in ORDER BY order can stop early.
    public var hasLimit: Bool

    public init(
        parent: Int? = nil, relations: [RelationReference] = [], derivedNames: [String] = [],
        predicates: [Predicate] = [], orderBy: [SortKey] = [], groupBy: [Operand] = [], hasLimit: Bool = false
    ) {
        self.parent = parent
        self.relations = relations
        self.derivedNames = derivedNames
        self.predicates = predicates
        self.orderBy = orderBy
        self.groupBy = groupBy
        self.hasLimit = hasLimit
    }
}

/// A relation as named in the statement: `shop."Order Items" AS oi`.
public struct RelationReference: Hashable, Sendable {
    public var schema: String?
    public var name: String
    public var alias: String?

    public init(schema: String? = nil, name: String, alias: String? = nil) {
        self.schema = schema
        self.name = name
        self.alias = alias
    }

    /// The name columns are qualified with: the alias, or else the relation's own name.
    public var exposedName: String { alias ?? name }
}

/// A column as written: `o.customer_id` (qualifier `o`) or `status` (no qualifier). Only the
/// last qualifier is kept (`shop.orders.id` → `orders`).
public struct ColumnReference: Hashable, Sendable {
    public var qualifier: String?
    public var name: String

    public init(qualifier: String? = nil, name: String) {
        self.qualifier = qualifier
        self.name = name
    }
}

/// What a predicate or sort key applies to: a column, or a function of one column
/// (`lower(email)`) that an expression index could serve.
public enum Operand: Hashable, Sendable {
    case column(ColumnReference)
    /// `name(column)`, e.g. `lower(email)`; `schema` when the call was qualified.
    case function(schema: String?, name: String, argument: ColumnReference)

    /// The column the operand reads.
    public var column: ColumnReference {
        switch self {
        case .column(let c): c
        case .function(_, _, let argument): argument
        }
    }
}

/// One AND-ed condition on an operand, normalised so the operand is on the left
/// (`$1 < created_at` reads as `created_at > $1`).
public struct Predicate: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// `=`; with a column on the other side, a join key.
        case equality
        /// `IN (...)` and `= ANY(...)`.
        case inList
        /// `<`, `<=`, `>`, `>=`, `BETWEEN`.
        case range
        /// `LIKE 'abc%'` (a constant prefix without wildcards before the final `%`), or `LIKE $n`.
        case prefixMatch
        case isNull
        case isNotNull
        /// A bare boolean column (`WHERE active`) or `col IS TRUE`.
        case isTrue
        /// `NOT col` or `col IS FALSE`.
        case isFalse
    }

    public var operand: Operand
    public var kind: Kind
    /// The other side of the condition.
    public var value: PredicateValue
    /// The operator as written: `=`, `<`, `BETWEEN`, `IN`, `= ANY`, `LIKE`, `IS NULL`, ...
    public var op: String

    public init(operand: Operand, kind: Kind, value: PredicateValue = .none, op: String) {
        self.operand = operand
        self.kind = kind
        self.value = value
        self.op = op
    }
}

/// The right-hand side of a predicate.
public enum PredicateValue: Hashable, Sendable {
    /// No value (`IS NULL`, a bare boolean column).
    case none
    /// `$n` (or an IN list / BETWEEN of parameters: the first one).
    case parameter(Int)
    /// A literal (an IN list or BETWEEN of literals: all of them, in order).
    case constants([Constant])
    /// Another column: a join key (`o.customer_id = c.id`).
    case column(ColumnReference)
    /// Anything else: an expression, a subquery, a function call.
    case other
}

/// A literal as written in the statement.
public enum Constant: Hashable, Sendable {
    case string(String)
    case integer(Int64)
    /// A numeric literal as written (`3.14`, `1e6`).
    case number(String)
    case boolean(Bool)
    case null
}

/// One ORDER BY key.
public struct SortKey: Hashable, Sendable {
    public var operand: Operand
    public var descending: Bool
    /// `NULLS FIRST` / `NULLS LAST` when written; nil for the default.
    public var nullsFirst: Bool?

    public init(operand: Operand, descending: Bool = false, nullsFirst: Bool? = nil) {
        self.operand = operand
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}
