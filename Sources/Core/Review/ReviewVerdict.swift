/// A reviewed statement's verdict. Ordered: `pass < warning < fail`.
public enum ReviewVerdict: String, Codable, Sendable, CaseIterable, Comparable {
    case pass, warning, fail

    private var rank: Int {
        switch self {
        case .pass: 0
        case .warning: 1
        case .fail: 2
        }
    }

    public static func < (lhs: ReviewVerdict, rhs: ReviewVerdict) -> Bool { lhs.rank < rhs.rank }
}
