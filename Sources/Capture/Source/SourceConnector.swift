import AWS
import Foundation
import Shared

/// Opens sessions on the source database: the connection string (`--source`), plus — with RDS IAM authentication
/// or a Secrets Manager secret — the settings each new connection adds to it. Every connection capture and validate
/// make (catalog, replication, snapshot workers, reconnects) goes through `connect`, so a token is always fresh and
/// a rotated secret is picked up.
public final class SourceConnector: Sendable {
    /// What libpq gets (the `iam` parameter taken out); settings from a secret are added after it.
    let connectionString: String
    /// The settings written in `connectionString`: they override the secret's.
    private let written: [String: String]
    private let redactedString: String
    private let iam: RDSIAMTokens?
    private let secret: SourceSecret?
    private let environment: [String: String]
    public let authentication: SourceAuthentication

    /// A plain connection string: libpq finds the password itself.
    public convenience init(connectionString: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(connectionString: connectionString, iam: nil, secret: nil, environment: environment)
    }

    init(connectionString: String, iam: RDSIAMTokens?, secret: SourceSecret?, environment: [String: String]) {
        let parsed = ConnectionStringParser.parse(connectionString)
        self.connectionString = connectionString
        self.written = parsed.values
        self.redactedString = parsed.redacted
        self.iam = iam
        self.secret = secret
        self.environment = environment
        authentication = iam.map { .rdsIAM(region: $0.region) } ?? secret.map { .secret(id: $0.id) } ?? .connectionString
    }

    /// The source as `--source`, `--source-secret` and the environment describe it.
    /// - Parameters:
    ///   - connectionString: `--source`; may be nil or empty with a secret, which then supplies every setting.
    ///   - secretId: `--source-secret`, the ARN (or name) of a Secrets Manager secret.
    ///   - now: the clock tokens are signed with.
    public static func configure(
        connectionString: String?, secretId: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        now: @escaping @Sendable () -> Date = Date.init
    ) throws(SourceConfigurationError) -> SourceConnector {
        guard connectionString?.isEmpty == false || secretId != nil else { throw .missingSource }
        var text = connectionString ?? ""
        // `iam` is Ferry's parameter, unknown to libpq: taken out of the URL before libpq sees it.
        let iamParameter = ConnectionStringParser.removingURLParameter("iam", from: &text)
        let iamVariable = environment["FERRY_SOURCE_IAM"].map { ["1", "true", "yes"].contains($0.lowercased()) }
        if let iamParameter, !["true", "false", "1", "0"].contains(iamParameter.lowercased()) {
            throw .invalidIAMParameter(iamParameter)
        }
        let usesIAM = iamParameter.map { ["true", "1"].contains($0.lowercased()) } ?? iamVariable ?? false
        let written = ConnectionStringParser.parse(text).values
        var secret: SourceSecret?
        var iam: RDSIAMTokens?
        if usesIAM {
            if let sslmode = written["sslmode"], ["disable", "allow", "prefer"].contains(sslmode) {
                throw .iamNeedsEncryption(sslmode: sslmode)
            }
            if written["password"] != nil { throw .iamWithPassword }
        }
        if usesIAM || secretId != nil {
            let configuredRegion: String?
            do {
                configuredRegion = try AWSServiceSettings.region(environment)
            } catch {
                throw .aws("\(error)")
            }
            let host = written["host"] ?? environment["PGHOST"] ?? ""
            // Else the region in the secret's ARN (arn:aws:secretsmanager:<region>:…) or in an RDS host name.
            let arnRegion = secretId.flatMap { $0.hasPrefix("arn:") ? $0.split(separator: ":").dropFirst(3).first : nil }
            guard let region = configuredRegion ?? arnRegion.map(String.init) ?? RDSAuthToken.region(ofEndpoint: host)
            else { throw .missingRegion }
            let transport = SourceConnector.awsTransport
            let credentials = AWSCredentialsCache(
                provider: AWSCredentialsChain.standard(environment: environment, transport: transport, region: region))
            if usesIAM { iam = RDSIAMTokens(region: region, credentials: credentials, now: now) }
            if let secretId {
                do {
                    let endpoint = try AWSServiceSettings.endpoint(
                        endpointPrefix: "secretsmanager", variableSuffix: "SECRETS_MANAGER", region: region,
                        environment: environment)
                    secret = SourceSecret(
                        id: secretId,
                        client: SecretsManagerClient(
                            endpoint: endpoint, region: region, transport: transport, credentials: credentials))
                } catch {
                    throw .aws("\(error)")
                }
            }
        }
        return SourceConnector(connectionString: text, iam: iam, secret: secret, environment: environment)
    }

    /// One HTTP client for the process's calls to STS and Secrets Manager on the source's behalf; it lives as long
    /// as the process.
    private static let awsTransport = AsyncHTTPClientTransport()

    /// The connection string with its password hidden, and the secret named when there is one: safe to print.
    public var redacted: String {
        guard let secret else { return redactedString }
        return redactedString.isEmpty ? "secret \(secret.id)" : "\(redactedString) (secret \(secret.id))"
    }

    /// Opens a session. With a secret, a refused password makes it read the secret again and retry, a few times
    /// (a rotation updates the database and the secret one after the other); a password that stays refused stops
    /// with a message naming the secret.
    public func connect(replication: Bool = false, applicationName: String) async throws(ConnectionFailure)
        -> PostgresConnection
    {
        var rereads = 0
        while true {
            let (settings, target) = try await connectionSettings()
            do {
                return try await PostgresConnection.connect(
                    connectionString, replication: replication, applicationName: applicationName,
                    overriding: settings)
            } catch {
                let postgresError = error as? PostgresError
                    ?? PostgresError(kind: .connectionFailed, message: "\(error)")
                let failure = ConnectionFailure(postgresError, target: target, authentication: authentication)
                guard case .authenticationFailed = failure.reason, let secret, rereads < Self.secretRereads else {
                    throw failure
                }
                rereads += 1
                do {
                    if try await secret.reread().changed { continue }
                } catch {
                    throw ConnectionFailure(passwordUnavailable: error, target: target, authentication: authentication)
                }
                // Unchanged: a rotation may be between its steps; give it a moment before reading again.
                try? await Task.sleep(for: .seconds(rereads))
            }
        }
    }

    /// How often a refused password makes the secret be read again before the connection fails.
    static let secretRereads = 3

    /// The settings this connection adds after the connection string (the secret's, the token and `sslmode`), and
    /// the target that messages describe.
    private func connectionSettings() async throws(ConnectionFailure) -> ([(String, String)], ConnectionTarget) {
        var added: [(String, String)] = []
        var values = written
        let plainTarget = ConnectionTarget(values: values, redacted: redacted, environment: environment)
        if let secret {
            let settings: DatabaseSecret
            do {
                settings = try await secret.settings()
            } catch {
                throw ConnectionFailure(passwordUnavailable: error, target: plainTarget, authentication: authentication)
            }
            for (keyword, value) in settings.parameters.sorted(by: { $0.key < $1.key }) where values[keyword] == nil {
                added.append((keyword, value))
                values[keyword] = value
            }
        }
        var target = ConnectionTarget(values: values, redacted: redacted, environment: environment)
        if let iam {
            let token: String
            do {
                token = try await iam.token(
                    host: target.host, port: Int(target.port) ?? 5432, user: target.user ?? NSUserName())
            } catch {
                throw ConnectionFailure(passwordUnavailable: error, target: target, authentication: authentication)
            }
            added.append(("password", token))
            if values["sslmode"] == nil { added.append(("sslmode", "require")) }
            target.password = token
        }
        return (added, target)
    }
}

/// `--source`, `--source-secret` or `iam` that cannot work, found before any connection is tried.
public enum SourceConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingSource
    case invalidIAMParameter(String)
    case iamNeedsEncryption(sslmode: String)
    case iamWithPassword
    case missingRegion
    case aws(String)

    public var description: String {
        switch self {
        case .missingSource:
            "--source is required (or set FERRY_SOURCE), unless --source-secret (FERRY_SOURCE_SECRET) names a secret "
                + "with the connection settings"
        case .invalidIAMParameter(let value):
            "the source URL's iam parameter is '\(value)': use iam=true or iam=false"
        case .iamNeedsEncryption(let sslmode):
            "RDS IAM authentication sends a token as the password and RDS accepts it only over SSL, but the source URL "
                + "says sslmode=\(sslmode): use sslmode=require (or verify-ca / verify-full), or leave sslmode out"
        case .iamWithPassword:
            "the source URL has a password and iam=true: with RDS IAM authentication the password is a token Ferry "
                + "generates; remove the password from the URL"
        case .missingRegion:
            "RDS IAM authentication and --source-secret need an AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or "
                + "'region' in the AWS profile), or give the secret's full ARN"
        case .aws(let reason):
            "cannot set up AWS access for the source: \(reason)"
        }
    }
}
