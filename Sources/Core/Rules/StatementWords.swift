/// Statement texts split into their identifier words (lowercased runs of letters, digits, `_`
/// and `$`), indexed by word: the statements that name a table are found by one lookup
/// instead of searching every text for every table.
struct StatementWords {
    /// Positions of the texts holding each word, in the order the texts were given.
    private var positions: [String: [Int]] = [:]
    private let texts: [String]

    /// `texts` lowercased.
    init(_ texts: [String]) {
        self.texts = texts
        for (i, text) in texts.enumerated() {
            for word in Self.words(text) { positions[word, default: []].append(i) }
        }
    }

    /// Positions of the texts naming `name` (lowercased) as a whole identifier, in order: what
    /// `mentions` finds in each text.
    func naming(_ name: String) -> [Int] {
        if !name.isEmpty && name.allSatisfy(Self.isIdentifierCharacter) { return positions[name] ?? [] }
        return texts.indices.filter { Self.mentions(texts[$0], name) }
    }

    /// Whether `text` (lowercased) names `name` (lowercased) as a whole identifier:
    /// `orders` matches `shop.orders o` but not `orders_archive`.
    static func mentions(_ text: String, _ name: String) -> Bool {
        var searchStart = text.startIndex
        while let range = text.range(of: name, range: searchStart..<text.endIndex) {
            let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : " "
            let after = range.upperBound < text.endIndex ? text[range.upperBound] : " "
            if !isIdentifierCharacter(before) && !isIdentifierCharacter(after) { return true }
            searchStart = text.index(after: range.lowerBound)
        }
        return false
    }

    /// The distinct identifier words of `text` (lowercased).
    static func words(_ text: String) -> Set<String> {
        var words: Set<String> = []
        var word = ""
        for character in text {
            if isIdentifierCharacter(character) {
                word.append(character)
            } else if !word.isEmpty {
                words.insert(word)
                word = ""
            }
        }
        if !word.isEmpty { words.insert(word) }
        return words
    }

    static func isIdentifierCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "$"
    }
}
