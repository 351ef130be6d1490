import Testing
@testable import Core

struct StatementWordsTests {
    static let texts = [
        "select * from shop.orders o where o.id = $1",
        "select * from orders_archive",
        "update \"order notes\" set x = 1",
        "select $1 from public.orders, customers",
    ]

    /// The index finds what searching each text finds, in the texts' order.
    @Test(arguments: ["orders", "orders_archive", "customers", "order notes", "notes", "o", "missing"])
    func namingAgreesWithMentions(_ name: String) {
        let words = StatementWords(Self.texts)
        let searched = Self.texts.indices.filter { StatementWords.mentions(Self.texts[$0], name) }
        #expect(words.naming(name) == searched)
    }

    @Test func wholeIdentifiersOnly() {
        let words = StatementWords(Self.texts)
        #expect(words.naming("orders") == [0, 3])
        #expect(words.naming("archive") == [])
        #expect(words.naming("order notes") == [2])
    }
}
