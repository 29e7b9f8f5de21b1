import Foundation
import Shared
import Testing

/// `ferry tail --input-format debezium` on a Debezium-shaped topic (Tests/Fixtures/Debezium, produced as apply's
/// tests produce it): records decoded as apply decodes them, keys read through their Connect schema, the JSON
/// format printing key and value as written. `TailTests` covers Ferry's own records.
@Suite("Tail Debezium topics")
struct TailDebeziumTests {
    @Test func prettyJSONAndFiltersReadDebeziumRecords() async throws {
        let topics = try await TailTestTopics("dbz", tables: ["conformance", "schemaless"])
        let topic = DebeziumTopicLayout(prefix: topics.prefix).tableTopic(schema: "public", table: "conformance")
        // The stream (snapshot rows, updates, a delete and its tombstone) and a logical decoding message (`m`).
        let messages = try ApplyDebeziumTests.fixture("conformance-precise-adaptive", topic: topic)
            + [ApplyDebeziumTests.fixture("customers", topic: topic)[5]]
        // The same stream written without schemas (`schemas.enable=false`).
        let schemaless = DebeziumTopicLayout(prefix: topics.prefix).tableTopic(schema: "public", table: "schemaless")
        let plain = try ApplyDebeziumTests.fixture("conformance-schemaless-string-adaptive", topic: schemaless)
        let transactions = DebeziumTopicLayout(prefix: topics.prefix).transactionTopic
        try await KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
            .createTopics([KafkaNewTopic(name: transactions, partitions: 1)])
        try await topics.produce(
            (messages + plain).map { ($0.topic, $0.key, $0.value) }
                + [(transactions, nil, Array(#"{"status":"BEGIN","id":"571:53195829","ts_ms":1486500577125}"#.utf8))])

        let pretty = try await topics.tail([topic, "--input-format", "debezium", "--from-beginning"])
        #expect(pretty.status == 0, "\(pretty.errors)")
        let blocks = pretty.output.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        try #require(blocks.count == 8, "\(pretty.output)")
        #expect(blocks[0].hasPrefix(#"read public.conformance {"id":1}"#), "\(blocks[0])")
        #expect(blocks[0].contains("  lsn 0/15EF3C0  last_commit_lsn 0/0  \(topic)[0]@0\n"), "\(blocks[0])")
        // Decoded as apply decodes it: precise decimals, adaptive times, json as JSON.
        #expect(Self.shows(blocks[0], "amount", "1234567.12345"), "\(blocks[0])")
        #expect(Self.shows(blocks[0], "short_time", #""10:15:30.125""#), "\(blocks[0])")
        #expect(blocks[2].hasPrefix(#"update public.conformance {"id":1}"#), "\(blocks[2])")
        #expect(blocks[2].contains("  lsn 0/15EEFD8  last_commit_lsn 0/0  \(topic)[0]@2\n"), "\(blocks[2])")
        #expect(Self.shows(blocks[2], "note", #""changed""#), "\(blocks[2])")
        #expect(blocks[4].contains("  lsn 0/15EF6E0  last_commit_lsn 0/15EF67C  \(topic)[0]@4\n"), "\(blocks[4])")
        #expect(Self.shows(blocks[4], "note", "(unchanged)"), "\(blocks[4])")
        #expect(blocks[5].hasPrefix(#"delete public.conformance {"id":2}"#), "\(blocks[5])")
        #expect(blocks[6].hasPrefix("! \(topic)[0]@6: tombstone"), "\(blocks[6])")
        #expect(blocks[7].hasPrefix("! \(topic)[0]@7: logical decoding message (op m)"), "\(blocks[7])")
        #expect(!pretty.output.contains("not a"), "\(pretty.output)")

        // The key as the row's columns (the message key is a Connect schema and payload); key and value as written.
        let json = try await topics.tail([topic, "--input-format", "debezium", "--from-beginning", "--format", "json", "--key", #"{"id":2}"#])
        #expect(json.status == 0 && json.errors.isEmpty, "\(json.errors)")
        #expect(json.lines.count == 4, "\(json.output)")
        for (line, offset) in zip(json.lines, [1, 3, 5, 6]) {
            guard case .object(let object) = try JSONParser.parse(Array(line.utf8)) else {
                Issue.record("not a JSON object: \(line)")
                continue
            }
            let message = messages[offset]
            #expect(object["offset"] == .integer(offset), "\(line)")
            #expect(object["key"] == (try message.key.map { try JSONParser.parse($0) } ?? .null), "\(line)")
            #expect(object["value"] == (try message.value.map { try JSONParser.parse($0) } ?? .null), "\(line)")
        }

        func offsets(_ arguments: [String], environment: [String: String] = [:]) async throws -> [Int] {
            let run = try await FerryRun.run(
                ["tail"] + arguments + ["--from-beginning", "--format", "json", "--brokers", topics.brokers],
                in: FileManager.default.temporaryDirectory.appendingPathComponent(topics.prefix), environment: environment)
            #expect(run.status == 0, "\(run.errors)")
            return run.lines.compactMap { line in
                line.range(of: #""offset":"#).flatMap { Int(line[$0.upperBound...].prefix { $0.isNumber }) }
            }
        }
        #expect(try await offsets([topic, "--input-format", "debezium", "--op", "u", "--where", "note=changed"]) == [2])
        #expect(try await offsets([topic, "--input-format", "debezium", "--op", "r,d"]) == [0, 1, 5])
        #expect(try await offsets([schemaless, "--input-format", "debezium", "--op", "u", "--where", "note=changed"]) == [2])
        #expect(try await offsets([schemaless, "--input-format", "debezium", "--op", "d"]) == [5])
        // The prefix: its two table topics, not the connector's other topics.
        let all = try await topics.tail([topics.prefix, "--input-format", "debezium", "--from-beginning", "--format", "json"])
        #expect(all.status == 0 && all.errors.isEmpty, "\(all.errors)")
        #expect(all.lines.count == messages.count + plain.count, "\(all.output)")
        // The table by name under the connector's prefix, the format from the environment as for apply.
        #expect(
            try await offsets(
                ["public.conformance", "--prefix", topics.prefix, "--op", "d"],
                environment: ["FERRY_INPUT_FORMAT": "debezium"]) == [5])
    }

    /// The block has the line `  <column>  <value>` (names padded to the widest).
    static func shows(_ block: String, _ column: String, _ value: String) -> Bool {
        block.split(separator: "\n").contains { line in
            line.hasPrefix("  \(column) ") && line.hasSuffix(" \(value)")
                && line.dropFirst(column.count + 2).dropLast(value.count + 1).allSatisfy { $0 == " " }
        }
    }
}
