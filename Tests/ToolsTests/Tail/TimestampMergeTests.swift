import Shared
import Testing

@testable import Tools

@Suite struct TimestampMergeTests {
    let a = TopicPartition(topic: "p.s.a", partition: 0)
    let b = TopicPartition(topic: "p.s.b", partition: 0)

    @Test func interleavesByTimestampKeepingEachPartitionsOrder() {
        var merge = TimestampMerge<String>(partitions: [a, b])
        merge.add("a1", partition: a, timestampMs: 10)
        merge.add("a2", partition: a, timestampMs: 5)  // out of time order within its partition: stays after a1
        merge.add("a3", partition: a, timestampMs: 30)
        merge.add("b1", partition: b, timestampMs: 20)
        merge.add("b2", partition: b, timestampMs: 25)
        merge.settleAll()
        #expect(merge.releaseReady() == ["a1", "a2", "b1", "b2", "a3"])
    }

    @Test func waitsForAnUnsettledPartitionThatHasNothingYet() {
        var merge = TimestampMerge<String>(partitions: [a, b])
        merge.add("a1", partition: a, timestampMs: 10)
        #expect(merge.releaseReady().isEmpty)
        merge.add("b1", partition: b, timestampMs: 5)
        #expect(merge.releaseReady() == ["b1"])  // then b is empty again and may still have older ones
        merge.settle(b)
        #expect(merge.releaseReady() == ["a1"])
    }

    @Test func releaseAllEmptiesEverythingInOrder() {
        var merge = TimestampMerge<String>(partitions: [a, b])
        merge.add("b1", partition: b, timestampMs: nil)
        merge.add("a1", partition: a, timestampMs: 1)
        merge.add("a2", partition: a, timestampMs: 2)
        #expect(merge.bufferedCount(a) == 2)
        #expect(merge.releaseAll() == ["b1", "a1", "a2"])
        #expect(merge.bufferedPartitions.isEmpty)
    }

    @Test func tiesGoToTheTopicThatSortsFirst() {
        var merge = TimestampMerge<String>(partitions: [a, b])
        merge.add("b1", partition: b, timestampMs: 7)
        merge.add("a1", partition: a, timestampMs: 7)
        #expect(merge.releaseAll() == ["a1", "b1"])
    }
}
