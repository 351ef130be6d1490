/// The `$n` parameters of one statement's parse tree.
///
/// pg_stat_statements replaces constants with parameters, also where the server's grammar
/// takes no parameter; libpg_query's grammar accepts the result, but such text cannot be
/// prepared or explained for costing until it is rewritten:
/// - a typed literal's string (`interval '1 day'` → `interval $1`) becomes a cast
///   (`$1::interval`). In the tree it is a TypeCast without a location of its own whose
///   argument is the parameter;
/// - the field of `extract(year FROM d)` (→ `extract($1 FROM d)`) becomes the argument of the
///   function form that every version has (`pg_catalog.date_part($1, d)`). In the tree it is
///   a FuncCall `pg_catalog.extract` in SQL syntax whose first argument is the parameter.
struct ParameterScan {
    /// The highest parameter number; 0 when there is none.
    private(set) var highest = 0
    /// The typed literals over a parameter: the byte offset of the type name → that of the `$`.
    private var typedLiterals: [Int: Int] = [:]
    /// The parameter number of each typed literal, by the byte offset of its type name.
    private var typedLiteralNumbers: [Int: Int] = [:]
    /// Parameters that are an operand of arithmetic (`$4 - $5`) or a result of CASE (`THEN $3
    /// ELSE $4`): number constants in pg_stat_statements text, which the server, given only
    /// `unknown`, may fail to type.
    private(set) var arithmeticParameters: Set<Int> = []
    /// The `extract` calls over a parameter: the byte offset of `extract` → that of the `$`.
    private var extractCalls: [Int: Int] = [:]

    /// Scans every node under `json` (a statement's tree).
    init(_ json: Any) {
        visit(json)
    }

    /// `source` with each typed literal over a parameter turned into a cast
    /// (`now() - interval $1` → `now() - $1::interval`, `timestamp with time zone $2` →
    /// `$2::timestamp with time zone`) and each `extract($n FROM x)` into
    /// `pg_catalog.date_part($n, x)`; nil when there is none.
    func rewritten(_ source: [UInt8]) -> String? {
        var edits: [(range: Range<Int>, replacement: [UInt8])] = []
        for (typeStart, parameterStart) in typedLiterals where parameterStart < source.count {
            let parameterEnd = Self.end(ofParameterAt: parameterStart, in: source)
            var typeName = source[typeStart..<parameterStart]
            while typeName.last?.isASCIIWhitespace == true { typeName = typeName.dropLast() }
            edits.append((typeStart..<parameterEnd, Array(source[parameterStart..<parameterEnd] + "::".utf8 + typeName)))
        }
        for (callStart, parameterStart) in extractCalls {
            edits += Self.extractEdits(callStart: callStart, parameterStart: parameterStart, in: source)
        }
        guard !edits.isEmpty else { return nil }
        var text = source
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            text.replaceSubrange(edit.range, with: edit.replacement)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The type name each typed literal over a parameter gives, by parameter number.
    func literalTypes(_ source: [UInt8]) -> [Int: String] {
        var types: [Int: String] = [:]
        for (typeStart, parameterStart) in typedLiterals where parameterStart <= source.count {
            guard let number = typedLiteralNumbers[typeStart] else { continue }
            var typeName = source[typeStart..<parameterStart]
            while typeName.last?.isASCIIWhitespace == true { typeName = typeName.dropLast() }
            types[number] = String(decoding: typeName, as: UTF8.self)
        }
        return types
    }

    private static func end(ofParameterAt start: Int, in source: [UInt8]) -> Int {
        source[(start + 1)...].firstIndex { !$0.isASCIIDigit } ?? source.count
    }

    /// `extract` → `pg_catalog.date_part` and ` FROM ` → `, `, or none when the text is not
    /// `extract ( $n FROM` as expected.
    private static func extractEdits(callStart: Int, parameterStart: Int, in source: [UInt8])
        -> [(range: Range<Int>, replacement: [UInt8])] {
        let keyword = Array("extract".utf8)
        let parameterEnd = end(ofParameterAt: parameterStart, in: source)
        var from = parameterEnd
        while from < source.count, source[from].isASCIIWhitespace { from += 1 }
        var argument = from + 4
        guard callStart + keyword.count <= parameterStart,
              source[callStart..<callStart + keyword.count].map({ $0 | 0x20 }) == keyword,
              argument < source.count, source[from..<argument].map({ $0 | 0x20 }) == Array("from".utf8),
              source[argument].isASCIIWhitespace
        else { return [] }
        while argument < source.count, source[argument].isASCIIWhitespace { argument += 1 }
        return [(callStart..<callStart + keyword.count, Array("pg_catalog.date_part".utf8)),
                (parameterEnd..<argument, Array(", ".utf8))]
    }

    private mutating func visit(_ json: Any) {
        if let object = json as? [String: Any] {
            for (key, value) in object {
                switch key {
                case "ParamRef":
                    highest = max(highest, ParseNode.Fields(value)?.int("number") ?? 0)
                case "TypeCast":
                    if let cast = ParseNode.Fields(value) { recordTypedLiteral(cast) }
                case "FuncCall":
                    if let call = ParseNode.Fields(value) { recordExtract(call) }
                case "A_Expr":
                    if let expression = ParseNode.Fields(value), expression.string("kind") == "AEXPR_OP",
                       ["+", "-", "*", "/", "%", "^"].contains(expression.names("name").last ?? "") {
                        recordArithmetic([expression.node("lexpr"), expression.node("rexpr")])
                    }
                case "CaseExpr":
                    if let expression = ParseNode.Fields(value) {
                        recordArithmetic(expression.nodes("args").map { $0.fields.node("result") } + [expression.node("defresult")])
                    }
                default:
                    break
                }
                visit(value)
            }
        } else if let list = json as? [Any] {
            for item in list { visit(item) }
        }
    }

    private mutating func recordArithmetic(_ operands: [ParseNode?]) {
        for case let operand? in operands where operand.type == "ParamRef" {
            if let number = operand.fields.int("number") { arithmeticParameters.insert(number) }
        }
    }

    /// Records a cast that is a typed literal over a parameter. libpg_query may repeat a subtree
    /// (the source of `SET (a, b) = (...)` under each column), so literals are keyed by position.
    private mutating func recordTypedLiteral(_ cast: ParseNode.Fields) {
        guard cast.int("location") == -1, let argument = cast.node("arg"), argument.type == "ParamRef",
              let parameterStart = argument.fields.int("location"),
              let typeStart = cast.object("typeName")?.int("location"), (0..<parameterStart).contains(typeStart)
        else { return }
        typedLiterals[typeStart] = parameterStart
        typedLiteralNumbers[typeStart] = argument.fields.int("number")
    }

    /// Records `extract($n FROM x)`: the SQL syntax, not a call of `pg_catalog.extract(...)`.
    private mutating func recordExtract(_ call: ParseNode.Fields) {
        let arguments = call.nodes("args")
        guard call.string("funcformat") == "COERCE_SQL_SYNTAX", call.names("funcname") == ["pg_catalog", "extract"],
              arguments.count == 2, arguments[0].type == "ParamRef",
              let parameterStart = arguments[0].fields.int("location"), let callStart = call.int("location"),
              (0..<parameterStart).contains(callStart)
        else { return }
        extractCalls[callStart] = parameterStart
    }
}
