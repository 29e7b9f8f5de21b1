/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for temporary credentials, `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialsProvider: AWSCredentialsProvider {
    private let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func lookUpCredentials() throws(AWSCredentialsError) -> AWSCredentialsLookup {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        switch (variable("AWS_ACCESS_KEY_ID"), variable("AWS_SECRET_ACCESS_KEY")) {
        case (let accessKeyId?, let secretAccessKey?):
            return .found(ExpiringAWSCredentials(AWSCredentials(
                accessKeyId: accessKeyId,
                secretAccessKey: secretAccessKey,
                sessionToken: variable("AWS_SESSION_TOKEN")
            ), source: "environment (AWS_ACCESS_KEY_ID)"))
        case (nil, nil):
            return .notConfigured("environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        case (_?, nil):
            throw .invalidSource(
                source: "environment", reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        case (nil, _?):
            throw .invalidSource(
                source: "environment", reason: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        }
    }
}
