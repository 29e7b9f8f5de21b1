import Foundation

/// The parts of an STS Query-protocol XML answer Ferry needs: the `<Credentials>` of `AssumeRole` and
/// `AssumeRoleWithWebIdentity`, or the `<Error>` of a refusal. Pure; a plain scan for the few elements,
/// since the answers are flat and their values are text without nested markup.
enum STSResponse {
    enum DecodingError: Error, Hashable, CustomStringConvertible {
        /// An element the answer must have is absent or empty; `path` says where it was looked for.
        case missingElement(path: String)
        case unreadableExpiration(String)

        var description: String {
            switch self {
            case .missingElement(let path): "the STS answer has no \(path)"
            case .unreadableExpiration(let text): "the STS answer's Credentials/Expiration '\(text)' is not ISO 8601"
            }
        }
    }

    /// `<…Result><Credentials>AccessKeyId, SecretAccessKey, SessionToken, Expiration</Credentials>`.
    static func credentials(_ body: [UInt8]) throws(DecodingError) -> ExpiringAWSCredentials {
        let xml = String(decoding: body, as: UTF8.self)
        guard let block = element("Credentials", in: xml[...]) else { throw .missingElement(path: "Credentials") }
        func required(_ name: String) throws(DecodingError) -> String {
            guard let value = element(name, in: block), !value.isEmpty else {
                throw .missingElement(path: "Credentials/\(name)")
            }
            return unescape(value)
        }
        let accessKeyId = try required("AccessKeyId")
        let secretAccessKey = try required("SecretAccessKey")
        let sessionToken = try required("SessionToken")
        let expirationText = try required("Expiration")
        guard let expiration = MetadataCredentialsResponse.parseISO8601(expirationText) else {
            throw .unreadableExpiration(expirationText)
        }
        return ExpiringAWSCredentials(
            AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken),
            expiration: expiration
        )
    }

    /// `Code: Message` of an `<ErrorResponse><Error>`, or nil when the body is not one.
    static func error(_ body: [UInt8]) -> String? {
        let xml = String(decoding: body, as: UTF8.self)
        guard let block = element("Error", in: xml[...]) else { return nil }
        let code = element("Code", in: block).map(unescape) ?? "unknown error"
        return element("Message", in: block).map { "\(code): \(unescape($0))" } ?? code
    }

    /// The `Code` of an `<ErrorResponse><Error>`, e.g. `Throttling`, `AccessDenied`.
    static func errorCode(_ body: [UInt8]) -> String? {
        let xml = String(decoding: body, as: UTF8.self)
        return element("Error", in: xml[...]).flatMap { element("Code", in: $0) }.map(unescape)
    }

    /// The text between `<name>` (or `<name attributes>`) and `</name>`, the first such element.
    static func element(_ name: String, in xml: Substring) -> Substring? {
        var searchFrom = xml.startIndex
        while let open = xml[searchFrom...].range(of: "<\(name)") {
            guard let tagEnd = xml[open.upperBound...].firstIndex(of: ">") else { return nil }
            let next = xml[open.upperBound]
            if next == ">" || next == " " {
                let contentStart = xml.index(after: tagEnd)
                guard let close = xml[contentStart...].range(of: "</\(name)>") else { return nil }
                return xml[contentStart..<close.lowerBound]
            }
            searchFrom = open.upperBound  // a longer name with the same prefix, e.g. <CredentialsX>
        }
        return nil
    }

    static func unescape(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
