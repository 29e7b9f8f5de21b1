@testable import AWS
import Foundation
import Testing

@testable import Apply

@Suite("Credentials: STS, SSO and credential_process answers")
struct CredentialDecodingTests {
    static let assumeRoleAnswer = """
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>\
        <Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>s3cr&amp;t</SecretAccessKey>\
        <SessionToken>tok/en+</SessionToken><Expiration>2026-12-07T02:55:23.782484Z</Expiration></Credentials>\
        <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>\
        </AssumeRoleResult></AssumeRoleResponse>
        """

    @Test func stsCredentialsAreDecodedWithTheirExpiration() throws {
        let found = try STSResponse.credentials(Array(Self.assumeRoleAnswer.utf8))
        #expect(found.credentials.accessKeyId == "ASIAEXAMPLE")
        #expect(found.credentials.secretAccessKey == "s3cr&t")
        #expect(found.credentials.sessionToken == "tok/en+")
        #expect(found.expiration == MetadataCredentialsResponse.parseISO8601("2026-12-07T02:55:23.782484Z"))
        #expect(found.expiration != nil)
    }

    @Test func anSTSAnswerWithoutAPartSaysWhichPart() {
        let noToken = Self.assumeRoleAnswer.replacingOccurrences(of: "<SessionToken>tok/en+</SessionToken>", with: "")
        #expect(throws: STSResponse.DecodingError.missingElement(path: "Credentials/SessionToken")) {
            try STSResponse.credentials(Array(noToken.utf8))
        }
        #expect(throws: STSResponse.DecodingError.missingElement(path: "Credentials")) {
            try STSResponse.credentials(Array("<AssumeRoleResponse/>".utf8))
        }
        let badDate = Self.assumeRoleAnswer.replacingOccurrences(of: "2026-12-07T02:55:23.782484Z", with: "soon")
        #expect(throws: STSResponse.DecodingError.unreadableExpiration("soon")) {
            try STSResponse.credentials(Array(badDate.utf8))
        }
    }

    @Test func stsErrorsGiveCodeAndMessage() {
        let body = """
            <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
            <Message>not authorized to perform sts:AssumeRole &amp; more</Message></Error></ErrorResponse>
            """
        #expect(STSResponse.error(Array(body.utf8)) == "AccessDenied: not authorized to perform sts:AssumeRole & more")
        #expect(STSResponse.error(Array("<html>gateway</html>".utf8)) == nil)
    }

    @Test func theSSOTokenCacheIsNamedByTheSHA1OfTheSessionOrStartURL() {
        var settings = ProfileCredentialSource.SSOSettings(
            startURL: "https://d-abc123.awsapps.com/start", region: "eu-west-1", accountId: "123456789012",
            roleName: "Reader", sessionName: "my-sso")
        #expect(SSOTokenCache.fileName(for: settings) == "0ad374308c5a4e22f723adf10145eafad7c4031c.json")
        settings.sessionName = nil
        #expect(SSOTokenCache.fileName(for: settings) == "40a89917e3175433e361b710a9d43528d7f1890a.json")
    }

    @Test func theSSOTokenCacheFileIsRead() throws {
        let token = try SSOTokenCache.parse(
            Array(#"{"accessToken": "tok", "expiresAt": "2026-12-07T03:00:00UTC", "region": "eu-west-1"}"#.utf8),
            path: "/cache.json")
        #expect(token.accessToken == "tok")
        #expect(token.expiresAt == MetadataCredentialsResponse.parseISO8601("2026-12-07T03:00:00Z"))
        #expect(throws: AWSCredentialsError.unreadableFile(path: "/cache.json", reason: "no accessToken")) {
            try SSOTokenCache.parse(Array(#"{"expiresAt": "2026-12-07T03:00:00Z"}"#.utf8), path: "/cache.json")
        }
    }

    @Test func ssoRoleCredentialsCarryTheirMillisecondExpiration() throws {
        let body = #"""
            {"roleCredentials": {"accessKeyId": "ASIASSO", "secretAccessKey": "sso-secret",
             "sessionToken": "sso-token", "expiration": 1796612400000}}
            """#
        let found = try SSORoleCredentials.parse(Array(body.utf8), source: "sso")
        #expect(found.credentials.accessKeyId == "ASIASSO")
        #expect(found.credentials.sessionToken == "sso-token")
        #expect(found.expiration == Date(timeIntervalSince1970: 1_796_612_400))
        let error = try #require(throws: AWSCredentialsError.self) {
            try SSORoleCredentials.parse(Array(#"{"roleCredentials": {"accessKeyId": "A"}}"#.utf8), source: "sso")
        }
        #expect(error.description.contains("roleCredentials.secretAccessKey"))
    }

    @Test func processOutputMustBeVersion1WithBothKeys() throws {
        let body = #"""
            {"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret",
             "SessionToken": "proc-token", "Expiration": "2026-12-07T03:00:00Z"}
            """#
        let found = try ProcessCredentialsResponse.parse(Array(body.utf8), source: "process")
        #expect(found.credentials.accessKeyId == "AKIDPROC")
        #expect(found.credentials.sessionToken == "proc-token")
        #expect(found.expiration == MetadataCredentialsResponse.parseISO8601("2026-12-07T03:00:00Z"))
        let longTerm = try ProcessCredentialsResponse.parse(
            Array(#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S"}"#.utf8), source: "process")
        #expect(longTerm.expiration == nil)
        for bad in [#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                    #"{"Version": 1, "AccessKeyId": "A"}"#, "not json"] {
            #expect(throws: AWSCredentialsError.self) {
                try ProcessCredentialsResponse.parse(Array(bad.utf8), source: "process")
            }
        }
    }
}
