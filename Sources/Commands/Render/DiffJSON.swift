import Core
import Model

/// The diff report as JSON (`diff --format json`): versioned shapes, numbers kept as numbers.
enum DiffJSON {
    /// Raised when a field changes meaning or goes away (fields are only added otherwise).
    static let schemaVersion = 1

    struct Report: Encodable {
        var schemaVersion: Int
        var generator: String
        var old: Side
        var new: Side
        var windowSeconds: Double
        var options: Options
        /// Accepted differences of identity (`--allow-other-server`).
        var mismatches: [String]
        var resets: Resets
        var caveats: [String]
        var findings: Findings
        var statements: Statements
        var indexes: [IndexChange]
        var growth: Growth
        var settings: [Setting]
    }

    struct Side: Encodable {
        var source: String
        var database: String
        var version: String
        var collectedAt: Timestamp
        var systemIdentifier: String?
    }

    struct Options: Encodable {
        var regression: Double
        var minDeltaMs: Double
        var minCalls: Int64
        var top: Int
    }

    struct Reset: Encodable {
        var at: Timestamp?
        var evidence: [String]
    }

    struct Resets: Encodable {
        var statements: Reset?
        var relations: Reset?
        var restartedAt: Timestamp?
        var evictions: Int64?
        var restartedStatements: Int
        var restartedIndexes: Int
    }

    struct Finding: Encodable {
        var rule: String
        var severity: String
        var oldSeverity: String?
        var target: String
        var targetKind: String
        var message: String
        /// Why the other side skipped the rule (or did not judge the finding).
        var skipped: String?
        /// Resolved after a statistics reset: it may only not have recurred yet (absent otherwise).
        var afterReset: Bool?
    }

    struct Findings: Encodable {
        var new: [Finding]
        var resolved: [Finding]
        var severityChanged: [Finding]
        var notJudged: [Finding]
    }

    struct Statement: Encodable {
        var queryId: Int64
        var user: String?
        var toplevel: Bool?
        var text: String
        var oldCalls: Int64?
        var oldMeanMs: Double?
        var windowCalls: Int64
        var windowTotalMs: Double
        var windowMeanMs: Double?
        /// `window` (NEW − OLD) or `since-reset` (NEW's own figures).
        var basis: String
        var slowdown: Double?
    }

    struct Statements: Encodable {
        var regressed: [Statement]
        var new: [Statement]
    }

    struct IndexChange: Encodable {
        var change: String
        var index: String
        var table: String
        var oldScans: Int64?
        var newScans: Int64?
        var windowScans: Int64
        var basis: String
        var sizeBytes: Int64?
    }

    struct Size: Encodable {
        var kind: String
        var relation: String?
        var oldBytes: Int64?
        var newBytes: Int64
        var deltaBytes: Int64
    }

    struct Growth: Encodable {
        var database: Size?
        var tables: [Size]
        var indexes: [Size]
        var bloat: [Size]
    }

    struct Setting: Encodable {
        var name: String
        var old: String?
        var new: String?
        var pendingRestart: Bool
    }
}
