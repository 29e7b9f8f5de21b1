import Crypto
import Foundation
import Shared

/// An IAM Identity Center profile: the access token `aws sso login` cached in
/// `~/.aws/sso/cache/<sha1 of the sso_session name, or of the legacy sso_start_url>.json`, exchanged at the
/// portal's `GetRoleCredentials` (`GET /federation/credentials`, the token as a bearer header, no SigV4) for the
/// role's temporary credentials. Ferry does not refresh the token itself: an expired or missing one is an error
/// that says to log in again. `AWS_ENDPOINT_URL_SSO` overrides the portal address.
struct SSOCredentialsProvider: AWSCredentialsProvider {
    let profile: String
    let settings: ProfileCredentialSource.SSOSettings
    let environment: [String: String]
    let transport: any AWSHTTPTransport
    var now: @Sendable () -> Date = Date.init
    var timeout: Duration = .seconds(10)

    private var source: String { "IAM Identity Center (profile '\(profile)')" }
    private var loginHint: String { "run `aws sso login --profile \(profile)`" }

    func lookUpCredentials() async throws -> AWSCredentialsLookup {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let cachePath = "\(home)/.aws/sso/cache/\(SSOTokenCache.fileName(for: settings))"
        guard let data = FileManager.default.contents(atPath: cachePath) else {
            throw AWSCredentialsError.invalidSource(
                source: source, reason: "no cached token at \(cachePath); \(loginHint)")
        }
        let token = try SSOTokenCache.parse(Array(data), path: cachePath)
        guard token.expiresAt > now() else {
            throw AWSCredentialsError.invalidSource(
                source: source, reason: "the cached token in \(cachePath) has expired; \(loginHint)")
        }

        let domain = settings.region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        let portal = environment["AWS_ENDPOINT_URL_SSO"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "https://portal.sso.\(settings.region).\(domain)"
        let query = "account_id=\(AWSPercentEncoding.encode(settings.accountId))"
            + "&role_name=\(AWSPercentEncoding.encode(settings.roleName))"
        let url = (portal.hasSuffix("/") ? String(portal.dropLast()) : portal) + "/federation/credentials?" + query
        let response: AWSHTTPResponse
        do {
            response = try await transport.send(
                AWSHTTPRequest(
                    method: "GET", url: url, headers: [(name: "x-amz-sso_bearer_token", value: token.accessToken)]),
                timeout: timeout)
        } catch let error as AWSHTTPTransportError {
            throw AWSCredentialsError.unanswered(source: "\(source) at \(portal)", error)
        }
        switch response.status {
        case 200..<300:
            var credentials = try SSORoleCredentials.parse(response.body, source: source)
            credentials.source = "\(source): role \(settings.roleName) of account \(settings.accountId)"
            return .found(credentials)
        case 401, 403:
            throw AWSCredentialsError.invalidSource(
                source: source, reason: "the portal refused the cached token (HTTP \(response.status)); \(loginHint)")
        default:
            throw AWSCredentialsError.refused(
                source: source, status: response.status,
                reason: "GetRoleCredentials at \(portal) answered HTTP \(response.status)")
        }
    }
}

/// The token cache file of the AWS CLI's `aws sso login`. Pure.
enum SSOTokenCache {
    struct Token: Sendable {
        var accessToken: String
        var expiresAt: Date
    }

    /// The SHA-1 (hex) of the `sso_session` name, or of the start URL for a legacy profile, then `.json`.
    static func fileName(for settings: ProfileCredentialSource.SSOSettings) -> String {
        Insecure.SHA1.hash(data: Array((settings.sessionName ?? settings.startURL).utf8)).hexEncodedString + ".json"
    }

    static func parse(_ body: [UInt8], path: String) throws(AWSCredentialsError) -> Token {
        func invalid(_ reason: String) -> AWSCredentialsError { .unreadableFile(path: path, reason: reason) }
        guard case .object(let object)? = try? JSONParser.parse(body) else { throw invalid("not a JSON object") }
        guard case .string(let accessToken)? = object["accessToken"], !accessToken.isEmpty else {
            throw invalid("no accessToken")
        }
        guard case .string(let expiresText)? = object["expiresAt"] else { throw invalid("no expiresAt") }
        // Older CLI versions wrote `2026-01-01T00:00:00UTC`.
        let normalized = expiresText.hasSuffix("UTC") ? String(expiresText.dropLast(3)) + "Z" : expiresText
        guard let expiresAt = MetadataCredentialsResponse.parseISO8601(normalized) else {
            throw invalid("expiresAt '\(expiresText)' is not ISO 8601")
        }
        return Token(accessToken: accessToken, expiresAt: expiresAt)
    }
}

/// The `GetRoleCredentials` answer: `{"roleCredentials": {accessKeyId, secretAccessKey, sessionToken,
/// expiration (milliseconds since 1970)}}`. Pure.
enum SSORoleCredentials {
    static func parse(_ body: [UInt8], source: String) throws(AWSCredentialsError) -> ExpiringAWSCredentials {
        func invalid(_ reason: String) -> AWSCredentialsError { .invalidSource(source: source, reason: reason) }
        guard case .object(let root)? = try? JSONParser.parse(body),
              case .object(let object)? = root["roleCredentials"]
        else {
            throw invalid("the portal's answer has no roleCredentials object")
        }
        func string(_ name: String) throws(AWSCredentialsError) -> String {
            guard case .string(let text)? = object[name], !text.isEmpty else {
                throw invalid("the portal's answer has no roleCredentials.\(name)")
            }
            return text
        }
        let credentials = AWSCredentials(
            accessKeyId: try string("accessKeyId"), secretAccessKey: try string("secretAccessKey"),
            sessionToken: try string("sessionToken"))
        guard case .number(let millisText)? = object["expiration"], let millis = Double(millisText) else {
            throw invalid("the portal's answer has no numeric roleCredentials.expiration")
        }
        return ExpiringAWSCredentials(
            credentials,
            expiration: Date(timeIntervalSince1970: millis / 1000),
            source: source
        )
    }
}
