/// CAST(x AS type) as SQLite performs it.
enum SQLConversion {
    static func cast(_ value: SQLValue, to affinity: Affinity) -> SQLValue {
        if value == .null { return .null }
        switch affinity {
        case .text, .blob:
            return value.text.map(SQLValue.text) ?? .null
        case .integer:
            return .integer(value.integerValue)
        case .real:
            return .real(value.doubleValue)
        case .numeric:
            guard case .text(let text) = value else { return value }
            return SQLValue.integral(SQLValue.numericPrefix(of: text).value)
        }
    }
}
