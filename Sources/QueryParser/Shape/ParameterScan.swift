/// The `$n` parameters of one statement's parse tree.
///
/// pg_stat_statements replaces the string of a typed literal with a parameter
/// (`interval '1 day'` → `interval $1`). libpg_query's grammar accepts that, but the server's
/// rejects it, so such text cannot be prepared or explained for costing until it is rewritten
/// as a cast (`$1::interval`). In the tree a typed literal is a TypeCast without a location of
/// its own whose argument is the parameter.
struct ParameterScan {
    /// The highest parameter number; 0 when there is none.
    private(set) var highest = 0
    /// The typed literals over a parameter: the byte offset of the type name → that of the `$`.
    private var typedLiterals: [Int: Int] = [:]

    /// Scans every node under `json` (a statement's tree).
    init(_ json: Any) {
        visit(json)
    }

    /// `source` with each typed literal over a parameter turned into a cast
    /// (`now() - interval $1` → `now() - $1::interval`, `timestamp with time zone $2` →
    /// `$2::timestamp with time zone`); nil when there is none.
    func rewritingTypedLiterals(in source: [UInt8]) -> String? {
        guard !typedLiterals.isEmpty else { return nil }
        var text = source
        for (typeStart, parameterStart) in typedLiterals.sorted(by: { $0.key > $1.key })
        where parameterStart < source.count {
            let parameterEnd = source[(parameterStart + 1)...].firstIndex { !$0.isASCIIDigit } ?? source.count
            var typeName = source[typeStart..<parameterStart]
            while typeName.last?.isASCIIWhitespace == true { typeName = typeName.dropLast() }
            let cast = source[parameterStart..<parameterEnd] + "::".utf8 + typeName
            text.replaceSubrange(typeStart..<parameterEnd, with: cast)
        }
        return String(decoding: text, as: UTF8.self)
    }

    private mutating func visit(_ json: Any) {
        if let object = json as? [String: Any] {
            for (key, value) in object {
                switch key {
                case "ParamRef":
                    highest = max(highest, ParseNode.Fields(value)?.int("number") ?? 0)
                case "TypeCast":
                    if let cast = ParseNode.Fields(value) { recordTypedLiteral(cast) }
                default:
                    break
                }
                visit(value)
            }
        } else if let list = json as? [Any] {
            for item in list { visit(item) }
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
    }
}
