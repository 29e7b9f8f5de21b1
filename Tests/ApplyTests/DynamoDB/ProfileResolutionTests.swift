@testable import AWS
import Foundation
import Testing

@testable import Apply

@Suite("Credentials: profile resolution")
struct ProfileResolutionTests {
    static let configFile = """
        [profile base]
        aws_access_key_id = AKIDBASE
        aws_secret_access_key = base-secret

        [profile middle]
        role_arn = arn:aws:iam::123456789012:role/middle
        source_profile = base

        [profile app]
        role_arn = arn:aws:iam::123456789012:role/app
        source_profile = middle
        external_id = ext-1
        duration_seconds = 1800
        role_session_name = ferry-app

        [profile self-sourced]
        role_arn = arn:aws:iam::123456789012:role/self
        source_profile = self-sourced
        aws_access_key_id = AKIDSELF
        aws_secret_access_key = self-secret

        [profile cycle-a]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = cycle-b

        [profile cycle-b]
        role_arn = arn:aws:iam::123456789012:role/b
        source_profile = cycle-a

        [profile on-ec2]
        role_arn = arn:aws:iam::123456789012:role/ec2
        credential_source = Ec2InstanceMetadata

        [profile both-sources]
        role_arn = arn:aws:iam::123456789012:role/x
        source_profile = base
        credential_source = Environment

        [profile bad-source]
        role_arn = arn:aws:iam::123456789012:role/x
        credential_source = Laptop

        [profile no-source]
        role_arn = arn:aws:iam::123456789012:role/x

        [profile short]
        role_arn = arn:aws:iam::123456789012:role/x
        source_profile = base
        duration_seconds = 60

        [profile irsa]
        role_arn = arn:aws:iam::123456789012:role/irsa
        web_identity_token_file = /var/run/token

        [sso-session corp]
        sso_start_url = https://d-abc123.awsapps.com/start
        sso_region = eu-west-1

        [profile sso-new]
        sso_session = corp
        sso_account_id = 123456789012
        sso_role_name = Reader

        [profile sso-legacy]
        sso_start_url = https://d-abc123.awsapps.com/start
        sso_region = us-east-2
        sso_account_id = 123456789012
        sso_role_name = Writer

        [profile sso-incomplete]
        sso_session = corp
        sso_account_id = 123456789012

        [profile sso-unknown-session]
        sso_session = nowhere
        sso_account_id = 123456789012
        sso_role_name = Reader

        [profile by-process]
        credential_process = /usr/local/bin/get-creds --profile x

        [profile role-wins]
        role_arn = arn:aws:iam::123456789012:role/x
        source_profile = base
        aws_access_key_id = AKIDIGNORED
        aws_secret_access_key = ignored
        credential_process = /bin/false

        [profile empty]
        region = eu-west-1
        """

    func resolve(_ profile: String) async throws -> ProfileCredentialSource? {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("config")
            try write(Self.configFile, to: path)
            let config = try AWSSharedConfig(environment: [
                "AWS_CONFIG_FILE": path.path, "AWS_SHARED_CREDENTIALS_FILE": directory.appendingPathComponent("none").path,
            ])
            return try ProfileCredentialSource.resolve(profile: profile, in: config, defaultSessionName: "default-name")
        }
    }

    static let base = ProfileCredentialSource.staticKeys(
        profile: "base", accessKeyId: "AKIDBASE", secretAccessKey: "base-secret", sessionToken: nil)

    @Test func sourceProfilesChainRolesDownToStaticKeys() async throws {
        let middle = ProfileCredentialSource.assumeRole(
            profile: "middle",
            role: .init(roleArn: "arn:aws:iam::123456789012:role/middle", sessionName: "default-name"),
            source: .profile(Self.base))
        #expect(try await resolve("app") == .assumeRole(
            profile: "app",
            role: .init(roleArn: "arn:aws:iam::123456789012:role/app", sessionName: "ferry-app",
                        externalId: "ext-1", durationSeconds: 1800),
            source: .profile(middle)))
    }

    @Test func aProfileThatSourcesItselfUsesItsOwnKeys() async throws {
        #expect(try await resolve("self-sourced") == .assumeRole(
            profile: "self-sourced",
            role: .init(roleArn: "arn:aws:iam::123456789012:role/self", sessionName: "default-name"),
            source: .profile(.staticKeys(profile: "self-sourced", accessKeyId: "AKIDSELF",
                                         secretAccessKey: "self-secret", sessionToken: nil))))
    }

    @Test func roleArnWinsOverKeysAndProcessInTheSameProfile() async throws {
        guard case .assumeRole(_, _, .profile(let source))? = try await resolve("role-wins") else {
            Issue.record("expected an assume-role source")
            return
        }
        #expect(source == Self.base)
    }

    @Test func credentialSourceAndWebIdentityAndProcessAreRecognised() async throws {
        #expect(try await resolve("on-ec2") == .assumeRole(
            profile: "on-ec2", role: .init(roleArn: "arn:aws:iam::123456789012:role/ec2", sessionName: "default-name"),
            source: .ec2InstanceMetadata))
        #expect(try await resolve("irsa") == .webIdentity(
            profile: "irsa", role: .init(roleArn: "arn:aws:iam::123456789012:role/irsa", sessionName: "default-name"),
            tokenFile: "/var/run/token"))
        #expect(try await resolve("by-process") == .process(
            profile: "by-process", command: "/usr/local/bin/get-creds --profile x"))
        #expect(try await resolve("empty") == nil)
    }

    @Test func ssoProfilesTakeTheirSessionOrTheirOwnSettings() async throws {
        #expect(try await resolve("sso-new") == .sso(profile: "sso-new", .init(
            startURL: "https://d-abc123.awsapps.com/start", region: "eu-west-1", accountId: "123456789012",
            roleName: "Reader", sessionName: "corp")))
        #expect(try await resolve("sso-legacy") == .sso(profile: "sso-legacy", .init(
            startURL: "https://d-abc123.awsapps.com/start", region: "us-east-2", accountId: "123456789012",
            roleName: "Writer", sessionName: nil)))
    }

    @Test(arguments: [
        ("cycle-a", "cycle-a → cycle-b → cycle-a"),
        ("both-sources", "both source_profile and credential_source"),
        ("bad-source", "credential_source 'Laptop'"),
        ("no-source", "role_arn needs source_profile"),
        ("short", "duration_seconds '60'"),
        ("sso-incomplete", "needs sso_role_name"),
        ("sso-unknown-session", "[sso-session nowhere]"),
        ("missing", "in neither file"),
    ])
    func brokenProfilesAreErrorsThatSayWhy(profile: String, expected: String) async throws {
        let error = try await #require(throws: AWSCredentialsError.self) { try await resolve(profile) }
        #expect(error.description.contains(expected), "\(error)")
    }
}
