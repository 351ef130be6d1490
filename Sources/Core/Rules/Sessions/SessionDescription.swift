import Model

/// How session findings name a session and the evidence they all carry, so they read alike.
enum SessionDescription {
    /// ` (user app, application "web", database app)`, or empty when nothing is known.
    static func who(_ s: SessionInfo) -> String {
        var parts: [String] = []
        if let user = s.user { parts.append("user \(SQLQuoting.identifier(user))") }
        if let application = s.applicationName, !application.isEmpty {
            parts.append("application \(SQLQuoting.literal(application))")
        }
        if let database = s.database { parts.append("database \(SQLQuoting.identifier(database))") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    /// Who the session is, what it runs, and how far it holds back the xmin horizon.
    static func evidence(_ s: SessionInfo) -> [Evidence] {
        var evidence: [Evidence] = []
        if let state = s.state { evidence.append(Evidence("state", "state", .text(state))) }
        if let xminAge = s.xminAge { evidence.append(Evidence("xminAge", "xmin age", .count(xminAge))) }
        if let xidAge = s.xidAge { evidence.append(Evidence("xidAge", "xid age", .count(xidAge))) }
        if let type = s.waitEventType {
            evidence.append(Evidence("waitEvent", "wait event", .text(type + (s.waitEvent.map { "/\($0)" } ?? ""))))
        }
        if let user = s.user { evidence.append(Evidence("user", "user", .text(user))) }
        if let application = s.applicationName, !application.isEmpty {
            evidence.append(Evidence("applicationName", "application", .text(application)))
        }
        if let database = s.database { evidence.append(Evidence("database", "database", .text(database))) }
        if let address = s.clientAddress { evidence.append(Evidence("clientAddress", "client", .text(address))) }
        if let queryId = s.queryId { evidence.append(Evidence("queryId", "query id", .text(String(queryId)))) }
        if let query = s.query, !query.isEmpty { evidence.append(Evidence("query", "statement", .text(query))) }
        return evidence
    }
}
