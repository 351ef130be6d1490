/// A piece of HTML markup that is safe to place in a page: built only from escaped text and
/// from elements, so a name holding `<`, `&` or a quote can never become markup.
///
/// The toolkit's pieces (`HTMLPage`, `HTMLTable`, `SVGBarChart`, `SVGScatterChart`) all build
/// `HTML` values; reports compose them:
///
/// ```swift
/// let body: [HTML] = [
///     .element("h2", text: "Findings"),
///     .element("p", ["class": "note"], [.text("3 findings on "), .element("code", text: name)]),
/// ]
/// let page = HTMLPage(title: "pgadvisor audit", body: body).render()
/// ```
///
/// Output is XHTML-compatible (void elements self-closed, only the five XML entities), so the
/// page parses as XML as well as HTML.
struct HTML: Equatable, Sendable {
    /// The markup itself.
    let markup: String

    /// Markup the caller vouches for (already escaped); prefer `text` and `element`.
    init(trusted markup: String) {
        self.markup = markup
    }

    /// Text, escaped.
    static func text(_ text: String) -> HTML {
        HTML(trusted: escape(text))
    }

    /// No markup at all.
    static let empty = HTML(trusted: "")

    /// `<tag a="v" …>children</tag>`; attributes in the order given, values escaped. Void
    /// elements (`br`, `meta`, …) are written self-closed and take no children.
    static func element(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:], _ children: [HTML] = []) -> HTML {
        element(tag, attributes: Array(attributes).map { ($0.key, $0.value) }, children)
    }

    /// `<tag>children</tag>`, without attributes.
    static func element(_ tag: String, _ children: [HTML]) -> HTML {
        element(tag, attributes: [], children)
    }

    /// `<tag …>text</tag>`, the text escaped.
    static func element(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:], text: String) -> HTML {
        element(tag, attributes, [.text(text)])
    }

    /// The same with attributes computed at run time (`nil` values are left out).
    static func element(_ tag: String, attributes: [(String, String?)], _ children: [HTML] = []) -> HTML {
        var open = "<" + tag
        for (name, value) in attributes {
            guard let value else { continue }
            open += " \(name)=\"\(escape(value))\""
        }
        if voidElements.contains(tag) { return HTML(trusted: open + "/>") }
        return HTML(trusted: open + ">" + children.map(\.markup).joined() + "</\(tag)>")
    }

    /// Joins pieces with a separator between them (a newline keeps the page readable as text).
    static func join(_ pieces: [HTML], separator: String = "\n") -> HTML {
        HTML(trusted: pieces.map(\.markup).filter { !$0.isEmpty }.joined(separator: separator))
    }

    /// The one escaping function of the HTML output, for text and attribute values alike:
    /// `& < > " '` become entities that both HTML and XML know; other control characters
    /// (which XML forbids) become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r\n", "\r": out.append(character)
            // Other control characters are not allowed in XML, even as references.
            case _ where character.unicodeScalars.allSatisfy({ $0.value < 0x20 }):
                out += "\u{FFFD}"
            default: out.append(character)
            }
        }
        return out
    }

    static let voidElements: Set<String> = ["br", "hr", "meta", "img", "col", "wbr", "link", "input"]
}
