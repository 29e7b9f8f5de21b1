import ArgumentParser
import Capture
import Foundation

/// How capture and validate reach the source database: `--source`, and `--source-secret` for a Secrets Manager
/// secret with the connection settings.
struct SourceOptions: ParsableArguments {
    @Option(
        help: """
            PostgreSQL URL, e.g. postgresql://user:password@host:5432/db (or FERRY_SOURCE). With iam=true in its \
            query (or FERRY_SOURCE_IAM=1) each connection signs in with a fresh RDS IAM authentication token, over SSL.
            """)
    var source: String?

    @Option(
        help: """
            ARN (or name) of a Secrets Manager secret with the connection settings as AWS DMS stores them \
            (username, password, host, port, dbname); settings written in --source win over the secret's \
            (or FERRY_SOURCE_SECRET).
            """)
    var sourceSecret: String?

    func connector() throws -> SourceConnector {
        func nonEmpty(_ value: String?, _ variable: String) -> String? {
            if let value, !value.isEmpty { return value }
            return ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        do {
            return try SourceConnector.configure(
                connectionString: nonEmpty(source, "FERRY_SOURCE"),
                secretId: nonEmpty(sourceSecret, "FERRY_SOURCE_SECRET"))
        } catch {
            throw ValidationError(error.description)
        }
    }
}
