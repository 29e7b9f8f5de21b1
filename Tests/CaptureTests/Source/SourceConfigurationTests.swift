import Shared
import Testing

@testable import Capture

@Suite("Source configuration: the iam parameter, secrets' layout, what is refused before connecting")
struct SourceConfigurationTests {
    let environment = ["AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "k",
                       "HOME": "/nonexistent"]

    @Test func theIAMParameterIsTakenOutOfTheURL() {
        var url = "postgresql://ferry@db:5432/app?sslmode=require&iam=true&application_name=x"
        #expect(ConnectionStringParser.removingURLParameter("iam", from: &url) == "true")
        #expect(url == "postgresql://ferry@db:5432/app?sslmode=require&application_name=x")
        var only = "postgresql://ferry@db/app?iam=1"
        #expect(ConnectionStringParser.removingURLParameter("iam", from: &only) == "1")
        #expect(only == "postgresql://ferry@db/app")
        var keywords = "host=db iam=true"
        #expect(ConnectionStringParser.removingURLParameter("iam", from: &keywords) == nil)
        #expect(keywords == "host=db iam=true")
    }

    @Test func iamIsRefusedWithAWeakerSSLModeOrAPassword() {
        #expect(throws: SourceConfigurationError.iamNeedsEncryption(sslmode: "prefer")) {
            try SourceConnector.configure(
                connectionString: "postgresql://u@db/app?iam=true&sslmode=prefer", secretId: nil, environment: environment)
        }
        #expect(throws: SourceConfigurationError.iamWithPassword) {
            try SourceConnector.configure(
                connectionString: "postgresql://u:pw@db/app?iam=true", secretId: nil, environment: environment)
        }
        #expect(throws: SourceConfigurationError.invalidIAMParameter("yes please")) {
            try SourceConnector.configure(
                connectionString: "postgresql://u@db/app?iam=yes%20please", secretId: nil, environment: environment)
        }
        #expect(throws: SourceConfigurationError.missingSource) {
            try SourceConnector.configure(connectionString: nil, secretId: nil, environment: environment)
        }
    }

    @Test func iamFromTheEnvironmentAndTheRegionFromTheHostName() throws {
        var environment = self.environment
        environment["AWS_REGION"] = nil
        environment["FERRY_SOURCE_IAM"] = "1"
        let connector = try SourceConnector.configure(
            connectionString: "postgresql://u@mydb.abc.ap-south-1.rds.amazonaws.com/app?sslmode=verify-full",
            secretId: nil, environment: environment)
        #expect(connector.authentication == .rdsIAM(region: "ap-south-1"))
        #expect(connector.connectionString == "postgresql://u@mydb.abc.ap-south-1.rds.amazonaws.com/app?sslmode=verify-full")
        let plain = try SourceConnector.configure(
            connectionString: "postgresql://u@db/app?iam=false", secretId: nil, environment: self.environment)
        #expect(plain.authentication == .connectionString)
    }

    @Test func theSecretsRegionComesFromItsARN() throws {
        var environment = self.environment
        environment["AWS_REGION"] = nil
        let connector = try SourceConnector.configure(
            connectionString: nil, secretId: "arn:aws:secretsmanager:sa-east-1:123456789012:secret:db-AbCdEf",
            environment: environment)
        #expect(connector.authentication == .secret(id: "arn:aws:secretsmanager:sa-east-1:123456789012:secret:db-AbCdEf"))
        #expect(connector.redacted == "secret arn:aws:secretsmanager:sa-east-1:123456789012:secret:db-AbCdEf")
    }

    @Test func aDMSSecretBecomesLibpqSettings() throws {
        let secret = try DatabaseSecret(
            secretString: #"{"engine": "postgres", "username": "ferry", "password": "p@ss w'rd", "host": "db.example.com", "port": 5432, "dbname": "app"}"#,
            secretId: "s")
        #expect(secret.parameters == [
            "user": "ferry", "password": "p@ss w'rd", "host": "db.example.com", "port": "5432", "dbname": "app",
        ])
        let textPort = try DatabaseSecret(secretString: #"{"username": "u", "port": "6543"}"#, secretId: "s")
        #expect(textPort.parameters == ["user": "u", "port": "6543"])
    }

    @Test func aMalformedSecretIsNamedButNotQuoted() {
        let notJSON = #expect(throws: SourceSecretError.self) {
            try DatabaseSecret(secretString: "password=hunter2", secretId: "arn:aws:secretsmanager:x")
        }
        #expect(notJSON?.description.contains("arn:aws:secretsmanager:x") == true)
        #expect(notJSON?.description.contains("hunter2") == false)
        #expect(throws: SourceSecretError(secretId: "s", problem: .malformed("its \"password\" is not a string"))) {
            try DatabaseSecret(secretString: #"{"password": 123}"#, secretId: "s")
        }
    }
}
