import Shared

/// The format for programs (`jq`): one compact JSON object per message, on one line.
///
/// `{"topic":"loanapp.dbo.Payments","partition":0,"offset":17,"timestamp":1732460000123,"key":{"PaymentId":42},"value":{…record…}}`
///
/// `timestamp` is the Kafka message timestamp in ms (null if none); `key` and `value` are the message's JSON as
/// written (numbers keep their digits), `value` null for a tombstone. A message that is not a change record also
/// has `"error"` (why), and `"raw_key_base64"` / `"raw_value_base64"` for a key or value that is not JSON.
public enum JSONLinesFormat {
    public static func format(_ entry: TailEntry) -> String {
        let message = entry.message
        var object: JSONObject = [
            "topic": .string(message.topic),
            "partition": .integer(message.partition),
            "offset": .integer(message.offset),
            "timestamp": message.timestampMs.map { .integer($0) } ?? .null,
            "key": entry.keyJSON ?? .null,
            "value": entry.valueJSON ?? .null,
        ]
        if case .unreadable(let reason) = entry.content {
            object["error"] = .string(reason)
            if let key = message.key, entry.keyJSON == nil { object["raw_key_base64"] = .string(Base64.encode(key)) }
            if let value = message.value, entry.valueJSON == nil {
                object["raw_value_base64"] = .string(Base64.encode(value))
            }
        }
        return String(decoding: JSONValue.object(object).jsonBytes, as: UTF8.self) + "\n"
    }
}
