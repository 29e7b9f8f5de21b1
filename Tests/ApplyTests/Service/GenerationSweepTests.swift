import Shared
import Testing

@testable import Apply

/// When a member at a generation marker may sweep: only once every partition is committed past its snapshot rows.
@Suite struct GenerationSweepTests {
    let marker = GenerationSnapshotMarker(schema: "public", table: "t", generation: 2, partitionEnds: [10, 20, 30])

    func offset(_ partition: Int32, _ offset: Int64) -> TopicPartitionOffset {
        TopicPartitionOffset(topic: "p.public.t", partition: partition, offset: offset)
    }

    @Test func sweepsOnlyWhenEveryPartitionIsPastItsEnd() {
        let passed = offset(1, 25)
        #expect(GenerationSweep.lagging(marker, committed: [offset(0, 10), offset(2, 30)], passed: passed).isEmpty)
        #expect(
            GenerationSweep.lagging(marker, committed: [offset(0, 9), offset(2, 31)], passed: passed)
                == [TopicPartition(topic: "p.public.t", partition: 0)])
        // No commit yet (librdkafka's "stored" placeholder is negative) is not past anything.
        #expect(
            GenerationSweep.lagging(marker, committed: [offset(0, -1001)], passed: passed).map(\.partition) == [0, 2])
    }

    @Test func theMarkerRoundTripsAndOtherControlRecordsAreNotMarkers() throws {
        let message = marker.message(topic: "p.public.t", partition: 1)
        #expect(message.partition == 1)
        #expect(GenerationSnapshotMarker.isControl(message.headers))
        #expect(GenerationSnapshotMarker(value: try #require(message.value)) == marker)
        #expect(GenerationSnapshotMarker(value: Array(#"{"control":"something_else"}"#.utf8)) == nil)
        #expect(!GenerationSnapshotMarker.isControl([]))
    }
}
