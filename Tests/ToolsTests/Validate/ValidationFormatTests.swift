import Apply
import Capture
import Shared
import Testing

@testable import Tools

@Suite struct ValidationFormatTests {
    @Test func tableFormatLinesUpCountsAndShowsTheFirstDifferences() {
        #expect(
            ValidationTableFormat.render(ValidateFixtures.report([ValidateFixtures.clean, ValidateFixtures.differing])) == """
                Validated postgresql://ferry:***@db:5432/loans at snapshot LSN 0/1A2B3C4 (every row compared)

                TABLE         TARGET    SOURCE ROWS  TARGET ITEMS  MISSING  EXTRA  DIFFERING  TOLERATED  STATUS
                dbo.Payments  Payments          120           120        0      0          0          0  OK
                public.loans  Loans               5             5        1      1          1          1  DIFF

                public.loans → Loans: 4 differences
                  missing     id=2
                  differing   id=3
                              amount: PostgreSQL 10.50, DynamoDB 10.51
                              note: PostgreSQL "a\\"b", DynamoDB (absent)
                  extra       id=99  newer in DynamoDB (committed at 0/1F4, after the snapshot)
                  extra       id=100

                DIFF: 3 differences in 1 of 2 tables (1 newer in DynamoDB, tolerated)

                """)
    }

    @Test func tableFormatSaysWhenEverythingMatchesAndWhenDetailsAreCut() {
        var cut = ValidateFixtures.differing
        cut.differences = Array(cut.differences.prefix(1))
        let text = ValidationTableFormat.render(ValidateFixtures.report([cut], sampleSize: 50))
        #expect(text.hasPrefix("Validated postgresql://ferry:***@db:5432/loans at snapshot LSN 0/1A2B3C4 (a random sample of up to 50 rows per table)\n"))
        #expect(text.contains("public.loans → Loans: 4 differences, first 1 shown\n  missing     id=2\n\nDIFF"))
        #expect(ValidationTableFormat.render(ValidateFixtures.report([ValidateFixtures.clean])).hasSuffix("\nOK: 1 table match\n"))
    }

    @Test func aSampledTableShowsNoExtraCount() {
        var sampled = TableReport(
            table: QualifiedTableName(schema: "public", name: "t"), targetTable: "T", sourceRows: 3, targetItems: 2,
            isSample: true)
        sampled.compared = 3
        let text = ValidationTableFormat.render(ValidateFixtures.report([sampled], sampleSize: 3))
        #expect(text.contains("\npublic.t  T                 3             2        0      -          0          0  DIFF\n"))
        #expect(text.hasSuffix("\nDIFF: row and item counts differ in 1 of 1 tables (the sample cannot tell which keys)\n"))
    }

    @Test func jsonIsOneDocumentWithExactCountsAndTypedValues() {
        let json = ValidationJSONFormat.render(ValidateFixtures.report([ValidateFixtures.clean, ValidateFixtures.differing]))
        #expect(
            json
                == #"{"status":"DIFF","source":"postgresql://ferry:***@db:5432/loans","snapshot_lsn":"0/1A2B3C4","mode":"full","#
                + #""sample_size":null,"version_attribute":"_ferry_version","#
                + #""totals":{"tables":2,"source_rows":125,"target_items":125,"compared":125,"missing":1,"extra":1,"differing":1,"tolerated":1,"truncated":0},"#
                + #""tables":[{"table":"dbo.Payments","target_table":"Payments","status":"OK","stopped_at_failure_limit":false,"source_rows":120,"target_items":120,"#
                + #""compared":120,"missing":0,"extra":0,"differing":0,"tolerated":0,"truncated":0,"differences":[]},"#
                + #"{"table":"public.loans","target_table":"Loans","status":"DIFF","stopped_at_failure_limit":false,"source_rows":5,"target_items":5,"compared":5,"#
                + #""missing":1,"extra":1,"differing":1,"tolerated":1,"truncated":0,"differences":["#
                + #"{"kind":"missing","key":{"id":{"N":"2"}},"tolerated":false,"target_version":null,"target_commit_lsn":null,"attributes":[],"reason":null},"#
                + #"{"kind":"differing","key":{"id":{"N":"3"}},"tolerated":false,"target_version":"3900000000001","target_commit_lsn":"0/186","#
                + #""attributes":[{"name":"amount","source":{"N":"10.50"},"target":{"N":"10.51"}},{"name":"note","source":{"S":"a\"b"},"target":null}],"reason":null},"#
                + #"{"kind":"extra","key":{"id":{"N":"99"}},"tolerated":true,"target_version":"5000000000000","target_commit_lsn":"0/1F4","attributes":[],"reason":null},"#
                + #"{"kind":"extra","key":{"id":{"N":"100"}},"tolerated":false,"target_version":null,"target_commit_lsn":null,"attributes":[],"reason":null}]}]}"#
                + "\n")
    }

    @Test func jsonOfASampleSaysSoAndHasNoExtraCount() {
        let sampled = TableReport(
            table: QualifiedTableName(schema: "public", name: "t"), targetTable: "T", sourceRows: 3, targetItems: 3,
            isSample: true)
        let json = ValidationJSONFormat.render(ValidateFixtures.report([sampled], sampleSize: 3))
        #expect(json.contains(#""status":"OK","#))
        #expect(json.contains(#""mode":"sample","sample_size":3,"#))
        #expect(json.contains(#""missing":0,"extra":null,"differing":0"#))
    }

    @Test func valuesAndKeysForPeople() {
        #expect(AttributeValueText.key(["sk": .n("3"), "pk": .s("APP#1")]) == #"pk="APP#1" sk=3"#)
        #expect(AttributeValueText.text(.m(["b": .l([.n("1.5"), .bool(true), .null]), "a": .s("x")])) == #"{"a":"x","b":[1.5,true,null]}"#)
        #expect(AttributeValueText.text(.b([1, 2, 3])) == #"{"B":"AQID"}"#)
        #expect(ValidationProgress(table: QualifiedTableName(schema: "s", name: "t"), compared: 250, total: 1000).line
            == "s.t: 250 / 1000 rows (25%)")
        #expect(ValidationProgress(table: QualifiedTableName(schema: "s", name: "t"), compared: 0, total: 0).line
            == "s.t: 0 / 0 rows (100%)")
    }
}
