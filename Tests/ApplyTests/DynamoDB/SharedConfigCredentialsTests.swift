@testable import AWS
import Foundation
import Testing

@testable import Apply

@Suite("Credentials: environment and shared files")
struct SharedConfigCredentialsTests {
    static let credentialsFile = """
        # comment line
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = secret/default+key

        [ci]
        AWS_ACCESS_KEY_ID=AKIDCI
        aws_secret_access_key=ci-secret
        aws_session_token = ci-token

        [broken]
        aws_access_key_id = AKIDBROKEN
        """
    static let configFile = """
        [default]
        region = eu-west-1

        [profile ci]
        region = us-west-2
        s3 =
          max_concurrent_requests = 20
        aws_access_key_id = AKIDFROMCONFIG

        [profile from-config]
        aws_access_key_id = AKIDCONFIG
        aws_secret_access_key = config-secret

        [profile assume]
        role_arn = arn:aws:iam::123456789012:role/x
        source_profile = default
        """

    func withFiles<T>(_ body: ([String: String]) async throws -> T) async throws -> T {
        try await withTemporaryDirectory { directory in
            try write(Self.credentialsFile, to: directory.appendingPathComponent("credentials"))
            try write(Self.configFile, to: directory.appendingPathComponent("config"))
            return try await body([
                "AWS_SHARED_CREDENTIALS_FILE": directory.appendingPathComponent("credentials").path,
                "AWS_CONFIG_FILE": directory.appendingPathComponent("config").path,
                "HOME": directory.path,
            ])
        }
    }

    func profileLookup(_ environment: [String: String]) async throws -> AWSCredentialsLookup {
        try await SharedFileCredentialsProvider(environment: environment, transport: ScriptedTransport([]))
            .lookUpCredentials()
    }

    func credentials(_ lookup: AWSCredentialsLookup) -> AWSCredentials? {
        if case .found(let found) = lookup { return found.credentials }
        return nil
    }

    @Test func iniParsingKeepsSectionsAndSkipsCommentsAndNestedBlocks() {
        let file = AWSINIFile(parsing: Self.configFile)
        #expect(file.sections["default"] == ["region": "eu-west-1"])
        #expect(file.sections["profile ci"] == ["region": "us-west-2", "s3": "", "aws_access_key_id": "AKIDFROMCONFIG"])
    }

    @Test func theDefaultProfileComesFromTheCredentialsFile() async throws {
        try await withFiles { environment in
            let found = credentials(try await profileLookup(environment))
            #expect(found?.accessKeyId == "AKIDDEFAULT")
            #expect(found?.secretAccessKey == "secret/default+key")
            #expect(found?.sessionToken == nil)
        }
    }

    @Test func awsProfileChoosesAProfileAndTheCredentialsFileWinsOverConfig() async throws {
        try await withFiles { environment in
            var environment = environment
            environment["AWS_PROFILE"] = "ci"
            let found = credentials(try await profileLookup(environment))
            #expect(found?.accessKeyId == "AKIDCI")
            #expect(found?.sessionToken == "ci-token")
        }
    }

    @Test func profilesInTheConfigFileAreRead() async throws {
        try await withFiles { environment in
            var environment = environment
            environment["AWS_PROFILE"] = "from-config"
            let found = credentials(try await profileLookup(environment))
            #expect(found?.accessKeyId == "AKIDCONFIG")
        }
    }

    @Test(arguments: ["missing", "broken"])
    func badProfilesAreErrorsNotFallbacks(profile: String) async throws {
        try await withFiles { environment in
            var environment = environment
            environment["AWS_PROFILE"] = profile
            await #expect(throws: AWSCredentialsError.self) {
                try await profileLookup(environment)
            }
        }
    }

    @Test func missingFilesMeanNotConfigured() async throws {
        let lookup = try await SharedFileCredentialsProvider(
            environment: ["HOME": "/nonexistent-ferry-home"], transport: ScriptedTransport([])).lookUpCredentials()
        guard case .notConfigured(let reason) = lookup else {
            Issue.record("expected notConfigured")
            return
        }
        #expect(reason.contains("/nonexistent-ferry-home/.aws/credentials"))
    }

    @Test func environmentCredentialsNeedBothKeys() throws {
        let found = credentials(try EnvironmentCredentialsProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
        ]).lookUpCredentials())
        #expect(found?.accessKeyId == "AKIDENV")
        #expect(found?.sessionToken == "env-token")
        #expect(throws: AWSCredentialsError.self) {
            try EnvironmentCredentialsProvider(environment: ["AWS_ACCESS_KEY_ID": "AKIDENV"]).lookUpCredentials()
        }
    }

    @Test func theEnvironmentComesBeforeTheFiles() async throws {
        try await withFiles { environment in
            var environment = environment
            environment["AWS_ACCESS_KEY_ID"] = "AKIDENV"
            environment["AWS_SECRET_ACCESS_KEY"] = "env-secret"
            let chain = AWSCredentialsChain.standard(environment: environment, transport: ScriptedTransport([]))
            let lookup = try await chain.lookUpCredentials()
            #expect(credentials(lookup)?.accessKeyId == "AKIDENV")
        }
    }

    @Test func anExhaustedChainListsEverySourceTried() async throws {
        let environment = ["HOME": "/nonexistent-ferry-home", "AWS_EC2_METADATA_DISABLED": "true"]
        let chain = AWSCredentialsChain.standard(environment: environment, transport: ScriptedTransport([]))
        let error = try await #require(throws: AWSCredentialsError.self) { try await chain.lookUpCredentials() }
        guard case .notFound(let tried) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(tried.count == 5)
        #expect(error.description.contains("AWS_ACCESS_KEY_ID"))
        #expect(error.description.contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"))
        #expect(error.description.contains("AWS_EC2_METADATA_DISABLED"))
    }

    @Test func credentialsNeverPrintTheirSecrets() {
        let credentials = AWSCredentials(accessKeyId: "AKID", secretAccessKey: "very-secret", sessionToken: "tok")
        #expect(!"\(credentials)".contains("very-secret"))
        #expect(!"\(credentials)".contains("tok)"))
    }

    @Test func regionAndEndpointComeFromTheEnvironmentThenTheProfile() async throws {
        try await withFiles { environment in
            let fromProfile = try DynamoDBClientConfiguration.fromEnvironment(environment)
            #expect(fromProfile.region == "eu-west-1")
            #expect(fromProfile.endpoint.url == "https://dynamodb.eu-west-1.amazonaws.com/")

            var overridden = environment
            overridden["AWS_PROFILE"] = "ci"
            #expect(try DynamoDBClientConfiguration.fromEnvironment(overridden).region == "us-west-2")
            overridden["AWS_DEFAULT_REGION"] = "ap-south-1"
            #expect(try DynamoDBClientConfiguration.fromEnvironment(overridden).region == "ap-south-1")
            overridden["AWS_REGION"] = "us-east-2"
            overridden["AWS_ENDPOINT_URL"] = "http://localhost:4566"
            #expect(try DynamoDBClientConfiguration.fromEnvironment(overridden).endpoint.url == "http://localhost:4566/")
            overridden["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:58000"
            let local = try DynamoDBClientConfiguration.fromEnvironment(overridden)
            #expect(local.region == "us-east-2")
            #expect(local.endpoint.url == "http://127.0.0.1:58000/")
        }
    }

    @Test func noRegionAnywhereIsAClearError() {
        #expect(throws: DynamoDBConfigurationError.missingRegion(profile: "default")) {
            try DynamoDBClientConfiguration.fromEnvironment(["HOME": "/nonexistent-ferry-home"])
        }
    }
}
