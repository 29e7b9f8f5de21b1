import Testing

@testable import Shared

@Suite("Digit scanner")
struct DigitScannerTests {
    /// Runs `reads` in order on a scanner of `text`; returns each result and where the scanner ended.
    private func scan(_ text: String, _ reads: [(inout DigitScanner<[UInt8]>) -> Int?]) -> (results: [Int?], index: Int) {
        var scanner = DigitScanner(Array(text.utf8))
        let results = reads.map { $0(&scanner) }
        return (results, scanner.index)
    }

    @Test func fixedWidthFieldsReadWhateverFollowsAndLeaveThePositionOnAMismatch() {
        let zone = scan("+0530", [{ $0.sign() }, { $0.number(digits: 2) }, { $0.number(digits: 2) }])
        #expect(zone.results == [1, 5, 30])
        #expect(zone.index == 5)

        let short = scan("1x", [{ $0.number(digits: 2) }, { $0.number(digits: 3) }])
        #expect(short.results == [nil, nil])
        #expect(short.index == 0)
    }

    @Test func aRangedNumberIsTheWholeRunOfDigits() {
        let read: (inout DigitScanner<[UInt8]>) -> Int? = { $0.number(minDigits: 4, maxDigits: 7) }
        #expect(scan("2024-", [read]) == ([2024], 4))
        #expect(scan("1234567-", [read]) == ([1_234_567], 7))
        #expect(scan("12345678", [read]) == ([nil], 0))
        #expect(scan("123-", [read]) == ([nil], 0))
    }

    @Test func fractionsScaleAndCutAtTheirScale() {
        #expect(scan("5", [{ $0.fraction(scale: 6) }]) == ([500_000], 1))
        #expect(scan("1234567Z", [{ $0.fraction(scale: 3) }]) == ([123], 7))
        #expect(scan("Z", [{ $0.fraction(scale: 6) }]) == ([nil], 0))
    }

    @Test func wordsAndSpaces() {
        var scanner = DigitScanner(Array("  BC".utf8))
        let steps = [
            scanner.skipSpaces(), !scanner.skipSpaces(), !scanner.skip(word: " BC"), scanner.skip(word: "BC"),
            scanner.isAtEnd, !scanner.skip(word: "BC"), scanner.sign() == nil,
        ]
        #expect(steps == Array(repeating: true, count: 7))
    }

    @Test func aSliceStartsWhereItStarts() {
        let bytes = Array("xx12".utf8)
        var scanner = DigitScanner(bytes[2...])
        let value = scanner.number(digits: 2)
        #expect(value == 12)
        #expect(scanner.isAtEnd)
    }
}
