import Shared
import Testing

@testable import Tools

@Suite struct JSONLinesFormatTests {
    @Test func recordLineCarriesPositionKeyAndTheValueAsWritten() {
        let line = JSONLinesFormat.format(TailFixtures.entry(TailFixtures.create))
        #expect(line.hasSuffix("}\n") && !line.dropLast().contains("\n"))
        let expectedValue = String(decoding: ChangeRecordCodec.encodeValue(TailFixtures.create), as: UTF8.self)
        #expect(
            line == #"{"topic":"loanapp.dbo.Payments","partition":0,"offset":17,"timestamp":1732460000200,"#
                + #""key":{"PaymentId":7},"value":"# + expectedValue + "}\n")
        #expect(line.contains(#""PaymentAmount":99999999999999999999.01"#))
    }

    @Test func tombstoneHasANullValue() {
        #expect(
            JSONLinesFormat.format(TailFixtures.rawEntry(key: #"{"PaymentId":42}"#, value: nil))
                == #"{"topic":"loanapp.dbo.Payments","partition":0,"offset":18,"timestamp":1732460000300,"key":{"PaymentId":42},"value":null}"#
                + "\n")
    }

    @Test func unreadableMessagesSayWhyAndKeepTheBytes() {
        #expect(
            JSONLinesFormat.format(TailFixtures.rawEntry(key: "k1", value: "oops"))
                == #"{"topic":"loanapp.dbo.Payments","partition":0,"offset":18,"timestamp":1732460000300,"key":null,"value":null,"#
                + #""error":"value: JSON syntax error at byte 0: unexpected 'o' (0x6F)","raw_key_base64":"azE=","raw_value_base64":"b29wcw=="}"#
                + "\n")
        #expect(
            JSONLinesFormat.format(TailFixtures.rawEntry(key: nil, value: #"{"op": "u", "n": 1.50}"#))
                == #"{"topic":"loanapp.dbo.Payments","partition":0,"offset":18,"timestamp":1732460000300,"key":null,"#
                + #""value":{"op":"u","n":1.50},"error":"not a ferry change record: message value, at ts_ms: missing required field"}"#
                + "\n")
    }
}
