import Foundation

@testable import Shared

/// A topic's messages from `Tests/Fixtures/Debezium` (see the README there): key and value bytes as Kafka holds
/// them, the JSON written compactly.
struct DebeziumFixture {
    let messages: [(key: [UInt8]?, value: [UInt8]?)]

    init(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/Debezium/\(name).json")
        guard case .object(let file) = try JSONParser.parse(Array(try Data(contentsOf: url))),
            case .array(let messages)? = file["messages"]
        else { throw FixtureError(name: name) }
        self.messages = try messages.map { message in
            guard case .object(let fields) = message else { throw FixtureError(name: name) }
            return (Self.bytes(fields["key"]), Self.bytes(fields["value"]))
        }
    }

    /// Message `index` decoded.
    func decoded(_ index: Int) throws(ChangeRecordDecodingError) -> DebeziumMessage {
        try DebeziumMessageDecoder.decode(key: messages[index].key, value: messages[index].value)
    }

    /// The change record of message `index` (failing the test otherwise).
    func record(_ index: Int) throws -> ChangeRecord {
        guard case .change(let record) = try decoded(index) else { throw FixtureError(name: "message \(index)") }
        return record
    }

    private static func bytes(_ value: JSONValue?) -> [UInt8]? {
        guard case .object(let object)? = value else { return nil }
        return ChangeRecordCodec.encodeKey(object)
    }

    struct FixtureError: Error {
        let name: String
    }
}
