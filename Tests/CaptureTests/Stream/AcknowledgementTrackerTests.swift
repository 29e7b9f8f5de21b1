import Shared
import Testing

@testable import Capture

@Suite("Acknowledgement tracker: how far the slot may move")
struct AcknowledgementTrackerTests {
    @Test func aCommitIsAcknowledgeableOnceEveryRecordBeforeItIsDelivered() {
        var tracker = AcknowledgementTracker(startingAt: LSN(rawValue: 100))
        let first = tracker.issueTickets(count: 3)
        tracker.committed(endLSN: LSN(rawValue: 200))
        #expect(first == 1)
        tracker.delivered(ticket: 3)
        tracker.delivered(ticket: 1)
        #expect(tracker.acknowledgeable == LSN(rawValue: 100))
        #expect(tracker.inFlight == 1)
        tracker.delivered(ticket: 2)
        #expect(tracker.acknowledgeable == LSN(rawValue: 200))
        #expect(tracker.inFlight == 0)
        #expect(tracker.issueTickets(count: 1) == 4)
    }

    /// Partitions report in batches, so tickets arrive interleaved and out of order; repeated reports and
    /// reports of long-settled tickets change nothing. Checked against a plain set at every step.
    @Test func deliveriesInAnyOrderMatchASetModel() {
        var tracker = AcknowledgementTracker(startingAt: LSN(rawValue: 0))
        let count = 20_000
        _ = tracker.issueTickets(count: count)
        tracker.committed(endLSN: LSN(rawValue: 1))
        var random = SplitMix64(seed: 42)
        // Three "partitions" deliver their tickets in order, in batches of random size, the partitions interleaved.
        var queues = (0..<3).map { partition in (1...UInt64(count)).filter { $0 % 3 == UInt64(partition) } }
        var delivered: Set<UInt64> = []
        var deliveredThrough: UInt64 = 0
        while queues.contains(where: { !$0.isEmpty }) {
            let partition = Int(random.next() % 3)
            let batch = queues[partition].prefix(Int(random.next() % 300) + 1)
            queues[partition].removeFirst(batch.count)
            for ticket in batch {
                tracker.delivered(ticket: ticket)
                if random.next() % 50 == 0 { tracker.delivered(ticket: ticket) }  // a repeated report
                if deliveredThrough > 0, random.next() % 50 == 0 { tracker.delivered(ticket: deliveredThrough) }
                delivered.insert(ticket)
                while delivered.contains(deliveredThrough + 1) { deliveredThrough += 1 }
                #expect(tracker.deliveredThrough == deliveredThrough)
                #expect(tracker.inFlight == UInt64(count - delivered.count))
            }
        }
        #expect(tracker.deliveredThrough == UInt64(count))
        #expect(tracker.acknowledgeable == LSN(rawValue: 1))
    }

    /// A report far ahead stays remembered while the tickets before it settle and the tracker forgets what they passed.
    @Test func aTicketFarAheadSurvivesTheTrackerForgettingSettledTickets() {
        var tracker = AcknowledgementTracker(startingAt: LSN(rawValue: 0))
        _ = tracker.issueTickets(count: 200_000)
        tracker.committed(endLSN: LSN(rawValue: 1))
        tracker.delivered(ticket: 150_000)
        for ticket in 1..<UInt64(150_000) { tracker.delivered(ticket: ticket) }
        #expect(tracker.deliveredThrough == 150_000)
        tracker.delivered(ticket: 199_999)
        for ticket in 150_001..<UInt64(199_999) { tracker.delivered(ticket: ticket) }
        #expect(tracker.deliveredThrough == 199_999)
        #expect(tracker.inFlight == 1)
        tracker.delivered(ticket: 200_000)
        #expect(tracker.inFlight == 0)
        #expect(tracker.acknowledgeable == LSN(rawValue: 1))
    }

    @Test func anIdleServerIsAcknowledgedOnceEarlierRecordsAreDurable() {
        var tracker = AcknowledgementTracker(startingAt: LSN(rawValue: 10))
        let ticket = tracker.issueTickets(count: 1)
        tracker.committed(endLSN: LSN(rawValue: 20))  // a keepalive's position between transactions
        #expect(tracker.acknowledgeable == LSN(rawValue: 10))
        tracker.delivered(ticket: ticket)
        #expect(tracker.acknowledgeable == LSN(rawValue: 20))
    }
}
