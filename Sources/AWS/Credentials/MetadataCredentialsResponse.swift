import Foundation
import Shared

/// The JSON body both metadata endpoints answer with (ECS/EKS container credentials and EC2 instance role
/// credentials): `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration` (ISO 8601); IMDS adds `Code`,
/// which is `Success` when the role's credentials are available.
enum MetadataCredentialsResponse {
    static func parse(_ body: [UInt8], source: String) throws(AWSCredentialsError) -> ExpiringAWSCredentials {
        guard case .object(let object)? = try? JSONParser.parse(body) else {
            throw .invalidSource(source: source, reason: "the response is not a JSON object")
        }
        if case .string(let code)? = object["Code"], !code.isEmpty, code != "Success" {
            let message = if case .string(let text)? = object["Message"], !text.isEmpty { ": \(text)" } else { "" }
            throw .invalidSource(source: source, reason: "the endpoint answered Code '\(code)'\(message)")
        }
        return try credentials(in: object, sessionTokenKey: "Token", source: source)
    }

    /// `AccessKeyId`, `SecretAccessKey`, the session token under `sessionTokenKey` and an optional ISO 8601
    /// `Expiration`: the fields the metadata endpoints and `credential_process` output share.
    static func credentials(
        in object: JSONObject, sessionTokenKey: String, source: String
    ) throws(AWSCredentialsError) -> ExpiringAWSCredentials {
        func invalid(_ reason: String) -> AWSCredentialsError { .invalidSource(source: source, reason: reason) }
        func string(_ name: String) -> String? {
            guard case .string(let text)? = object[name], !text.isEmpty else { return nil }
            return text
        }
        guard let accessKeyId = string("AccessKeyId"), let secretAccessKey = string("SecretAccessKey") else {
            throw invalid("the response lacks AccessKeyId or SecretAccessKey")
        }
        var expiration: Date?
        if let text = string("Expiration") {
            guard let date = parseISO8601(text) else { throw invalid("unreadable Expiration '\(text)'") }
            expiration = date
        }
        return ExpiringAWSCredentials(
            AWSCredentials(
                accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: string(sessionTokenKey)),
            expiration: expiration,
            source: source
        )
    }

    /// `2019-05-29T00:21:43Z`, with or without fractional seconds.
    static func parseISO8601(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
