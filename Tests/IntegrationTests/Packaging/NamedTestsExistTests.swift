import Foundation
import Testing

/// The README and docs/design.md back their guarantees by naming tests (`ApplyStopTests`,
/// `NewHistoryTests.droppedSlotStops…`): every suite and test they name must exist, so a renamed or removed test
/// cannot leave a guarantee with nothing behind it.
@Suite("Packaging: the tests the documents name exist")
struct NamedTestsExistTests {
    @Test func everySuiteAndTestNamedInTheDocumentsExists() throws {
        let sources = try Self.testSources()
        let declared = Set(sources.matches(of: /(?:struct|class|enum|extension)\s+([A-Z]\w*Tests)\b/).map { String($0.output.1) })
        let functions = Set(sources.matches(of: /func\s+(\w+)\s*\(/).map { String($0.output.1) })
        var named = 0
        var missing: [String] = []
        for document in ["README.md", "docs/design.md"] {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(document), encoding: .utf8)
            for reference in text.matches(of: /`([A-Z]\w*Tests)(?:\.(\w+))?/) {
                named += 1
                let suite = String(reference.output.1)
                if !declared.contains(suite) {
                    missing.append("\(document): \(suite)")
                } else if let test = reference.output.2, !functions.contains(String(test)) {
                    missing.append("\(document): \(suite).\(test)")
                }
            }
        }
        #expect(missing.isEmpty, "named but not declared in Tests/: \(missing.joined(separator: ", "))")
        // The documents name tests by the dozen; finding few means the pattern stopped matching them.
        #expect(named >= 80, "found only \(named) test names in the documents")
    }

    /// Every Swift file under Tests/, as one text.
    static func testSources() throws -> String {
        let tests = repositoryRoot.appendingPathComponent("Tests")
        guard let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil) else { return "" }
        var text = ""
        for case let file as URL in files where file.pathExtension == "swift" {
            text += try String(contentsOf: file, encoding: .utf8) + "\n"
        }
        return text
    }
}
