import AWS
import Capture
import Foundation
import Shared
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--source-secret` against the stack's moto (which serves Secrets Manager at its DynamoDB address): capture reads
/// the DMS-style secret, follows a rotation (PostgreSQL's password and the secret changed, the capture's sessions
/// killed), and stops — naming the secret, never its value — when the secret stays wrong.
@Suite("Source settings from a Secrets Manager secret, against the local stack")
struct SourceSecretTests {
    @Test func captureFollowsARotatedSecretAndStopsWhenItStaysWrong() async throws {
        let prefix = TestStack.uniqueName("secret")
        let role = "\(prefix)_user"
        try await TestStack.withDatabase("secret") { url in
            let db = try await PostgresConnection.connect(url)
            let server = ConnectionTarget(url)
            let database = try #require(server.database)
            try await db.query("CREATE ROLE \(role) LOGIN SUPERUSER PASSWORD 'first-password'")
            try await db.query("CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items VALUES (1, 'a'), (2, 'b')")
            let secrets = try SecretsManagerTestClient()
            let arn = try await secrets.create(name: prefix, secretString: Self.secret(role, "first-password", server, database))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(prefix)
            let endpoint = OperationsEndpoint()
            let (capture, errorPath) = try FerryRun.start(
                [
                    "capture", "--source-secret", arn, "--brokers", try TestStack.brokers, "--prefix", prefix,
                    "--tables", "public.items",
                ] + endpoint.arguments,
                in: directory, environment: ["AWS_ENDPOINT_URL_SECRETS_MANAGER": secrets.endpoint.url])
            do {
                let slot = "ferry_\(prefix)"
                let port = try await endpoint.port(of: capture)
                try await waitUntilStreaming(slot: slot, port: port)

                // Rotation: the database first, then the secret, then the sessions end (as a password change
                // does not end them by itself).
                try await db.query("ALTER ROLE \(role) PASSWORD 'second-password'")
                try await secrets.put(arn, secretString: Self.secret(role, "second-password", server, database))
                try await db.query("INSERT INTO items VALUES (3, 'c'); UPDATE items SET name = 'a2' WHERE id = 1")
                try await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", [role])
                try await db.query("INSERT INTO items VALUES (4, 'd'); DELETE FROM items WHERE id = 2")

                let expected = try await tableRows(db, schema: "public", table: "items", keyColumns: ["id"])
                let topic = "\(prefix).public.items"
                let folds = try await TopicFold.read(topics: [topic], brokers: try TestStack.brokers) {
                    $0[topic]?.table == expected
                }
                #expect(difference(expected: expected, actual: try #require(folds[topic]).table) == nil)
                try await waitUntilStreaming(slot: slot, port: port)
                // `/status` names the source (and the killed session's error) without a password. libpq reports a
                // terminated session as 57P01 when the server's message is read first, else as a closed connection
                // (a catalog statement on it: PQstatus CONNECTION_BAD, no SQLSTATE) — which one is the race's.
                let statusDocument = try await HTTPTestConnection.send(.GET, "/status", port: port).body
                let killedSession = statusDocument.contains("57P01")
                    || statusDocument.contains("PostgreSQL connection closed: server closed the connection unexpectedly")
                #expect(killedSession && !statusDocument.contains("first-password")
                    && !statusDocument.contains("second-password"), "\(statusDocument)")

                // The password changes again, the secret does not: capture re-reads it a few times, then stops.
                try await db.query("ALTER ROLE \(role) PASSWORD 'third-password'")
                try await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", [role])
                let status = try await capture.wait(within: .seconds(60))
                let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
                let log = capture.output + errors
                #expect(status != 0)
                #expect(errors.contains("authentication failed") && errors.contains(arn), "\(errors)")
                for password in ["first-password", "second-password", "third-password"] {
                    #expect(!log.contains(password), "the log shows \(password)")
                }
            } catch {
                capture.signal(SIGKILL)
                _ = try? await capture.wait(within: .seconds(10))
                try? await secrets.delete(arn)
                throw error
            }
            try await secrets.delete(arn)
        }
        // The database, its slot and publication are gone; the role is the cluster's.
        try await PostgresConnection.connect(try TestStack.postgresURL).query("DROP ROLE IF EXISTS \(role)")
    }

    static func secret(_ user: String, _ password: String, _ server: ConnectionTarget, _ database: String) -> String {
        #"{"engine": "postgres", "username": "\#(user)", "password": "\#(password)", "host": "\#(server.host)", "#
            + #""port": \#(server.port), "dbname": "\#(database)"}"#
    }
}

/// The Secrets Manager calls the tests make to set secrets up (Ferry itself only reads them).
struct SecretsManagerTestClient {
    let endpoint: AWSEndpoint
    let transport = AsyncHTTPClientTransport()

    init() throws {
        endpoint = try AWSEndpoint(url: try TestStack.variable("AWS_ENDPOINT_URL_DYNAMODB"))
    }

    func create(name: String, secretString: String) async throws -> String {
        let answer = try await call("CreateSecret", ["Name": name, "SecretString": secretString])
        return try #require(answer["ARN"] as? String)
    }

    func put(_ id: String, secretString: String) async throws {
        _ = try await call("PutSecretValue", ["SecretId": id, "SecretString": secretString])
    }

    func delete(_ id: String) async throws {
        _ = try await call("DeleteSecret", ["SecretId": id, "ForceDeleteWithoutRecovery": true])
        try await transport.shutdown()
    }

    private func call(_ action: String, _ parameters: [String: Any]) async throws -> [String: Any] {
        let body = Array(try JSONSerialization.data(withJSONObject: parameters))
        let headers = [
            (name: "Host", value: endpoint.hostHeader), (name: "Content-Type", value: "application/x-amz-json-1.1"),
            (name: "X-Amz-Target", value: "secretsmanager.\(action)"),
        ]
        let credentials = AWSCredentials(accessKeyId: "testing", secretAccessKey: "testing")
        let signature = SigV4Signer(credentials: credentials, region: "us-east-1", service: "secretsmanager")
            .sign(SignableRequest(method: "POST", path: endpoint.path, headers: headers, body: body), at: Date())
        let response = try await transport.send(
            AWSHTTPRequest(method: "POST", url: endpoint.url, headers: headers + signature, body: body),
            timeout: .seconds(10))
        #expect(response.isSuccess, "\(action): \(String(decoding: response.body, as: UTF8.self))")
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }
}
