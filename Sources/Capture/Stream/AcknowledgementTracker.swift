import Shared

/// Decides how far the replication slot may be acknowledged (DESIGN.md invariant 4): a transaction's end LSN
/// becomes acknowledgeable once Kafka has acknowledged every record sent up to and including its commit.
///
/// Pure state: capture tells it what was sent and what was delivered; it answers with the LSN to report.
/// Records get consecutive tickets (1, 2, 3, …) in the order they are handed to the producer.
public struct AcknowledgementTracker: Sendable {
    /// Every ticket up to this one has been delivered.
    private(set) var deliveredThrough: UInt64 = 0
    /// Delivered tickets above `deliveredThrough` (reports arrive out of order across partitions).
    private var deliveredAhead: Set<UInt64> = []
    /// Committed transactions not yet durable: (last ticket sent at its commit, its end LSN), oldest first.
    private var pendingCommits: [(lastTicket: UInt64, endLSN: LSN)] = []
    private var pendingStart = 0
    private(set) var lastIssuedTicket: UInt64 = 0
    /// The highest LSN whose changes are all durable in Kafka.
    public private(set) var acknowledgeable: LSN

    public init(startingAt lsn: LSN) {
        acknowledgeable = lsn
    }

    /// Hands out the next ticket for a record about to be produced.
    public mutating func issueTicket() -> UInt64 {
        issueTickets(count: 1)
    }

    /// Hands out `count` consecutive tickets for records about to be produced in that order; returns the first.
    public mutating func issueTickets(count: Int) -> UInt64 {
        let first = lastIssuedTicket + 1
        lastIssuedTicket += UInt64(count)
        return first
    }

    /// A transaction committed: once every ticket issued so far is delivered, `endLSN` may be acknowledged.
    public mutating func committed(endLSN: LSN) {
        pendingCommits.append((lastIssuedTicket, endLSN))
        advance()
    }

    /// The server says nothing of ours happened up to `lsn` (a keepalive while idle): acknowledge it once
    /// what was sent before is durable, so the slot keeps moving on a quiet database.
    public mutating func idle(at lsn: LSN) {
        committed(endLSN: lsn)
    }

    public mutating func delivered(ticket: UInt64) {
        if ticket == deliveredThrough + 1 {
            deliveredThrough = ticket
            while deliveredAhead.remove(deliveredThrough + 1) != nil { deliveredThrough += 1 }
        } else if ticket > deliveredThrough {
            deliveredAhead.insert(ticket)
        }
        advance()
    }

    /// Records sent but not yet acknowledged by Kafka.
    public var inFlight: UInt64 { lastIssuedTicket - deliveredThrough - UInt64(deliveredAhead.count) }

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
