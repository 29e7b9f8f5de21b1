import Testing

@testable import Apply

@Suite("Per-batch memo")
struct RunMemoTests {
    @Test func eachKeyIsComputedOnceWhateverTheOrder() async {
        var memo = RunMemo<String, Int?>()
        var computed: [String] = []
        var answers: [Int?] = []
        for key in ["a", "a", "b", "a", "skip", "b", "skip", "a"] {
            answers.append(await memo.value(for: key) { key in
                computed.append(key)
                return key == "skip" ? nil : key.utf8.count * 10
            })
        }
        #expect(computed == ["a", "b", "skip"])
        #expect(answers == [10, 10, 10, 10, nil, 10, nil, 10])
    }
}
