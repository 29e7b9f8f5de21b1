import Testing

@testable import Shared

@Suite struct UTF8ValidationTests {
    private func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset(in: $0) }
    }

    @Test func acceptsWellFormedText() {
        let text = "plain ASCII that is longer than a word, é, 日本, 😀, \u{10FFFF}, \u{FFFD}, e\u{301}, \u{0}"
        #expect(firstInvalidOffset(Array(text.utf8)) == nil)
        #expect(firstInvalidOffset([]) == nil)
    }

    @Test(
        arguments: [
            ([0xC3, 0x28], 0),  // bad continuation
            ([0xC0, 0xAF], 0),  // overlong
            ([0xE0, 0x9F, 0xBF], 0),  // overlong three-byte form
            ([0xED, 0xBF, 0xBF], 0),  // surrogate
            ([0xF4, 0x90, 0x80, 0x80], 0),  // above U+10FFFF
            ([0xF8, 0x88, 0x80, 0x80, 0x80], 0),  // five-byte form
            ([0xBF], 0),  // lone continuation byte
            ([0x61, 0xE6, 0x97], 1),  // truncated at the end
            (Array("0123456789abcdef".utf8) + [0xFF], 16),  // after word-at-a-time skipping
            (Array("0123456789abcdé".utf8) + [0x80], 16),  // after a valid sequence
        ] as [([UInt8], Int)])
    func findsTheFirstInvalidByte(bytes: [UInt8], offset: Int) {
        #expect(firstInvalidOffset(bytes) == offset)
    }
}
