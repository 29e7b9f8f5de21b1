@testable import AWS
import Foundation
import Testing

/// Amazon MSK IAM tokens compared byte for byte with AWS's own signer library, aws-msk-iam-sasl-signer-python
/// (scripts/bootstrap.sh installs it), run with the same credentials and its clock fixed at the same instant.
@Suite("Amazon MSK IAM token")
struct MSKIAMTokenTests {
    struct Case: Codable {
        var accessKeyId: String
        var secretAccessKey: String
        var sessionToken: String?
        var region: String
        /// Seconds since the epoch, fractions included (the token counts whole seconds).
        var epoch: Double
    }

    struct ReferenceToken: Codable {
        var token: String
        var expiresAtMs: Int64
        var userAgent: String
    }

    static let cases = [
        Case(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            sessionToken: nil, region: "us-east-1", epoch: 1_440_938_160),
        // A session token with characters that need percent-encoding; a time a hair before midnight.
        Case(
            accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/with+plus=", sessionToken: "IQoJb3Jp+Z2lu/X2Vj==",
            region: "eu-west-1", epoch: 1_700_006_399.999),
        Case(
            accessKeyId: "ASIA2EXAMPLE", secretAccessKey: "k", sessionToken: "FwoGZXIvYXdzEBAaD",
            region: "ap-southeast-2", epoch: 1_709_164_800.5),
    ]

    @Test func tokensEqualTheReferenceSigners() throws {
        let references = try Self.referenceTokens(Self.cases)
        try #require(references.count == Self.cases.count)
        for (testCase, reference) in zip(Self.cases, references) {
            let token = MSKIAMToken(
                credentials: AWSCredentials(
                    accessKeyId: testCase.accessKeyId, secretAccessKey: testCase.secretAccessKey,
                    sessionToken: testCase.sessionToken),
                region: testCase.region, userAgent: reference.userAgent,
                at: Date(timeIntervalSince1970: testCase.epoch))
            #expect(token.value == reference.token, "region \(testCase.region)")
            #expect(token.expiresAtMs == reference.expiresAtMs, "region \(testCase.region)")
        }
    }

    @Test func tokenIsBase64URLOfThePresignedURLWithoutPadding() throws {
        let token = MSKIAMToken(
            credentials: AWSCredentials(accessKeyId: "AKID", secretAccessKey: "secret", sessionToken: "a+b/c="),
            region: "us-west-2", userAgent: "ferry/1", at: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(!token.value.contains("=") && !token.value.contains("+") && !token.value.contains("/"))
        let padded = token.value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            + String(repeating: "=", count: (4 - token.value.count % 4) % 4)
        let url = String(decoding: try #require(Data(base64Encoded: padded)), as: UTF8.self)
        #expect(url.hasPrefix("https://kafka.us-west-2.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-Algorithm="))
        #expect(url.contains("&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Security-Token=a%2Bb%2Fc%3D&"))
        #expect(url.hasSuffix("&User-Agent=ferry%2F1"))
        #expect(token.expiresAtMs == 1_700_000_900_000)
    }

    /// Runs the reference signer on `cases` (TZ=UTC: it turns the signing time back into an epoch as local time;
    /// pip install aws-msk-iam-sasl-signer-python if it is missing).
    private static func referenceTokens(_ cases: [Case]) throws -> [ReferenceToken] {
        let output = try runPython(referenceScript, input: try JSONEncoder().encode(cases), environment: ["TZ=UTC"])
        return try JSONDecoder().decode([ReferenceToken].self, from: output)
    }

    private static let referenceScript = """
        import sys, json, datetime
        from unittest import mock
        import botocore.auth
        from botocore.credentials import CredentialProvider, Credentials
        from aws_msk_iam_sasl_signer import MSKAuthTokenProvider as signer

        class Fixed(CredentialProvider):
            def __init__(self, case):
                self.case = case
            def load(self):
                return Credentials(self.case["accessKeyId"], self.case["secretAccessKey"], self.case.get("sessionToken"))

        tokens = []
        for case in json.load(sys.stdin):
            now = datetime.datetime.fromtimestamp(case["epoch"], datetime.timezone.utc).replace(tzinfo=None)
            with mock.patch.object(botocore.auth, "get_current_datetime", return_value=now):
                token, expiry = signer.generate_auth_token_from_credentials_provider(case["region"], Fixed(case))
            tokens.append({"token": token, "expiresAtMs": expiry, "userAgent": signer.__get_user_agent__()})
        json.dump(tokens, sys.stdout)
        """
}
