import Testing

@testable import Capture

@Suite struct FullLoadPercentTests {
    func table(_ state: CaptureProgress.TableState, read: Int, estimate: Int64?) -> CaptureProgress.Table {
        CaptureProgress.Table(name: "t", state: state, rowsRead: read, estimatedRows: estimate)
    }

    @Test func tablesWeighByTheirRows() throws {
        // 20k rows loaded, 100k-row table half read: 70k of 120k rows, not the plain average of 100 % and 50 %.
        let percent = try #require(
            CaptureProgress.fullLoadPercent([
                table(.loaded, read: 20_000, estimate: 20_000), table(.loading, read: 50_000, estimate: 100_000),
            ]))
        #expect(abs(percent - 58.333) < 0.01)
    }

    @Test func unknownSizesAndNoTablesGiveNoFigure() {
        #expect(CaptureProgress.fullLoadPercent([table(.loading, read: 10, estimate: nil)]) == nil)
        #expect(CaptureProgress.fullLoadPercent([]) == nil)
        #expect(CaptureProgress.fullLoadPercent([table(.loaded, read: 0, estimate: 0)]) == 100)
    }
}
