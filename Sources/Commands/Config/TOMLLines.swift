/// The line of each key and table of a TOML text, by path (`rules.unused-index.min-size`,
/// `suppress[2].until`, arrays of tables numbered from 1), for error messages: TOMLKit gives
/// values but not where they are written. Multi-line strings and arrays are stepped over.
struct TOMLLines {
    private(set) var lines: [String: Int] = [:]

    init(_ text: String) {
        var scanner = Scanner()
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            scanner.scan(Substring(line), number: number + 1, into: &lines)
        }
    }

    /// The line of `path`, else of its nearest enclosing table or key; 1 when none is known.
    func line(of path: String) -> Int {
        var current = path
        while true {
            if let line = lines[current] { return line }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { return 1 }
            current = String(current[..<cut])
        }
    }

    private struct Scanner {
        var prefix = ""
        /// Arrays of tables seen so far, by path, with their element count.
        var arrays: [String: Int] = [:]
        /// Inside a multi-line string: its closing delimiter.
        var openString: String?
        var bracketDepth = 0

        mutating func scan(_ raw: Substring, number: Int, into lines: inout [String: Int]) {
            if let delimiter = openString {
                guard let end = raw.range(of: delimiter) else { return }
                openString = nil
                track(raw[end.upperBound...])
                return
            }
            if bracketDepth > 0 { track(raw); return }
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[[") {
                let path = resolve(TOMLLines.keys(line.dropFirst(2).prefix { $0 != "]" }))
                arrays[path, default: 0] += 1
                prefix = path + "[\(arrays[path]!)]"
                lines[prefix] = number
            } else if line.hasPrefix("[") {
                prefix = resolve(TOMLLines.keys(line.dropFirst().prefix { $0 != "]" }))
                lines[prefix] = number
            } else if let eq = TOMLLines.assignment(line) {
                let keys = TOMLLines.keys(line[..<eq])
                guard !keys.isEmpty else { return }
                lines[(prefix.isEmpty ? "" : prefix + ".") + keys.joined(separator: ".")] = number
                track(line[line.index(after: eq)...])
            }
        }

        /// A header's path, with the current element of each array of tables it passes through.
        func resolve(_ keys: [String]) -> String {
            var path = ""
            for (i, key) in keys.enumerated() {
                path += (path.isEmpty ? "" : ".") + key
                if i < keys.count - 1, let n = arrays[path] { path += "[\(n)]" }
            }
            return path
        }

        /// Follows a value's brackets and strings to know whether it goes on past this line.
        mutating func track(_ value: Substring) {
            var rest = value
            while let c = rest.first {
                if c == "#" { return }
                if rest.hasPrefix("\"\"\"") || rest.hasPrefix("'''") {
                    let delimiter = String(rest.prefix(3))
                    rest = rest.dropFirst(3)
                    guard let end = rest.range(of: delimiter) else { openString = delimiter; return }
                    rest = rest[end.upperBound...]
                } else if c == "\"" || c == "'" {
                    rest = rest.dropFirst()
                    while let d = rest.first, d != c {
                        rest = rest.dropFirst(d == "\\" && c == "\"" ? 2 : 1)
                    }
                    rest = rest.dropFirst()
                } else {
                    if c == "[" || c == "{" { bracketDepth += 1 }
                    if c == "]" || c == "}" { bracketDepth = max(0, bracketDepth - 1) }
                    rest = rest.dropFirst()
                }
            }
        }
    }

    /// The position of a key/value line's `=`, outside quoted keys; nil for other lines.
    static func assignment(_ line: Substring) -> Substring.Index? {
        var quote: Character?
        for i in line.indices {
            let c = line[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "=" {
                return i
            } else if c == "#" {
                return nil
            }
        }
        return nil
    }

    /// The parts of a dotted key (`rules."unused-index".enabled`), quotes removed.
    static func keys(_ text: Substring) -> [String] {
        var keys: [String] = []
        var current = ""
        var quote: Character?
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "." {
                keys.append(current)
                current = ""
            } else if c != " " && c != "\t" {
                current.append(c)
            }
        }
        keys.append(current)
        return keys.filter { !$0.isEmpty }
    }
}
