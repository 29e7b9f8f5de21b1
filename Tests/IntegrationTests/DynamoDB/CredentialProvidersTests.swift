@testable import AWS
import Foundation
import NIOHTTP1
import Testing

@testable import Apply

// The credential providers that call a service, against real ones: STS is the stack's moto server (its DynamoDB
// endpoint serves every moto service; moto accepts any web identity token and any source credentials, and
// remembers which role and session each issued key belongs to). The IAM Identity Center portal and the EKS Pod
// Identity agent are stand-in HTTP servers of the test's own on a kernel-chosen port.
@Suite("Credential providers against STS, a stand-in portal and a credential_process script")
struct CredentialProvidersTests {
    /// An environment with nothing but what the test adds: no keys, no instance metadata, HOME in `directory`.
    func withEnvironment(_ body: ([String: String], URL, AsyncHTTPClientTransport) async throws -> Void) async throws {
        let moto = try TestStack.variable("AWS_ENDPOINT_URL_DYNAMODB")
        let transport = AsyncHTTPClientTransport()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent(".aws/sso/cache"), withIntermediateDirectories: true)
        do {
            try await body([
                "HOME": directory.path, "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1",
                "AWS_ENDPOINT_URL_STS": moto,
            ], directory, transport)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            try await transport.shutdown()
            throw error
        }
        try? FileManager.default.removeItem(at: directory)
        try await transport.shutdown()
    }

    func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    func found(_ lookup: AWSCredentialsLookup) throws -> ExpiringAWSCredentials {
        guard case .found(let credentials) = lookup else {
            throw AWSCredentialsError.invalidSource(source: "test", reason: "expected credentials, got \(lookup)")
        }
        return credentials
    }

    /// Who STS says `credentials` belong to: the ARN `GetCallerIdentity` answers, signed with them.
    func callerArn(_ credentials: AWSCredentials, environment: [String: String], transport: AsyncHTTPClientTransport)
        async throws -> String {
        let endpoint = try AWSEndpoint(url: try #require(environment["AWS_ENDPOINT_URL_STS"]))
        let body = Array("Action=GetCallerIdentity&Version=2011-06-15".utf8)
        let headers = [(name: "Host", value: endpoint.hostHeader),
                       (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")]
        let signature = SigV4Signer(credentials: credentials, region: "us-east-1", service: "sts")
            .sign(SignableRequest(method: "POST", path: endpoint.path, headers: headers, body: body), at: Date())
        let response = try await transport.send(
            AWSHTTPRequest(method: "POST", url: endpoint.url, headers: headers + signature, body: body),
            timeout: .seconds(10))
        #expect(response.isSuccess)
        return try #require(STSResponse.element("Arn", in: String(decoding: response.body, as: UTF8.self)[...]))
            .description
    }

    @Test func irsaWebIdentityFromTheEnvironmentAssumesTheRole() async throws {
        try await withEnvironment { environment, directory, transport in
            let tokenFile = directory.appendingPathComponent("token")
            try write("eyJhbGciOiJSUzI1NiJ9.service-account-token", to: tokenFile)
            var environment = environment
            environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile.path
            environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/ferry-irsa"
            environment["AWS_ROLE_SESSION_NAME"] = "ferry-pod-1"
            let chain = AWSCredentialsChain.standard(environment: environment, transport: transport)
            let credentials = try found(try await chain.lookUpCredentials())
            #expect(credentials.source.contains("web identity"))
            let expiration = try #require(credentials.expiration)
            #expect(expiration > Date().addingTimeInterval(600))
            #expect(try await callerArn(credentials.credentials, environment: environment, transport: transport)
                == "arn:aws:sts::123456789012:assumed-role/ferry-irsa/ferry-pod-1")
        }
    }

    @Test func anAssumeRoleProfileChainsThroughItsSourceProfiles() async throws {
        try await withEnvironment { environment, directory, transport in
            try write("""
                [profile base]
                aws_access_key_id = AKIDBASEEXAMPLE
                aws_secret_access_key = base-secret

                [profile middle]
                role_arn = arn:aws:iam::123456789012:role/ferry-middle
                source_profile = base

                [profile app]
                role_arn = arn:aws:iam::123456789012:role/ferry-app
                source_profile = middle
                external_id = ext-1
                duration_seconds = 1800
                role_session_name = ferry-apply
                """, to: directory.appendingPathComponent(".aws/config"))
            var environment = environment
            environment["AWS_PROFILE"] = "app"
            let before = Date()
            let chain = AWSCredentialsChain.standard(environment: environment, transport: transport)
            let credentials = try found(try await chain.lookUpCredentials())
            #expect(credentials.source.contains("profile 'app'"))
            let expiration = try #require(credentials.expiration)
            #expect(abs(expiration.timeIntervalSince(before) - 1800) < 60)
            #expect(try await callerArn(credentials.credentials, environment: environment, transport: transport)
                == "arn:aws:sts::123456789012:assumed-role/ferry-app/ferry-apply")
        }
    }

    @Test func aWebIdentityProfileAndACredentialSourceProfileAssumeTheirRoles() async throws {
        try await withEnvironment { environment, directory, transport in
            let tokenFile = directory.appendingPathComponent("token")
            try write("token", to: tokenFile)
            try write("""
                [profile irsa]
                role_arn = arn:aws:iam::123456789012:role/ferry-web
                web_identity_token_file = \(tokenFile.path)
                role_session_name = web

                [profile from-env]
                role_arn = arn:aws:iam::123456789012:role/ferry-env
                credential_source = Environment
                role_session_name = env
                """, to: directory.appendingPathComponent(".aws/config"))
            var environment = environment
            environment["AWS_PROFILE"] = "irsa"
            let web = try found(try await SharedFileCredentialsProvider(environment: environment, transport: transport)
                .lookUpCredentials())
            #expect(try await callerArn(web.credentials, environment: environment, transport: transport)
                == "arn:aws:sts::123456789012:assumed-role/ferry-web/web")

            environment["AWS_PROFILE"] = "from-env"
            // `credential_source = Environment` without keys in the environment is a broken profile.
            await #expect(throws: AWSCredentialsError.self) {
                try await SharedFileCredentialsProvider(environment: environment, transport: transport)
                    .lookUpCredentials()
            }
            environment["AWS_ACCESS_KEY_ID"] = "AKIDENVEXAMPLE"
            environment["AWS_SECRET_ACCESS_KEY"] = "env-secret"
            let fromEnvironment = try found(
                try await SharedFileCredentialsProvider(environment: environment, transport: transport)
                    .lookUpCredentials())
            #expect(try await callerArn(fromEnvironment.credentials, environment: environment, transport: transport)
                == "arn:aws:sts::123456789012:assumed-role/ferry-env/env")
        }
    }

    static let ssoConfig = """
        [sso-session corp]
        sso_start_url = https://d-abc123.awsapps.com/start
        sso_region = eu-west-1

        [profile sso]
        sso_session = corp
        sso_account_id = 123456789012
        sso_role_name = FerryWriter
        """

    @Test func anSSOProfileExchangesTheCachedTokenAtThePortal() async throws {
        try await withEnvironment { environment, directory, transport in
            try write(Self.ssoConfig, to: directory.appendingPathComponent(".aws/config"))
            let expiresAt = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
            // sha1("corp")
            try write(#"{"accessToken": "cached-sso-token", "expiresAt": "\#(expiresAt)"}"#,
                      to: directory.appendingPathComponent(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"))
            let roleExpiration = Int((Date().timeIntervalSince1970 + 3600) * 1000)
            try await StandInHTTPServer.with(respond: { _ in
                (.ok, #"{"roleCredentials": {"accessKeyId": "ASIASSOEXAMPLE", "secretAccessKey": "sso-secret", "#
                    + #""sessionToken": "sso-session", "expiration": \#(roleExpiration)}}"#)
            }) { portal in
                var environment = environment
                environment["AWS_PROFILE"] = "sso"
                environment["AWS_ENDPOINT_URL_SSO"] = "http://127.0.0.1:\(portal.port)"
                let chain = AWSCredentialsChain.standard(environment: environment, transport: transport)
                let credentials = try found(try await chain.lookUpCredentials())
                #expect(credentials.credentials.accessKeyId == "ASIASSOEXAMPLE")
                #expect(credentials.credentials.sessionToken == "sso-session")
                #expect(credentials.expiration == Date(timeIntervalSince1970: Double(roleExpiration) / 1000))
                let request = try #require(await portal.requests.first)
                #expect(request.method == .GET)
                #expect(request.uri == "/federation/credentials?account_id=123456789012&role_name=FerryWriter")
                #expect(request.headers["x-amz-sso_bearer_token"] == ["cached-sso-token"])
                #expect(request.headers["Authorization"].isEmpty)
            }
        }
    }

    @Test func anExpiredSSOTokenSaysToLogInAgainAndCallsNothing() async throws {
        try await withEnvironment { environment, directory, transport in
            try write(Self.ssoConfig, to: directory.appendingPathComponent(".aws/config"))
            let expiredAt = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))
            try write(#"{"accessToken": "stale-sso-token", "expiresAt": "\#(expiredAt)"}"#,
                      to: directory.appendingPathComponent(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"))
            try await StandInHTTPServer.with(respond: { _ in (.internalServerError, "") }) { portal in
                var environment = environment
                environment["AWS_PROFILE"] = "sso"
                environment["AWS_ENDPOINT_URL_SSO"] = "http://127.0.0.1:\(portal.port)"
                let chain = AWSCredentialsChain.standard(environment: environment, transport: transport)
                let error = try await #require(throws: AWSCredentialsError.self) { try await chain.lookUpCredentials() }
                #expect(error.description.contains("aws sso login --profile sso"))
                #expect(!error.description.contains("stale-sso-token"))
                #expect(await portal.requests.isEmpty)
            }
        }
    }

    @Test func podIdentityReadsTheRotatedTokenFileAtEachRefresh() async throws {
        try await withEnvironment { environment, directory, transport in
            let tokenFile = directory.appendingPathComponent("eks-pod-identity-token")
            try write("pod-token-1", to: tokenFile)
            let expiration = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
            try await StandInHTTPServer.with(respond: { _ in
                (.ok, #"{"AccessKeyId": "ASIAPODEXAMPLE", "SecretAccessKey": "pod-secret", "Token": "pod-session", "#
                    + #""Expiration": "\#(expiration)"}"#)
            }) { agent in
                var environment = environment
                environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:\(agent.port)/v1/credentials"
                environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile.path
                let chain = AWSCredentialsChain.standard(environment: environment, transport: transport)
                #expect(try found(try await chain.lookUpCredentials()).credentials.accessKeyId == "ASIAPODEXAMPLE")
                try write("pod-token-2", to: tokenFile)
                _ = try await chain.lookUpCredentials()
                #expect(await agent.requests.map { $0.headers["Authorization"] } == [["pod-token-1"], ["pod-token-2"]])
            }
        }
    }

    @Test func credentialProcessOutputIsUsedAndAFailingCommandIsAnError() async throws {
        try await withEnvironment { environment, directory, transport in
            let script = directory.appendingPathComponent("get-creds.sh")
            try write("""
                #!/bin/sh
                if [ "$1" = "--fail" ]; then echo '{"Version": 1, "AccessKeyId": "X", "SecretAccessKey": "leaked"}'; exit 3; fi
                echo '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret",'
                echo ' "SessionToken": "process-token", "Expiration": "2099-01-01T00:00:00Z"}'
                """, to: script)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
            try write("""
                [profile tool]
                credential_process = \(script.path) --role "ferry writer"

                [profile broken-tool]
                credential_process = \(script.path) --fail
                """, to: directory.appendingPathComponent(".aws/config"))
            var environment = environment
            environment["AWS_PROFILE"] = "tool"
            let credentials = try found(
                try await AWSCredentialsChain.standard(environment: environment, transport: transport).lookUpCredentials())
            #expect(credentials.credentials.accessKeyId == "AKIDPROCESS")
            #expect(credentials.credentials.sessionToken == "process-token")
            #expect(credentials.expiration == MetadataCredentialsResponse.parseISO8601("2099-01-01T00:00:00Z"))

            environment["AWS_PROFILE"] = "broken-tool"
            let error = try await #require(throws: AWSCredentialsError.self) {
                try await AWSCredentialsChain.standard(environment: environment, transport: transport).lookUpCredentials()
            }
            #expect(error.description.contains("exited with status 3"))
            #expect(!error.description.contains("leaked"))
        }
    }
}
