/// Turns a column value in PostgreSQL's binary format (`COPY ... (FORMAT binary)`: each type's send function)
/// into the record's JSON — byte for byte what `PostgresTextValue.writeJSON` writes for the same value's text
/// output — for the base types `Kind` names. The snapshot reads a table in binary only when every column has one,
/// which spares the server its output functions and capture the parsing of their text.
package enum PostgresBinaryValue {
    package enum Kind: Sendable, Hashable {
        case bool, int2, int4, int8, numeric, date, timestamp, timestamptz, uuid, bytea, jsonb
        /// Types whose binary form is their text: text, varchar, bpchar, name, json.
        case textual

        /// The kind of a column of `type`; nil when its binary form is not converted here (arrays among them).
        package init?(_ type: PostgresColumnType) {
            guard !type.isArray else { return nil }
            switch type.name {
            case "bool": self = .bool
            case "int2": self = .int2
            case "int4": self = .int4
            case "int8": self = .int8
            case "numeric": self = .numeric
            case "date": self = .date
            case "timestamp": self = .timestamp
            case "timestamptz": self = .timestamptz
            case "uuid": self = .uuid
            case "bytea": self = .bytea
            case "jsonb": self = .jsonb
            case "text", "varchar", "bpchar", "name", "json": self = .textual
            default: return nil
            }
        }
    }

    /// Writes one value (nil for NULL) of a column of `type`, whose kind is `kind` (nil: a type not converted
    /// here, which is an error).
    package static func writeJSON(
        _ value: UnsafeRawBufferPointer?, as kind: Kind?, type: PostgresColumnType, to sink: inout ByteSink
    ) throws(PostgresValueError) {
        guard let value else {
            sink.append("null")
            return
        }
        guard let kind else {
            throw PostgresValueError(typeName: type.recordTypeName, binary: value, reason: "no conversion from binary")
        }
        do {
            switch kind {
            case .bool:
                try expectLength(1, of: value)
                sink.append(value[0] == 0 ? "false" : "true")
            case .int2:
                try expectLength(2, of: value)
                sink.writeInteger(Int64(Int16(bitPattern: value.bigEndianUInt16(at: 0))))
            case .int4:
                try expectLength(4, of: value)
                sink.writeInteger(Int64(Int32(bitPattern: value.bigEndianUInt32(at: 0))))
            case .int8:
                try expectLength(8, of: value)
                sink.writeInteger(Int64(bitPattern: value.bigEndianUInt64(at: 0)))
            case .numeric:
                try PostgresBinaryNumeric.writeJSON(value, to: &sink)
            case .date:
                try expectLength(4, of: value)
                PostgresBinaryDateTime.writeDate(Int32(bitPattern: value.bigEndianUInt32(at: 0)), to: &sink)
            case .timestamp, .timestamptz:
                try expectLength(8, of: value)
                PostgresBinaryDateTime.writeTimestamp(
                    Int64(bitPattern: value.bigEndianUInt64(at: 0)), withZone: kind == .timestamptz, to: &sink)
            case .uuid:
                try expectLength(16, of: value)
                writeUUID(value, to: &sink)
            case .bytea:
                sink.writeJSONString(Base64.encode(value))
            case .jsonb:
                // jsonb_send: a version byte (1), then the text jsonb_out prints.
                guard value.first == 1 else { throw InvalidPostgresText(reason: "unknown jsonb binary version") }
                let text = UnsafeRawBufferPointer(rebasing: value.dropFirst())
                try PostgresTextValue.writeJSON(text, as: type, to: &sink)
            case .textual:
                try PostgresTextValue.writeJSON(value, as: type, to: &sink)
            }
        } catch let error as InvalidPostgresText {
            throw PostgresValueError(typeName: type.recordTypeName, binary: value, reason: error.reason)
        } catch let error as PostgresValueError {
            throw error
        } catch {
            throw PostgresValueError(typeName: type.recordTypeName, binary: value, reason: "\(error)")
        }
    }

    private static func expectLength(_ length: Int, of value: UnsafeRawBufferPointer) throws(InvalidPostgresText) {
        guard value.count == length else {
            throw InvalidPostgresText(reason: "expected \(length) bytes of binary value, got \(value.count)")
        }
    }

    /// `uuid_out`'s form: lowercase hex in groups of 8-4-4-4-12, as a JSON string.
    private static func writeUUID(_ value: UnsafeRawBufferPointer, to sink: inout ByteSink) {
        let hexDigits: StaticString = "0123456789abcdef"
        sink.append(UInt8(ascii: "\""))
        for index in 0..<16 {
            if index == 4 || index == 6 || index == 8 || index == 10 { sink.append(UInt8(ascii: "-")) }
            hexDigits.withUTF8Buffer { hex in
                sink.append(hex[Int(value[index] >> 4)])
                sink.append(hex[Int(value[index] & 0x0F)])
            }
        }
        sink.append(UInt8(ascii: "\""))
    }
}
