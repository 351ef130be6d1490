/// A pointer from one finding to another, for the report to say "fixed by: missing-index
/// shop.orders (customer_id, created_at)" instead of telling one problem as several.
public struct FindingLink: Equatable, Sendable {
    /// The other finding's rule id.
    public var rule: String
    /// The other finding's target, as reports name it.
    public var target: String
    /// What tells it apart from other findings of that rule on that target: the index keys.
    public var detail: String?

    public init(rule: String, target: String, detail: String? = nil) {
        self.rule = rule
        self.target = target
        self.detail = detail
    }

    /// "missing-index shop.orders (customer_id, created_at)".
    public var display: String {
        [rule, target, detail].compactMap { $0 }.joined(separator: " ")
    }
}

extension FindingLink {
    /// The link to `finding`; its detail is the index keys when the finding has them (`keys`
    /// evidence, "shop.orders (customer_id)", less the target).
    public init(to finding: Finding) {
        let target = finding.target.display
        var detail: String?
        if case .text(let keys)? = finding.evidence("keys") {
            let body = keys.hasPrefix(target) ? String(keys.dropFirst(target.count)) : keys
            detail = body.trimmingCharacters(in: " ")
        }
        self.init(rule: finding.rule, target: target, detail: detail)
    }

    /// Whether this link points at `finding`.
    public func refers(to finding: Finding) -> Bool { self == FindingLink(to: finding) }
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
