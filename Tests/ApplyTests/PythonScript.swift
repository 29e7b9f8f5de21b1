import Foundation
import Testing

/// Runs `python3 -c script` with `input` on its standard input and returns its standard output; the script must
/// read all its input before it writes, so writing everything first cannot deadlock. `environment`: variables set
/// for the script (`TZ=UTC`).
func runPython(_ script: String, input: Data, environment: [String] = []) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = environment + ["python3", "-c", script]
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    stdin.fileHandleForWriting.write(input)
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return output
}
