import Foundation

/// The active profile of the shared AWS files, `~/.aws/credentials` and `~/.aws/config`, located and chosen the
/// way the AWS CLI does: `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, `AWS_PROFILE` (else `default`).
/// The credentials file names profiles `[name]`; the config file `[profile name]` (and `[default]`).
/// A setting in the credentials file wins over the same setting in the config file.
package struct AWSSharedConfig: Sendable {
    package let profileName: String
    /// Whether `AWS_PROFILE` chose the profile; asking for a profile that does not exist is then an error.
    let profileWasChosen: Bool
    let credentialsFilePath: String
    let configFilePath: String
    private let credentialsFileSections: [String: [String: String]]
    private let configFileSections: [String: [String: String]]
    private var credentialsFileProfile: [String: String]? { credentialsFileSections[profileName] }
    private var configFileProfile: [String: String]? { Self.configProfile(profileName, in: configFileSections) }

    /// Reads both files; a missing file counts as empty.
    package init(environment: [String: String]) throws(AWSCredentialsError) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        func path(_ variable: String, default defaultPath: String) -> String {
            let configured = environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
            return configured.hasPrefix("~/") ? home + configured.dropFirst() : configured
        }
        let chosenProfile = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        profileName = chosenProfile ?? "default"
        profileWasChosen = chosenProfile != nil
        credentialsFilePath = path("AWS_SHARED_CREDENTIALS_FILE", default: "~/.aws/credentials")
        configFilePath = path("AWS_CONFIG_FILE", default: "~/.aws/config")

        credentialsFileSections = try Self.read(credentialsFilePath)?.sections ?? [:]
        configFileSections = try Self.read(configFilePath)?.sections ?? [:]
    }

    /// `[profile default]` is accepted for the default profile too; the prefixed form wins if both exist.
    private static func configProfile(_ name: String, in sections: [String: [String: String]]) -> [String: String]? {
        sections["profile \(name)"] ?? (name == "default" ? sections["default"] : nil)
    }

    /// Every setting of profile `name` (keys lower-case, empty values dropped), the credentials file's winning;
    /// nil when neither file has the profile.
    func profile(named name: String) -> [String: String]? {
        let fromCredentials = credentialsFileSections[name]
        let fromConfig = Self.configProfile(name, in: configFileSections)
        guard fromCredentials != nil || fromConfig != nil else { return nil }
        return (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { $1 }.filter { !$0.value.isEmpty }
    }

    /// The `[sso-session name]` section of the config file.
    func ssoSession(named name: String) -> [String: String]? {
        configFileSections["sso-session \(name)"]
    }

    /// Whether either file has a section for the profile.
    var profileExists: Bool { credentialsFileProfile != nil || configFileProfile != nil }

    /// A setting of the active profile (key lower-case), the credentials file first.
    package func value(_ key: String) -> String? {
        let value = credentialsFileProfile?[key] ?? configFileProfile?[key]
        return value?.isEmpty == false ? value : nil
    }

    /// Where `key` was found, for error messages.
    func location(of key: String) -> String {
        credentialsFileProfile?[key] != nil ? credentialsFilePath : configFilePath
    }

    private static func read(_ path: String) throws(AWSCredentialsError) -> AWSINIFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return AWSINIFile(parsing: String(decoding: data, as: UTF8.self))
        } catch {
            throw .unreadableFile(path: path, reason: String(describing: error))
        }
    }
}
