import Foundation
import Shared

/// AWS Secrets Manager's `GetSecretValue` over its JSON 1.1 protocol, signed with the caller's credentials.
public struct SecretsManagerClient: Sendable {
    public let endpoint: AWSEndpoint
    public let region: String
    private let transport: any AWSHTTPTransport
    private let credentials: AWSCredentialsCache
    private let timeout: Duration

    public init(
        endpoint: AWSEndpoint, region: String, transport: any AWSHTTPTransport, credentials: AWSCredentialsCache,
        timeout: Duration = .seconds(10)
    ) {
        self.endpoint = endpoint
        self.region = region
        self.transport = transport
        self.credentials = credentials
        self.timeout = timeout
    }

    /// The `SecretString` of the secret's current version (`AWSCURRENT`).
    public func secretString(id: String) async throws(SecretsManagerError) -> String {
        func failure(_ reason: SecretsManagerError.Reason) -> SecretsManagerError {
            SecretsManagerError(secretId: id, reason: reason)
        }
        let signingCredentials: AWSCredentials
        do {
            signingCredentials = try await credentials.credentials()
        } catch let error as AWSCredentialsError {
            throw failure(.credentials(error))
        } catch {
            throw failure(.unavailable("\(error)"))
        }
        let body = JSONValue.object(JSONObject(fields: [.init(name: "SecretId", value: .string(id))])).jsonBytes
        let headers = [
            (name: "Host", value: endpoint.hostHeader),
            (name: "Content-Type", value: "application/x-amz-json-1.1"),
            (name: "X-Amz-Target", value: "secretsmanager.GetSecretValue"),
        ]
        let signature = SigV4Signer(credentials: signingCredentials, region: region, service: "secretsmanager")
            .sign(SignableRequest(method: "POST", path: endpoint.path, headers: headers, body: body), at: Date())
        let response: AWSHTTPResponse
        do {
            response = try await transport.send(
                AWSHTTPRequest(method: "POST", url: endpoint.url, headers: headers + signature, body: body),
                timeout: timeout)
        } catch let error as AWSHTTPTransportError {
            throw failure(error.kind == .unusable ? .refused(code: "request not sent", message: error.description)
                : .unavailable("\(endpoint.url): \(error.description)"))
        } catch {
            throw failure(.unavailable("\(error)"))
        }
        let document = try? JSONParser.parse(response.body)
        guard response.isSuccess else {
            var code = "HTTP \(response.status)"
            var message = ""
            if case .object(let object)? = document {
                if case .string(let type)? = object["__type"] { code = String(type.split(separator: "#").last ?? "") }
                if case .string(let text)? = object["message"] ?? object["Message"] { message = text }
            }
            let transient = response.status >= 500 || response.status == 429
                || ["ThrottlingException", "InternalServiceError"].contains(code)
            throw failure(transient ? .unavailable("\(code) \(message)") : .refused(code: code, message: message))
        }
        guard case .object(let object)? = document, case .string(let secret)? = object["SecretString"] else {
            throw failure(.notAString)
        }
        return secret
    }
}

/// Why a secret could not be read. Names the secret, never its value.
public struct SecretsManagerError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable {
        /// No answer, a 5xx or throttling: reading again later may succeed.
        case unavailable(String)
        /// Secrets Manager refused: no such secret, access denied, a deleted or wrongly keyed secret.
        case refused(code: String, message: String)
        case credentials(AWSCredentialsError)
        /// The secret holds binary data (`SecretBinary`) or the answer has no `SecretString`.
        case notAString
    }

    public var secretId: String
    public var reason: Reason

    public var isTransient: Bool {
        switch reason {
        case .unavailable: true
        case .credentials(let error): error.isTransient
        case .refused, .notAString: false
        }
    }

    public var description: String {
        switch reason {
        case .unavailable(let detail):
            "cannot read secret \(secretId) from Secrets Manager now (\(detail))"
        case .refused(let code, let message):
            "Secrets Manager refused to read secret \(secretId): \(code)\(message.isEmpty ? "" : ": \(message)")"
                + ". Check the ARN and that the identity may secretsmanager:GetSecretValue on it (and kms:Decrypt on "
                + "its key when that is a customer-managed key)"
        case .credentials(let error):
            "cannot read secret \(secretId): \(error)"
        case .notAString:
            "secret \(secretId) has no SecretString: store the connection settings as JSON text"
        }
    }
}
