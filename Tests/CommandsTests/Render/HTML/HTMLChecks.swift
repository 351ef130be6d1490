import Foundation
import FoundationXML

/// Checks every HTML report's test can run on a rendered page: nothing reaches outside the
/// page, and the markup is balanced and parses as XML.
enum HTMLChecks {
    /// Each `src`/`href` value and CSS `url(…)` that names something outside the page
    /// (`http:`, `https:` or `//`), and each `<script>`, `<link>` or `@import`.
    static func externalReferences(_ html: String) -> [String] {
        var found: [String] = []
        let patterns = [#"(?i)\b(?:src|href|xlink:href)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#, #"(?i)url\(([^)]*)\)"#]
        for pattern in patterns {
            for value in matches(pattern, in: html) {
                let lower = value.lowercased()
                if lower.contains("http:") || lower.contains("https:") || lower.contains("//") { found.append(value) }
            }
        }
        for marker in ["<script", "<link", "@import", "<iframe", "<img"] where html.lowercased().contains(marker) {
            found.append(marker)
        }
        return found
    }

    /// What is wrong with the markup: tags closed out of order or never, a `<` that opens no
    /// tag, an `&` that starts no XML entity, or an error from an XML parser.
    static func markupProblems(_ html: String) -> [String] {
        var problems: [String] = []
        let body = html.hasPrefix("<!DOCTYPE html>") ? String(html.dropFirst("<!DOCTYPE html>".count)) : html
        let tag = #"<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z][A-Za-z0-9:-]*="[^"<>]*")*)\s*(/?)>"#
        let tags = groups(tag, in: body)
        let opens = body.filter { $0 == "<" }.count
        if opens != tags.count { problems.append("\(opens - tags.count) '<' outside a well-formed tag") }
        var stack: [String] = []
        for t in tags {
            let (closing, name, selfClosing) = (t[1] == "/", t[2], t[4] == "/")
            if selfClosing { continue }
            if !closing {
                stack.append(name)
            } else if stack.last == name {
                stack.removeLast()
            } else {
                problems.append("</\(name)> closes <\(stack.last ?? "nothing")>")
                break
            }
        }
        if !stack.isEmpty { problems.append("never closed: \(stack.joined(separator: ", "))") }
        let strayAmpersands = matches(#"(&(?!amp;|lt;|gt;|quot;|#39;)[^\s]{0,8})"#, in: body)
        if !strayAmpersands.isEmpty { problems.append("stray &: \(strayAmpersands.prefix(3))") }
        let parser = XMLParser(data: Data(html.utf8))
        if !parser.parse() { problems.append("XML parser: \(parser.parserError.map { "\($0)" } ?? "failed")") }
        return problems
    }

    /// The first capture group of every match.
    static func matches(_ pattern: String, in text: String) -> [String] {
        groups(pattern, in: text).map { $0.count > 1 ? $0[1] : $0[0] }
    }

    /// Every capture group of every match (index 0: the whole match; "" for a group that did not take part).
    static func groups(_ pattern: String, in text: String) -> [[String]] {
        let regex = try! NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
            (0..<match.numberOfRanges).map { i in
                let range = match.range(at: i)
                return range.location == NSNotFound ? "" : ns.substring(with: range)
            }
        }
    }
}
