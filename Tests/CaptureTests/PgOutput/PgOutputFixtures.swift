import NIOCore

@testable import Capture

/// Real pgoutput messages (protocol version 1) from PostgreSQL 15.18, read with
/// `pg_logical_slot_peek_binary_changes(slot, NULL, NULL, 'proto_version', '1', 'publication_names', pub, 'messages', 'true')`
/// after this script (the `binary` one adds `'binary', 'true'`):
///
///     CREATE TYPE mood AS ENUM ('happy', 'sad');
///     CREATE TABLE payments (id int4 PRIMARY KEY, amount numeric(10,2), note varchar(20), paid_at timestamptz,
///                            settled bool, details jsonb, mood mood, doc text);
///     ALTER TABLE payments ALTER COLUMN doc SET STORAGE EXTERNAL;
///     CREATE TABLE audit_log (id int8, body text);
///     ALTER TABLE audit_log REPLICA IDENTITY FULL;
///     CREATE PUBLICATION fixtures_pub FOR TABLE payments, audit_log;
///     -- slot created here
///     INSERT INTO payments VALUES (1, 12.34, 'first', '2024-11-24 15:00:00.123456+00', true, '{"a": 1}', 'happy', NULL);
///     INSERT INTO payments (id, amount, doc) VALUES (2, 5, repeat('x', 3000));
///     UPDATE payments SET amount = 99.99 WHERE id = 2;
///     UPDATE payments SET id = 3 WHERE id = 1;
///     DELETE FROM payments WHERE id = 3;
///     INSERT INTO audit_log VALUES (1, 'a');
///     UPDATE audit_log SET body = 'b' WHERE id = 1;
///     DELETE FROM audit_log WHERE id = 1;
///     TRUNCATE payments, audit_log CASCADE;
///     TRUNCATE payments RESTART IDENTITY;
///     ALTER TABLE payments ADD COLUMN currency char(3) DEFAULT 'EUR';
///     INSERT INTO payments (id, amount) VALUES (4, 1.5);
///     BEGIN; SELECT pg_logical_emit_message(true, 'ferry', 'hello'); COMMIT;
///     SELECT pg_logical_emit_message(false, 'ferry', 'hello');
///     SELECT pg_replication_origin_create('ferry_origin');
///     SELECT pg_replication_origin_session_setup('ferry_origin');
///     BEGIN; SELECT pg_replication_origin_xact_setup('0/ABCDEF', '2024-11-24 15:00:00+00');
///     INSERT INTO audit_log VALUES (7, NULL); COMMIT;
///
/// OIDs 16454 (`mood`), 16459 (`payments`) and 16466 (`audit_log`) are the ones that database assigned.
enum PgOutputFixtures {
    /// Begin of the transaction that inserted payment 1 (xid 771).
    static let begin = "4200000000056424c00003040fe11804a000000303"

    /// Its Commit.
    static let commit = "430000000000056424c000000000056424f00003040fe11804a0"

    /// Type: the enum `public.mood`, sent before the first Relation that uses it.
    static let typeMood = "59000040467075626c6963006d6f6f6400"

    /// Relation: `public.payments`, default replica identity (primary key `id`).
    static let relationPayments = """
        520000404b7075626c6963007061796d656e7473006400080169640000000017ffffffff00616d6f756e7400000006a4
        000a0006006e6f746500000004130000001800706169645f617400000004a0ffffffff00736574746c65640000000010
        ffffffff0064657461696c730000000edaffffffff006d6f6f640000004046ffffffff00646f630000000019ffffffff
        """

    /// Insert of payment 1 in text format.
    static let insertPayment = """
        490000404b4e0008740000000131740000000531322e333474000000056669727374740000001d323032342d31312d32
        342031353a30303a30302e3132333435362b303074000000017474000000087b2261223a20317d740000000568617070
        796e
        """

    /// The same Insert decoded with the `binary` option.
    static let insertPaymentInBinary = """
        490000404b4e0008620000000400000001620000000c0002000000000002000c0d486200000005666972737462000000
        080002caa8a384be406200000001016200000009017b2261223a20317d620000000568617070796e
        """

    /// Update of payment 2's amount; its TOASTed `doc` (3000 bytes, stored externally) was not sent.
    static let updateKeepingToastedDoc = "550000404b4e0008740000000132740000000539392e39396e6e6e6e6e75"

    /// Update of payment 1's primary key to 3: the old key arrives as a `K` tuple.
    static let updatePrimaryKey = """
        550000404b4b00087400000001316e6e6e6e6e6e6e4e0008740000000133740000000531322e33347400000005666972
        7374740000001d323032342d31312d32342031353a30303a30302e3132333435362b303074000000017474000000087b
        2261223a20317d740000000568617070796e
        """

    /// Delete of payment 3: only the key.
    static let deletePayment = "440000404b4b00087400000001336e6e6e6e6e6e6e"

    /// Relation: `public.audit_log`, REPLICA IDENTITY FULL.
    static let relationAuditLog = """
        52000040527075626c69630061756469745f6c6f67006600020169640000000014ffffffff01626f64790000000019ff
        ffffff
        """

    /// Insert into audit_log (1, 'a').
    static let insertAuditLog = "49000040524e0002740000000131740000000161"

    /// Update of audit_log's body to 'b': the whole old row arrives as an `O` tuple.
    static let updateAuditLog = "55000040524f00027400000001317400000001614e0002740000000131740000000162"

    /// Delete from audit_log: the whole old row.
    static let deleteAuditLog = "44000040524f0002740000000131740000000162"

    /// `TRUNCATE payments, audit_log CASCADE`.
    static let truncateCascade = "5400000002010000404b00004052"

    /// `TRUNCATE payments RESTART IDENTITY`.
    static let truncateRestartIdentity = "5400000001020000404b"

    /// Relation re-sent after `ALTER TABLE payments ADD COLUMN currency char(3) DEFAULT 'EUR'`.
    static let relationPaymentsAfterAddColumn = """
        520000404b7075626c6963007061796d656e7473006400090169640000000017ffffffff00616d6f756e7400000006a4
        000a0006006e6f746500000004130000001800706169645f617400000004a0ffffffff00736574746c65640000000010
        ffffffff0064657461696c730000000edaffffffff006d6f6f640000004046ffffffff00646f630000000019ffffffff
        0063757272656e6379000000041200000007
        """

    /// Insert of payment 4 with the new column.
    static let insertPaymentAfterAddColumn =
        "490000404b4e00097400000001347400000004312e35306e6e6e6e6e6e7400000003455552"

    /// `pg_logical_emit_message(true, 'ferry', 'hello')`.
    static let transactionalMessage = "4d0100000000056466a86665727279000000000568656c6c6f"

    /// `pg_logical_emit_message(false, 'ferry', 'hello')`: outside any transaction.
    static let nonTransactionalMessage = "4d0000000000056467186665727279000000000568656c6c6f"

    /// Begin of a transaction replayed under replication origin `ferry_origin`, origin commit time 2024-11-24 15:00:00 UTC.
    static let beginReplayedTransaction = "4200000000056469c80002caa8a382dc0000000311"

    /// Its Origin message (origin LSN 0/ABCDEF).
    static let origin = "4f0000000000abcdef66657272795f6f726967696e00"

    /// Its Insert into audit_log (7, NULL).
    static let insertAuditLogWithNull = "49000040524e00027400000001376e"

    /// Insert of payment 2, whose 3000-byte `doc` (`repeat('x', 3000)`) arrives in full.
    static let insertPaymentWithToastedDoc =
        "490000404b4e00087400000001327400000004352e30306e6e6e6e6e7400000bb8" + String(repeating: "78", count: 3000)

    /// The bytes of a hex string; whitespace is skipped so fixtures can span lines.
    static func buffer(_ hex: String) -> ByteBuffer {
        let nibbles = hex.utf8.compactMap(hexValue)
        var buffer = ByteBuffer()
        for index in stride(from: 0, to: nibbles.count - 1, by: 2) {
            buffer.writeInteger(nibbles[index] << 4 | nibbles[index + 1])
        }
        return buffer
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Decodes a fixture as the capture loop does.
    static func decode(_ hex: String) throws(PgOutputDecodingError) -> PgOutputMessage {
        var message = buffer(hex)
        return try PgOutputMessage.decode(from: &message)
    }
}

extension TupleValue {
    /// A text-format value, spelled as the test expects to read it.
    static func text(_ string: String) -> TupleValue { .text(ByteBuffer(string: string)) }
}
