import AWS
import Foundation
import Shared
import Synchronization
import Testing

@testable import Capture

/// RDS IAM authentication, wired for real: a throwaway cluster where a role's password is a token predicted for a
/// fixed clock and fixed credentials (the token itself is checked against botocore in `RDSAuthTokenTests`), and the
/// connector signing in with whatever token its clock gives.
@Suite("Source RDS IAM authentication")
struct SourceIAMAuthenticationTests {
    static let credentials = AWSCredentials(accessKeyId: "AKIDFERRYTEST", secretAccessKey: "ferry-test-secret-key")
    static let region = "eu-west-1"
    static let environment = [
        "AWS_ACCESS_KEY_ID": credentials.accessKeyId, "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey,
        "AWS_REGION": region, "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent",
    ]

    @Test func everyConnectionSignsInWithAFreshTokenAsItsPassword() async throws {
        // Password authentication (SCRAM) for the IAM user, normal and replication sessions; trust for the admin.
        let hbaPath = "/tmp/\(TestStack.uniqueName("ferry_hba")).conf"
        try "local all ferry trust\nlocal replication ferry trust\nlocal all iam_user scram-sha-256\nlocal replication iam_user scram-sha-256\n"
            .write(toFile: hbaPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: hbaPath)
        defer { try? FileManager.default.removeItem(atPath: hbaPath) }
        let cluster = try await ThrowawayCluster.start(settings: "-c hba_file=\(hbaPath)")
        do {
            let socketDirectory = cluster.directory.path
            let first = Date(timeIntervalSince1970: 1_780_000_000)
            let clock = Mutex(first)
            func predicted(at date: Date) -> String {
                RDSAuthToken.generate(
                    host: socketDirectory, port: 5432, user: "iam_user", region: Self.region,
                    credentials: Self.credentials, at: date)
            }
            let admin = try await PostgresConnection.connect(cluster.url)
            try await admin.query("CREATE ROLE iam_user LOGIN REPLICATION PASSWORD '\(predicted(at: first))'")

            let connector = try SourceConnector.configure(
                connectionString: "postgresql://iam_user@/postgres?host=\(socketDirectory)&iam=true", secretId: nil,
                environment: Self.environment, now: { clock.withLock { $0 } })
            #expect(connector.authentication == .rdsIAM(region: Self.region))
            let session = try await connector.connect(applicationName: "ferry-test")
            #expect(try await session.query("SELECT current_user").rows == [["iam_user"]])
            let replication = try await connector.connect(replication: true, applicationName: "ferry-test")
            #expect(try await replication.query("IDENTIFY_SYSTEM").rows.count == 1)

            // A minute later the connector signs a new token: the stored one (the first) no longer matches, and
            // the message says what to check without showing either token.
            let later = first.addingTimeInterval(60)
            clock.withLock { $0 = later }
            let refused = await #expect(throws: ConnectionFailure.self) {
                _ = try await connector.connect(applicationName: "ferry-test")
            }
            #expect(refused?.reason == .authenticationFailed(user: "iam_user"))
            let message = refused?.description ?? ""
            #expect(message.contains("RDS IAM token") && message.contains("rds_iam"))
            #expect(!message.contains("X-Amz-Signature") && !message.contains(Self.credentials.secretAccessKey))

            try await admin.query("ALTER ROLE iam_user PASSWORD '\(predicted(at: later))'")
            let reconnected = try await connector.connect(replication: true, applicationName: "ferry-test")
            #expect(try await reconnected.query("IDENTIFY_SYSTEM").rows.count == 1)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    /// Over TCP the token goes only with `sslmode=require` at least: the stack's server has no SSL, so the
    /// connection is refused before any password is sent.
    @Test func tokensAreSentOnlyOverSSL() async throws {
        let url = try TestStack.postgresURL(database: "postgres")
            .replacingOccurrences(of: "ferry:ferry-local-password@", with: "ferry@") + "?iam=true"
        let connector = try SourceConnector.configure(
            connectionString: url, secretId: nil, environment: Self.environment)
        let failure = await #expect(throws: ConnectionFailure.self) {
            _ = try await connector.connect(applicationName: "ferry-test")
        }
        #expect(failure?.serverMessage.contains("SSL") == true, "\(String(describing: failure))")

        #expect(throws: SourceConfigurationError.iamNeedsEncryption(sslmode: "disable")) {
            _ = try SourceConnector.configure(
                connectionString: url + "&sslmode=disable", secretId: nil, environment: Self.environment)
        }
    }

    @Test func theCommandRefusesAWeakerSSLModeClearly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestStack.uniqueName("iam"))
        defer { try? FileManager.default.removeItem(at: directory) }
        let mappings = directory.appendingPathComponent("mappings.json")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try #"""
            {"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "1", "rule-action": "include",
                        "object-locator": {"schema-name": "public", "table-name": "orders"}}]}
            """#.write(to: mappings, atomically: true, encoding: .utf8)
        let run = try await FerryRun.run(
            ["validate", "--source", "postgresql://ferry@db.example.com/app?iam=true&sslmode=prefer",
             "--table-mappings", mappings.path],
            in: directory, environment: Self.environment)
        #expect(run.status != 0)
        #expect(run.errors.contains("sslmode=prefer") && run.errors.contains("sslmode=require"), "\(run.errors)")
    }
}
