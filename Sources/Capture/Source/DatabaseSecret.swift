import Shared

/// The connection settings in a Secrets Manager secret, in the JSON layout AWS DMS and RDS-managed secrets use:
/// `{"username", "password", "host", "port", "dbname", "engine"}`, each optional (`engine` is ignored; `port` may be
/// a number or text). Pure.
struct DatabaseSecret: Sendable, Equatable {
    /// libpq keyword → value, for the fields the secret has.
    var parameters: [String: String]

    /// Secret field → libpq keyword.
    private static let keywords = [
        "username": "user", "password": "password", "host": "host", "port": "port", "dbname": "dbname",
    ]

    /// Decodes the secret's text. The error never quotes the text: it holds the password.
    init(secretString: String, secretId: String) throws(SourceSecretError) {
        guard case .object(let object)? = try? JSONParser.parse(secretString) else {
            throw SourceSecretError(secretId: secretId, problem: .malformed("it is not a JSON object"))
        }
        var parameters: [String: String] = [:]
        for (field, keyword) in Self.keywords {
            switch object[field] {
            case nil, .null?: continue
            case .string(let text)?: if !text.isEmpty { parameters[keyword] = text }
            case .number(let number)? where field == "port": parameters[keyword] = number
            case _?: throw SourceSecretError(secretId: secretId, problem: .malformed("its \"\(field)\" is not a string"))
            }
        }
        self.parameters = parameters
    }
}
