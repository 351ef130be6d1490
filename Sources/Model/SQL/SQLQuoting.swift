/// Quoting for every identifier and literal pgadvisor puts into generated SQL.
public enum SQLQuoting {
    /// `name` as PostgreSQL's `quote_ident()` renders it: bare only when it is lowercase ASCII
    /// letters, digits and underscores, starts with a letter or underscore, and is not a keyword
    /// that needs quoting; otherwise in double quotes, embedded double quotes doubled.
    public static func identifier(_ name: String) -> String {
        let bytes = name.utf8
        guard let first = bytes.first, isLowercase(first) || first == underscore,
              bytes.allSatisfy({ isLowercase($0) || isDigit($0) || $0 == underscore }),
              !SQLKeywords.requiringQuotes.contains(name)
        else { return "\"" + doubling(["\""], in: name) + "\"" }
        return name
    }

    /// `schema.name`, each part quoted as by ``identifier(_:)``.
    public static func qualified(_ name: QualifiedName) -> String {
        identifier(name.schema) + "." + identifier(name.name)
    }

    /// `value` as PostgreSQL's `quote_literal()` renders it: in single quotes with single quotes
    /// doubled; when it holds a backslash, as `E'...'` with backslashes doubled too, so it reads
    /// the same whatever `standard_conforming_strings` is.
    public static func literal(_ value: String) -> String {
        guard value.unicodeScalars.contains("\\") else { return "'" + doubling(["'"], in: value) + "'" }
        return "E'" + doubling(["'", "\\"], in: value) + "'"
    }

    /// `text` with each of `scalars` written twice. Works on Unicode scalars, not characters, so
    /// that a quote followed by a combining mark is still doubled.
    private static func doubling(_ scalars: Set<Unicode.Scalar>, in text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(scalar)
            if scalars.contains(scalar) { result.append(scalar) }
        }
        return String(result)
    }

    private static let underscore = UInt8(ascii: "_")
    private static func isLowercase(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
