import Testing

@testable import Capture

@Suite("Connection strings: redaction and the server they name")
struct ConnectionTargetTests {
    @Test func urlPasswordIsHidden() {
        let target = ConnectionTarget("postgresql://ferry:s3cr%40t@db.example.com:6543/LoanApp?sslmode=require", environment: [:])
        #expect(target.redacted == "postgresql://ferry:***@db.example.com:6543/LoanApp?sslmode=require")
        #expect(target.user == "ferry")
        #expect(target.password == "s3cr@t")
        #expect(target.endpoint == "db.example.com:6543")
        #expect(target.database == "LoanApp")
    }

    @Test func passwordInQueryParameterIsHidden() {
        let target = ConnectionTarget("postgres://app@10.0.0.5/orders?password=hunter2&application_name=x", environment: [:])
        #expect(target.redacted == "postgres://app@10.0.0.5/orders?password=***&application_name=x")
        #expect(target.password == "hunter2")
        #expect(target.endpoint == "10.0.0.5:5432")
    }

    @Test func urlWithoutCredentialsIsUnchangedAndFallsBackToEnvironment() {
        let target = ConnectionTarget(
            "postgresql:///orders", environment: ["PGUSER": "envuser", "PGHOST": "envhost", "PGPORT": "7777"])
        #expect(target.redacted == "postgresql:///orders")
        #expect(target.user == "envuser")
        #expect(target.endpoint == "envhost:7777")
    }

    @Test func ipv6HostKeepsItsBrackets() {
        let target = ConnectionTarget("postgresql://u:p@[::1]:5433/db", environment: [:])
        #expect(target.redacted == "postgresql://u:***@[::1]:5433/db")
        #expect(target.endpoint == "[::1]:5433")
    }

    @Test func keywordFormPasswordIsHidden() {
        let target = ConnectionTarget("host=db port=5433 user=ferry password='it\\'s secret' dbname=app", environment: [:])
        #expect(!target.redacted.contains("secret"))
        #expect(target.redacted == "host=db port=5433 user=ferry password=*** dbname=app")
        #expect(target.endpoint == "db:5433")
        #expect(target.database == "app")
    }

    @Test func scrubsThePasswordFromLibraryMessages() {
        let target = ConnectionTarget("postgresql://u:topsecret@h/db", environment: [:])
        #expect(target.scrubbing("missing \"=\" after \"topsecret\"") == "missing \"=\" after \"***\"")
    }
}
