import Foundation

/// Flags fall back to `FERRY_*` environment variables (handy in containers), and fail clearly when neither is set.
struct MissingSetting: Error, CustomStringConvertible {
    var flag: String
    var variable: String
    var description: String { "\(flag) is required (or set \(variable))" }
}

func setting(_ value: String?, flag: String, variable: String) throws -> String {
    if let value, !value.isEmpty { return value }
    if let environment = ProcessInfo.processInfo.environment[variable], !environment.isEmpty { return environment }
    throw MissingSetting(flag: flag, variable: variable)
}
