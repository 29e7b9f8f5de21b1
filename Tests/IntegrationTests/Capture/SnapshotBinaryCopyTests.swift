import Capture
import Shared
import Testing

/// The snapshot reads tables whose column types all have a binary conversion in COPY's binary format. Consumers
/// see only the message bytes, so those must equal what the text format gives for the same rows: edge values of
/// every such type (BC, infinities, extreme numerics, escapes, a domain) and 20,000 random rows.
@Suite("Snapshot: COPY's binary format gives the records its text format gives")
struct SnapshotBinaryCopyTests {
    @Test func binaryAndTextCopyGiveTheSameMessages() async throws {
        try await TestStack.withDatabase("binarycopy") { url in
            let connection = try await PostgresConnection.connect(url)
            try await connection.query(Self.table)
            let (tables, _) = try await TableCatalog(connection: connection).select(
                .names([QualifiedTableName(schema: "public", name: "every_binary_type")]), database: "", role: "")
            let shape = try #require(tables.first.flatMap(RecordShape.init(table:)))
            var reader = SnapshotReader(
                consistentPoint: LSN(rawValue: 0x1_0000_0000), prefix: "binarycopy", database: "binarycopy",
                shape: shape, startedAtMs: 1)
            #expect(reader.copyFormat == .binary)
            let binary = try await Self.messages(reading: reader, on: connection)
            reader.copyFormat = .text
            let text = try await Self.messages(reading: reader, on: connection)
            reader.copyFormat = .binary

            #expect(binary.count == 20_009)
            #expect(text.count == binary.count)
            for (binaryMessage, textMessage) in zip(binary, text) where binaryMessage != textMessage {
                Issue.record("binary: \(binaryMessage)\ntext:   \(textMessage)")
                break
            }
            // No rows: the stream's header and trailer arrive together, and neither is a row.
            let none = try await reader.read(on: connection, where: "false", nowMs: { 7 }) { batch in
                Issue.record("\(batch.count) messages from no rows")
            }
            #expect(none == 0)
            // And the text format's records are the documented values (spot checks of converted types).
            let edges = try #require(text.first { $0.hasPrefix(#"{"id":1}"#) })
            for field in [
                #""amount":-0.00000000000000000000000000001"#, #""day":"2024-02-29""#,
                #""at":"2024-01-02T03:04:05.123456""#, #""atz":"2024-01-01T21:34:05.5Z""#, #""blob":"AP8Q""#,
                #""uid":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11""#, #""code":"ab    ""#, #""payment":1.5000"#,
            ] {
                #expect(edges.contains(field), "\(field) in \(edges)")
            }
        }
    }

    /// Each message as `key<TAB>value`.
    private static func messages(reading reader: SnapshotReader, on connection: PostgresConnection) async throws
        -> [String]
    {
        var messages: [String] = []
        _ = try await reader.read(on: connection, nowMs: { 7 }) { batch in
            batch.forEachMessage { _, key, value, _ in
                let value = value.map { String(decoding: $0, as: UTF8.self) } ?? "<tombstone>"
                messages.append(String(decoding: key, as: UTF8.self) + "\t" + value)
            }
        }
        return messages
    }

    private static let table = #"""
        CREATE DOMAIN payment_amount AS numeric(14, 4);
        CREATE TABLE every_binary_type (
          id int8 PRIMARY KEY, small int2, regular int4, amount numeric, payment payment_amount, paid bool,
          day date, at timestamp, atz timestamptz, uid uuid, blob bytea, doc jsonb, js json,
          title text, label varchar(40), code char(6), nm name);
        INSERT INTO every_binary_type VALUES
          (1, -32768, -2147483648, '-0.00000000000000000000000000001', 1.5, true, '2024-02-29',
           '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.5+05:30', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
           '\x00ff10', '{"a": [1, 2.50, "x\"y"], "b": null, "u": "\u00e9"}', '{ "spaced" : true ,"k":[ 1 , 2 ] }',
           E'h\u00e9llo "w\u00f6rld" \u2713 \U0001D11E \\ \t \n \r \b \f \u0001 \u007f', E'tab\there', 'ab', 'pg_name'),
          (2, 32767, 2147483647,
           '123456789012345678901234567890123456789012345678901234567890.123456789012345678901234567890', 0, false,
           '0001-01-01 BC', '0044-03-15 12:00:00 BC', '0044-03-15 12:00:00.000001+00 BC',
           '00000000-0000-0000-0000-000000000000', '\x', '[]', '"str"', '', '', '', ''),
          (3, 0, 0, 'NaN', -99999.9999, NULL, 'infinity', 'infinity', 'infinity', NULL, NULL, '12345678901234567890.5',
           '[1e400, -0, 0.0]', NULL, NULL, NULL, NULL),
          (4, 1, 1, 'Infinity', 0.0001, NULL, '-infinity', '-infinity', '-infinity', NULL, NULL, 'null', 'null',
           NULL, NULL, NULL, NULL),
          (5, -1, -1, '-Infinity', NULL, NULL, '5874897-12-31', '294276-12-31 23:59:59.999999',
           '294276-12-31 23:59:59.999999+00', NULL, NULL, '{}', '{}', NULL, NULL, NULL, NULL),
          (6, NULL, NULL, '0.000', NULL, NULL, '4713-01-01 BC', '4713-01-01 00:00:00 BC', '4713-01-01 00:00:00+00 BC',
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          (7, NULL, NULL, '1e-300', NULL, NULL, '1999-12-31', '1999-12-31 23:59:59.9', '2000-01-01 00:00:00.1+00',
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          (8, NULL, NULL, '1e300', NULL, NULL, '0001-01-01', '0001-01-01 00:00:00', '1970-01-01 00:00:00+00',
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          (9223372036854775807, NULL, NULL, '-1000000', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL);
        SELECT setseed(0.42);
        INSERT INTO every_binary_type
        SELECT g,
          (random() * 65535 - 32768)::int2,
          (random() * 4294967295 - 2147483648)::int8::int4,
          CASE WHEN g % 17 = 0 THEN NULL
               WHEN g % 11 = 0 THEN (g % 7)::numeric(10, 3)
               ELSE round((random() - 0.5)::numeric * power(10::numeric, (g % 40) - 15), g % 25) END,
          CASE WHEN g % 13 = 0 THEN NULL ELSE (random() * 1e9 - 5e8)::numeric(14, 4) END,
          CASE WHEN g % 19 = 0 THEN NULL ELSE random() < 0.5 END,
          date '2000-01-01' + (random() * 4000000 - 2000000)::int,
          timestamp '2000-01-01' + (random() * 2e11 - 1e11) * interval '1 second' + (g % 1000000) * interval '1 microsecond',
          timestamptz '2000-01-01 00:00:00+00' + (random() * 2e11 - 1e11) * interval '1 second'
            + (g % 10) * interval '100 microseconds',
          gen_random_uuid(),
          CASE WHEN g % 23 = 0 THEN ''::bytea ELSE decode(md5(g::text), 'hex') END,
          jsonb_build_object('g', g, 'f', random(), 's', md5(g::text), 'a', jsonb_build_array(g, NULL, true, 1.50)),
          json_build_object('g', g, 'nested', json_build_object('k', E'v\t' || g)),
          repeat(chr(32 + g % 95), g % 5) || chr(1 + g % 300) || E' \u00fc\u2713 \\ "q"' || chr(65296 + g % 64) || chr(119070 + g % 10),
          md5(g::text),
          left(md5(g::text), g % 7),
          'n' || g
        FROM generate_series(100, 20099) g;
        """#
}
