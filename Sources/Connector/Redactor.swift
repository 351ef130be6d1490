import Foundation

/// Removes passwords from text that came from libpq or the server before it is shown.
///
/// libpq echoes parts of a connection string in some messages (a bad port, a bad URI
/// parameter); the password may appear there raw or percent-encoded. The redactor knows the
/// password of the connection string it was given and of `PGPASSWORD`, and also masks anything
/// shaped like `password=...` or `scheme://user:secret@`.
struct Redactor: Sendable {
    private(set) var secrets: [String] = []

    init(conninfo: String?, environment: [String: String]) {
        if let conninfo {
            secrets += Redactor.passwords(in: conninfo)
        }
        if let password = environment["PGPASSWORD"], !password.isEmpty {
            secrets.append(password)
        }
        secrets = secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    func redact(_ text: String) -> String {
        var result = text
        for secret in secrets {
            result = result.replacingAll(secret, with: "***")
        }
        result = Redactor.maskKeyValuePasswords(result)
        result = Redactor.maskURIPasswords(result)
        return result
    }

    /// Passwords written in a conninfo string or URI, raw and percent-decoded.
    static func passwords(in conninfo: String) -> [String] {
        var found: [String] = []
        let trimmed = conninfo.trimmingSpaces
        for scheme in ["postgresql://", "postgres://"] where trimmed.lowercased().hasPrefix(scheme) {
            let rest = trimmed.dropFirst(scheme.count)
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                let userinfo = authority[..<at]
                if let colon = userinfo.firstIndex(of: ":") {
                    let raw = String(userinfo[userinfo.index(after: colon)...])
                    found.append(raw)
                    if let decoded = raw.percentDecoded { found.append(decoded) }
                }
            }
            if let query = rest.firstIndex(of: "?") {
                for pair in rest[rest.index(after: query)...].split(separator: "&") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    if parts.count == 2, parts[0] == "password" {
                        found.append(String(parts[1]))
                        if let decoded = String(parts[1]).percentDecoded { found.append(decoded) }
                    }
                }
            }
        }
        found += keyValuePasswords(in: conninfo)
        return found
    }

    /// Values of `password=` in a key/value conninfo string (quoted or not).
    static func keyValuePasswords(in text: String) -> [String] {
        var found: [String] = []
        let chars = Array(text)
        var i = 0
        let key = Array("password")
        while i < chars.count {
            let startsWord = i == 0 || chars[i - 1] == " " || chars[i - 1] == "\t"
            if startsWord, i + key.count <= chars.count, Array(chars[i..<(i + key.count)]) == key {
                var j = i + key.count
                while j < chars.count, chars[j] == " " { j += 1 }
                if j < chars.count, chars[j] == "=" {
                    j += 1
                    while j < chars.count, chars[j] == " " { j += 1 }
                    var value = ""
                    if j < chars.count, chars[j] == "'" {
                        j += 1
                        while j < chars.count, chars[j] != "'" {
                            if chars[j] == "\\", j + 1 < chars.count { j += 1 }
                            value.append(chars[j])
                            j += 1
                        }
                    } else {
                        while j < chars.count, chars[j] != " " {
                            value.append(chars[j])
                            j += 1
                        }
                    }
                    found.append(value)
                    i = j
                    continue
                }
            }
            i += 1
        }
        return found
    }

    /// `password=abc` / `password = 'a b'` → `password=***`.
    static func maskKeyValuePasswords(_ text: String) -> String {
        var result = text
        for value in keyValuePasswords(in: text) where !value.isEmpty && value != "***" {
            result = result.replacingAll(value, with: "***")
        }
        return result
    }

    /// `postgresql://user:secret@host` → `postgresql://user:***@host`.
    static func maskURIPasswords(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "://") {
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == " " || $0 == "\"" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result += authority[...colon]
                result += "***"
                result += authority[at...]
            } else {
                result += authority
            }
            rest = rest[authorityEnd...]
        }
        result += rest
        return result
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }


    var percentDecoded: String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let h = iterator.next(), let l = iterator.next(),
                      let hv = hexValue(h), let lv = hexValue(l) else { return nil }
                bytes.append(hv << 4 | lv)
            } else {
                bytes.append(byte)
            }
        }
        return String(bytes: bytes, encoding: .utf8)
    }
}

private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }).reversed())
    }

    /// Collapses newlines and runs of spaces into single spaces.
    var singleLine: String {
        split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
