import Model

/// A finding the team has decided to live with, from the configuration file's `[[suppress]]`
/// entries: the rule, the target (its display name, `*` matching any run of characters, so
/// `shop.*` covers a schema), why, and until when.
public struct Suppression: Equatable, Sendable {
    public var rule: String
    public var target: String
    public var reason: String
    /// The last day the suppression holds; nil for no end.
    public var until: CalendarDay?
    /// The file and line of the entry's `[[suppress]]` header, for the report.
    public var file: String
    public var line: Int

    public init(rule: String, target: String, reason: String, until: CalendarDay? = nil, file: String = "", line: Int = 0) {
        self.rule = rule
        self.target = target
        self.reason = reason
        self.until = until
        self.file = file
        self.line = line
    }

    /// `pgadvisor.toml:14`.
    public var location: String { "\(file):\(line)" }

    /// Whether the entry has ended: its `until` day is before `today`.
    public func isExpired(on today: CalendarDay) -> Bool {
        until.map { $0 < today } ?? false
    }

    /// Whether the entry names this finding (whatever its date).
    public func matches(_ finding: Finding) -> Bool {
        Self.glob(rule, matches: finding.rule) && Self.glob(target, matches: finding.target.display)
    }

    /// `*` matches any run of characters (none included); everything else matches itself.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0
        var star: Int?, resume = 0
        while ti < t.count {
            if pi < p.count, p[pi] != "*", p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                resume = ti
                pi += 1
            } else if let s = star {
                pi = s + 1
                resume += 1
                ti = resume
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

/// A finding left out of the ranked list by a suppression, kept for the report's summary.
public struct SuppressedFinding: Equatable, Sendable {
    public var finding: Finding
    public var suppression: Suppression

    public init(finding: Finding, suppression: Suppression) {
        self.finding = finding
        self.suppression = suppression
    }
}
