import Testing

@testable import Capture

/// What capture concludes at start from the state topic's memory, the server's identity and the slot.
@Suite struct HistoryCheckTests {
    let server = SystemIdentity(systemIdentifier: "7301", timeline: 1)
    let remembered = SourceHistory(systemIdentifier: "7301", timeline: 1, slot: "ferry_p", generation: 0)

    func check(
        _ remembered: SourceHistory?, completed: Bool = false, server: SystemIdentity? = nil,
        slot: HistoryCheck.SlotState, unpublished: [String] = []
    ) -> HistoryCheck.Break? {
        HistoryCheck.evaluate(
            remembered: remembered, hasCompletedSnapshots: completed, current: server ?? self.server, slot: "ferry_p",
            slotState: slot, publication: "ferry_p", unpublished: unpublished)
    }

    @Test func aFirstStartAndAContinuingHistoryAreFine() {
        #expect(check(nil, slot: .missing) == nil)
        #expect(check(remembered, slot: .usable) == nil)
        // A pipeline from before the state topic remembered its source, its slot still there.
        #expect(check(nil, completed: true, slot: .usable) == nil)
    }

    @Test func aMissingSlotWithHistoryEndsIt() {
        #expect(check(remembered, slot: .missing) == .slotMissing(slot: "ferry_p"))
        #expect(check(nil, completed: true, slot: .missing) == .slotMissing(slot: "ferry_p"))
        // Another --slot than the one the pipeline followed: the message points back to it.
        var renamed = remembered
        renamed.slot = "ferry_old"
        #expect(check(renamed, slot: .missing) == .otherSlotMissing(slot: "ferry_p", remembered: "ferry_old"))
        #expect(NewHistoryError(cause: .otherSlotMissing(slot: "ferry_p", remembered: "ferry_old")).description
            .contains("restart with --slot ferry_old"))
    }

    @Test func anInvalidatedSlotEndsIt() {
        #expect(check(remembered, slot: .invalidated) == .slotInvalidated(slot: "ferry_p"))
        #expect(check(nil, slot: .invalidated) == .slotInvalidated(slot: "ferry_p"))
    }

    @Test func anotherSystemOrTimelineEndsIt() {
        let otherSystem = SystemIdentity(systemIdentifier: "7399", timeline: 1)
        #expect(check(remembered, server: otherSystem, slot: .missing) == .otherSystem(remembered: "7301", current: "7399"))
        let promoted = SystemIdentity(systemIdentifier: "7301", timeline: 2)
        #expect(check(remembered, server: promoted, slot: .usable) == .otherTimeline(remembered: 1, current: 2))
    }

    @Test func aLoadedTableMissingFromThePublicationEndsIt() {
        #expect(
            check(remembered, slot: .usable, unpublished: ["public.items", "public.audit"])
                == .tablesLeftPublication(tables: ["public.audit", "public.items"], publication: "ferry_p"))
        // A new slot starts a history of its own: every table is read again, nothing was missed.
        #expect(check(nil, slot: .missing, unpublished: ["public.items"]) == nil)
        let message = NewHistoryError(cause: .tablesLeftPublication(tables: ["public.items"], publication: "ferry_p"))
            .description
        #expect(message.contains("table public.items left publication ferry_p"))
        #expect(message.contains("--new-generation"))
    }

    @Test func theStopMessageNamesTheCauseAndTheRecovery() {
        let message = NewHistoryError(cause: .slotMissing(slot: "ferry_p")).description
        #expect(message.contains("replication slot ferry_p no longer exists"))
        #expect(message.contains("--new-generation"))
    }
}
