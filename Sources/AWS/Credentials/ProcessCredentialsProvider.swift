import Foundation
import Shared

/// A profile's `credential_process`: runs the command through `/bin/sh -c` and reads the credentials it prints
/// (see `ProcessCredentialsResponse`). Its standard error passes through to Ferry's; its standard output goes to a
/// private temporary file, so a large answer cannot fill a pipe while Ferry waits for the exit.
struct ProcessCredentialsProvider: AWSCredentialsProvider {
    let profile: String
    let command: String

    /// Names the profile, not the command line: a command may carry a secret in its arguments.
    private var source: String { "credential_process of profile '\(profile)'" }

    func lookUpCredentials() async throws -> AWSCredentialsLookup {
        let outputURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("ferry-credential-process-\(UUID().uuidString)")
        guard FileManager.default.createFile(
            atPath: outputURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else {
            throw AWSCredentialsError.invalidSource(source: source, reason: "cannot create \(outputURL.path)")
        }
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: AWSCredentialsError.invalidSource(
                    source: source, reason: "cannot start /bin/sh: \(error)"))
            }
        }
        guard status == 0 else {
            throw AWSCredentialsError.invalidSource(source: source, reason: "the command exited with status \(status)")
        }
        let body = try Array(Data(contentsOf: outputURL))
        return .found(try ProcessCredentialsResponse.parse(body, source: source))
    }
}

/// What a `credential_process` command prints: a JSON object with `Version` 1, `AccessKeyId`, `SecretAccessKey`,
/// and for temporary credentials `SessionToken` and `Expiration` (ISO 8601). Pure.
enum ProcessCredentialsResponse {
    static func parse(_ body: [UInt8], source: String) throws(AWSCredentialsError) -> ExpiringAWSCredentials {
        guard case .object(let object)? = try? JSONParser.parse(body) else {
            throw .invalidSource(source: source, reason: "the command's output is not a JSON object")
        }
        guard case .number("1")? = object["Version"] else {
            throw .invalidSource(source: source, reason: "the output's Version is not 1")
        }
        return try MetadataCredentialsResponse.credentials(in: object, sessionTokenKey: "SessionToken", source: source)
    }
}
