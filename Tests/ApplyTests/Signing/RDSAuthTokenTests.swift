@testable import AWS
import Foundation
import Testing

/// The RDS IAM authentication token against botocore's `generate_db_auth_token` (what `aws rds
/// generate-db-auth-token` prints), run for the same inputs with the same fixed credentials and a frozen clock.
@Suite("RDS IAM authentication token")
struct RDSAuthTokenTests {
    struct Case: Sendable {
        var host: String
        var port: Int
        var user: String
        var region: String
        var credentials: AWSCredentials
        var time: Date
    }

    static let cases = [
        Case(host: "mydb.c1x2y3z4.eu-west-1.rds.amazonaws.com", port: 5432, user: "ferry", region: "eu-west-1",
             credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
             time: Date(timeIntervalSince1970: 1_767_225_600)),
        // Temporary credentials: the session token travels in the query (X-Amz-Security-Token) and is signed.
        Case(host: "aurora.cluster-abc.us-east-1.rds.amazonaws.com", port: 6543, user: "capture_user",
             region: "us-east-1",
             credentials: AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/with+signs=",
                                         sessionToken: "FwoGZXIvYXdzE+token/with=chars"),
             time: Date(timeIntervalSince1970: 1_796_000_123)),
        // A user name that needs percent-encoding, an upper-case host, a China region.
        Case(host: "DB.Example.rds.amazonaws.com.cn", port: 5432, user: "ferry user+ü@x", region: "cn-north-1",
             credentials: AWSCredentials(accessKeyId: "AKID2", secretAccessKey: "k"),
             time: Date(timeIntervalSince1970: 1_700_000_000)),
    ]

    @Test func equalsBotocoreForTheSameInputsAndClock() throws {
        let ours = Self.cases.map {
            RDSAuthToken.generate(
                host: $0.host, port: $0.port, user: $0.user, region: $0.region, credentials: $0.credentials, at: $0.time)
        }
        let botocore = try Self.botocoreTokens(Self.cases)
        #expect(ours.count == 3)
        for (index, (token, expected)) in zip(ours, botocore).enumerated() {
            #expect(token == expected, "case \(index)")
        }
        // The shape RDS expects: no scheme, host:port, 15 minutes.
        #expect(ours[0].hasPrefix("mydb.c1x2y3z4.eu-west-1.rds.amazonaws.com:5432/?Action=connect&DBUser=ferry&"))
        #expect(ours[0].contains("&X-Amz-Expires=900&"))
        #expect(ours[1].contains("X-Amz-Security-Token=FwoGZXIvYXdzE%2Btoken%2Fwith%3Dchars"))
    }

    @Test func regionOfAnRDSEndpoint() {
        #expect(RDSAuthToken.region(ofEndpoint: "mydb.c1x2y3z4.eu-west-1.rds.amazonaws.com") == "eu-west-1")
        #expect(RDSAuthToken.region(ofEndpoint: "a.cluster-ro-xyz.cn-north-1.rds.amazonaws.com.cn") == "cn-north-1")
        #expect(RDSAuthToken.region(ofEndpoint: "db.internal.example.com") == nil)
        #expect(RDSAuthToken.region(ofEndpoint: "rds.amazonaws.com") == nil)
    }

    /// Runs botocore with each case's credentials and its time frozen (`botocore.auth.get_current_datetime`).
    static func botocoreTokens(_ cases: [Case]) throws -> [String] {
        let input = try JSONSerialization.data(withJSONObject: cases.map { testCase -> [String: Any] in
            [
                "host": testCase.host, "port": testCase.port, "user": testCase.user, "region": testCase.region,
                "key": testCase.credentials.accessKeyId, "secret": testCase.credentials.secretAccessKey,
                "token": testCase.credentials.sessionToken ?? NSNull(), "time": testCase.time.timeIntervalSince1970,
            ]
        })
        let script = """
            import datetime, json, sys
            import botocore.auth, botocore.session
            tokens = []
            for case in json.load(sys.stdin):
                frozen = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).replace(tzinfo=None)
                botocore.auth.get_current_datetime = lambda *args, **kwargs: frozen
                client = botocore.session.get_session().create_client(
                    "rds", region_name=case["region"], aws_access_key_id=case["key"],
                    aws_secret_access_key=case["secret"], aws_session_token=case["token"])
                tokens.append(client.generate_db_auth_token(case["host"], case["port"], case["user"]))
            json.dump(tokens, sys.stdout)
            """
        let output = try runPython(script, input: input)
        return try #require(try JSONSerialization.jsonObject(with: output) as? [String])
    }
}
