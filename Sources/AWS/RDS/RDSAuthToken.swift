import Foundation

/// The password an RDS or Aurora database accepts from a user with IAM authentication (`GRANT rds_iam`): a
/// presigned `rds-db:connect` request, `<host>:<port>/?Action=connect&DBUser=<user>&X-Amz-…`, valid for 15
/// minutes — long enough to log in with, so every new connection gets a fresh one. Equal, for the same inputs and
/// time, to what botocore's `generate_db_auth_token` and `aws rds generate-db-auth-token` produce.
public enum RDSAuthToken {
    /// Seconds a token is accepted for; AWS fixes it at 15 minutes.
    public static let validity = 900

    public static func generate(
        host: String, port: Int, user: String, region: String, credentials: AWSCredentials, at date: Date
    ) -> String {
        let authority = "\(host):\(port)"
        // The signed Host header is lower-case, as the URL parsers of the SDKs make it; the token keeps the host as given.
        let query = SigV4Signer(credentials: credentials, region: region, service: "rds-db").presignedQuery(
            method: "GET", host: "\(host.lowercased()):\(port)",
            parameters: [(name: "Action", value: "connect"), (name: "DBUser", value: user)],
            expiresInSeconds: validity, at: date)
        return "\(authority)/?\(query)"
    }

    /// The region in an RDS endpoint's name (`<name>.<id>.<region>.rds.amazonaws.com`, `….rds.amazonaws.com.cn`),
    /// or nil for any other host.
    public static func region(ofEndpoint host: String) -> String? {
        let labels = host.lowercased().split(separator: ".")
        guard let rds = labels.lastIndex(of: "rds"), rds >= 1, labels[(rds + 1)...].first == "amazonaws" else {
            return nil
        }
        return String(labels[rds - 1])
    }
}
