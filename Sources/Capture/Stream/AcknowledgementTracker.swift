import Shared

/// Decides how far the replication slot may be acknowledged (docs/design.md invariant 4): a transaction's end LSN
/// becomes acknowledgeable once Kafka has acknowledged every record sent up to and including its commit.
///
/// Pure state: capture tells it what was sent and what was delivered; it answers with the LSN to report.
/// Records get consecutive tickets (1, 2, 3, …) in the order they are handed to the producer.
public struct AcknowledgementTracker: Sendable {
    /// Every ticket up to this one has been delivered.
    private(set) var deliveredThrough: UInt64 = 0
    /// Delivered tickets above `deliveredThrough` (reports arrive out of order across partitions), a bit each:
    /// ticket `t` is bit `t % 64` of `aheadWords[t / 64 - aheadFirstWord]`. A snapshot has a million reports a
    /// second, most of them ahead; bits cost a fraction of a set's hashing and allocation.
    private var aheadWords: [UInt64] = []
    private var aheadFirstWord: UInt64 = 0
    private var aheadCount: UInt64 = 0
    /// Committed transactions not yet durable: (last ticket sent at its commit, its end LSN), oldest first.
    private var pendingCommits: [(lastTicket: UInt64, endLSN: LSN)] = []
    private var pendingStart = 0
    private(set) var lastIssuedTicket: UInt64 = 0
    /// The highest LSN whose changes are all durable in Kafka.
    public private(set) var acknowledgeable: LSN

    public init(startingAt lsn: LSN) {
        acknowledgeable = lsn
    }

    /// Hands out `count` consecutive tickets for records about to be produced in that order; returns the first.
    public mutating func issueTickets(count: Int) -> UInt64 {
        let first = lastIssuedTicket + 1
        lastIssuedTicket += UInt64(count)
        return first
    }

    /// A transaction committed (or, between transactions, the server reported `endLSN` as its position): once every
    /// ticket issued so far is delivered, `endLSN` may be acknowledged, so the slot keeps moving on a quiet database.
    public mutating func committed(endLSN: LSN) {
        pendingCommits.append((lastIssuedTicket, endLSN))
        advance()
    }

    public mutating func delivered(ticket: UInt64) {
        if ticket == deliveredThrough + 1 {
            deliveredThrough = ticket
            while takeAhead(deliveredThrough + 1) { deliveredThrough += 1 }
            dropPassedWords()
        } else if ticket > deliveredThrough {
            markAhead(ticket)
        }
        advance()
    }

    /// Records sent but not yet acknowledged by Kafka.
    public var inFlight: UInt64 { lastIssuedTicket - deliveredThrough - aheadCount }

    private mutating func markAhead(_ ticket: UInt64) {
        // The first word always covers `deliveredThrough + 1`, so no ticket ahead falls before it.
        if aheadWords.isEmpty { aheadFirstWord = (deliveredThrough + 1) / 64 }
        let index = Int(ticket / 64 - aheadFirstWord)
        if index >= aheadWords.count {
            aheadWords.append(contentsOf: repeatElement(0, count: index - aheadWords.count + 1))
        }
        let bit: UInt64 = 1 << (ticket % 64)
        guard aheadWords[index] & bit == 0 else { return }  // a repeated report
        aheadWords[index] |= bit
        aheadCount += 1
    }

    /// Clears `ticket`'s bit; false if it was not delivered ahead.
    private mutating func takeAhead(_ ticket: UInt64) -> Bool {
        guard aheadCount > 0 else { return false }
        let index = Int(ticket / 64 - aheadFirstWord)
        let bit: UInt64 = 1 << (ticket % 64)
        guard index < aheadWords.count, aheadWords[index] & bit != 0 else { return false }
        aheadWords[index] &= ~bit
        aheadCount -= 1
        return true
    }

    /// Forgets words wholly at or below `deliveredThrough`, now and then rather than on every report.
    private mutating func dropPassedWords() {
        if aheadCount == 0 {
            aheadWords.removeAll(keepingCapacity: true)
            return
        }
        let passed = Int((deliveredThrough + 1) / 64 - aheadFirstWord)
        if passed > 1024, passed * 2 > aheadWords.count {
            aheadWords.removeFirst(passed)
            aheadFirstWord += UInt64(passed)
        }
    }

    private mutating func advance() {
        while pendingStart < pendingCommits.count, pendingCommits[pendingStart].lastTicket <= deliveredThrough {
            acknowledgeable = max(acknowledgeable, pendingCommits[pendingStart].endLSN)
            pendingStart += 1
        }
        // Compact now and then instead of removing from the front each time.
        if pendingStart > 1024, pendingStart * 2 > pendingCommits.count {
            pendingCommits.removeFirst(pendingStart)
            pendingStart = 0
        }
    }
}
