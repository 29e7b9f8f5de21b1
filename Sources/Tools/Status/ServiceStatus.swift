import Shared

/// What one service's `/status` endpoint answered (or why it did not).
public struct ServiceStatus: Sendable, Equatable {
    public enum Role: String, Sendable {
        case capture, apply
    }

    public enum Answer: Sendable, Equatable {
        case document(JSONObject)
        case unreachable(reason: String)
    }

    public var role: Role
    /// The base URL it was asked at.
    public var url: String
    public var answer: Answer

    public init(role: Role, url: String, answer: Answer) {
        self.role = role
        self.url = url
        self.answer = answer
    }

    var document: JSONObject? {
        if case .document(let document) = answer { return document }
        return nil
    }

    /// Up and without a problem.
    var isHealthy: Bool {
        guard let document else { return false }
        return document["problem"] == nil || document["problem"] == .null
    }

    /// "healthy", the problem it reports, or why it could not be reached.
    var condition: String {
        switch answer {
        case .unreachable(let reason): "unreachable (\(reason))"
        case .document(let document):
            if case .string(let problem)? = document["problem"] { "unhealthy: \(problem)" } else { "healthy" }
        }
    }
}
