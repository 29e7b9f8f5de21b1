import Testing

@testable import Tools

@Suite struct TailTargetTests {
    let topics = [
        "loanapp.dbo.Payments", "loanapp.dbo.IntegrationLogs", "loanapp.ferry.state", "loanapp.ferry.dlq",
        "other.public.orders", "plain",
    ]

    @Test func exactTopicWins() throws {
        #expect(try TailTarget.resolve("loanapp.dbo.Payments", prefix: nil, among: topics) == ["loanapp.dbo.Payments"])
        #expect(try TailTarget.resolve("plain", prefix: "loanapp", among: topics) == ["plain"])
    }

    @Test func schemaTableNeedsThePrefix() throws {
        #expect(try TailTarget.resolve("dbo.Payments", prefix: "loanapp", among: topics) == ["loanapp.dbo.Payments"])
        #expect(throws: TailError.self) { try TailTarget.resolve("dbo.Payments", prefix: nil, among: topics) }
    }

    @Test func prefixMeansItsTableTopicsWithoutFerryBookkeeping() throws {
        #expect(
            try TailTarget.resolve("loanapp", prefix: nil, among: topics)
                == ["loanapp.dbo.IntegrationLogs", "loanapp.dbo.Payments"])
    }

    @Test func unknownTargetListsNearMatches() {
        #expect(throws: TailError.unknownTarget("loanapp.dbo.payments", prefix: nil, nearMatches: ["loanapp.dbo.Payments"])) {
            try TailTarget.resolve("loanapp.dbo.payments", prefix: nil, among: topics)
        }
        let error = TailError.unknownTarget("dbo.Paymnts", prefix: "loanapp", nearMatches: ["loanapp.dbo.Payments"])
        #expect(throws: error) { try TailTarget.resolve("dbo.Paymnts", prefix: "loanapp", among: topics) }
        #expect(
            error.description
                == "no topic dbo.Paymnts or loanapp.dbo.Paymnts, and no table topics dbo.Paymnts.<schema>.<table>; "
                + "did you mean loanapp.dbo.Payments?")
    }

    @Test func nothingNearGivesNoSuggestions() {
        #expect(TailTarget.nearMatches(for: "zz", prefix: nil, among: topics).isEmpty)
    }
}
