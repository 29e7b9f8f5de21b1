import Foundation
import Testing

/// The README's "On AWS" section: its IAM policies are JSON an operator can paste (every action `service:Action`),
/// and every `--option` it names is one the binary has (docs/cli.md, which `CLIReferenceTests` keeps current).
@Suite("Packaging: README On AWS")
struct OnAWSPolicyTests {
    static let section: String = {
        let readme = (try? String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        guard let start = readme.range(of: "\n## On AWS\n") else { return "" }
        let rest = readme[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
    }()

    @Test func everyPolicyIsJSONWithWellFormedActions() throws {
        let blocks = Self.fencedBlocks(language: "json", in: Self.section)
        try #require(blocks.count >= 3, "expected the capture, apply and validate policies")
        let actionName = try Regex("^[a-z0-9-]+:[A-Za-z0-9]+\\*?$")
        for block in blocks {
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(block.utf8)) as? [String: Any], "not a JSON object:\n\(block)")
            #expect(document["Version"] as? String == "2012-10-17")
            let statements = try #require(document["Statement"] as? [[String: Any]], "no Statement list:\n\(block)")
            #expect(!statements.isEmpty)
            for statement in statements {
                #expect(statement["Effect"] as? String == "Allow")
                let actions = (statement["Action"] as? [String]) ?? (statement["Action"] as? String).map { [$0] } ?? []
                #expect(!actions.isEmpty, "a statement without actions: \(statement)")
                for action in actions {
                    #expect(action.wholeMatch(of: actionName) != nil, "not service:Action: \(action)")
                }
                let resources = (statement["Resource"] as? [String]) ?? (statement["Resource"] as? String).map { [$0] } ?? []
                #expect(!resources.isEmpty && resources.allSatisfy { $0.hasPrefix("arn:aws:") }, "\(statement)")
            }
        }
    }

    @Test func everyOptionItNamesExists() throws {
        let reference = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        // Not inside a word: a link anchor such as `#postgresql-on-rds--aurora` names no option.
        let option = try Regex("(?:^|[^A-Za-z0-9-])(--[a-z][a-z0-9-]*)").anchorsMatchLineEndings()
        let named = Set(Self.section.matches(of: option).compactMap { $0.output[1].substring.map(String.init) })
        try #require(named.contains("--kafka-auth"))
        for option in named.sorted() {
            let listed = try Regex("\(option)(?![a-z0-9-])")
            #expect(reference.contains(listed), "README's On AWS names \(option), which no command has (docs/cli.md)")
        }
    }

    /// The contents of the section's ```language fences.
    static func fencedBlocks(language: String, in text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(language)" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }
}
