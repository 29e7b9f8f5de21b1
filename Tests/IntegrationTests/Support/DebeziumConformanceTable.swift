/// The table of Tests/Fixtures/Debezium's conformance topics: one column of each type whose Debezium form differs,
/// and the two rows they start with.
enum DebeziumConformanceTable {
    static let create = """
        CREATE TYPE mood AS ENUM ('calm', 'busy');
        CREATE TABLE public.conformance (
          id int PRIMARY KEY, customer_id bigint, small int2, amount numeric(20,5), price numeric, rate float8,
          ratio float4, paid bool, pay_date date, created timestamp(6), settled timestamptz, meta jsonb, doc json,
          blob bytea, tags text[], scores int4[], ref uuid, mood mood, note text, at_time time(6), short_time time(3),
          attz timetz);
        """

    /// Row 1's `attz` is a parameter: Debezium's `ZonedTime` keeps the instant, not the offset, so a round trip
    /// compares only a UTC one.
    static func insertRows(firstAttz: String) -> String {
        #"""
        INSERT INTO public.conformance VALUES
          (1, 7, -3, 1234567.12345, 3.14159, 0.5, 0.25, true, '2024-01-02', '2024-01-01 10:00:00.123456',
           '2024-01-01 10:00:00.5+02', '{"n": 1, "list": [1, "x", null]}', '{"b": [true, 2.50]}', '\x0000002a',
           ARRAY['a1', NULL, 'q"uote'], ARRAY[1, -1], 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'calm',
           E'tab\there "é" ✓', '10:15:30.25', '10:15:30.125', '\#(firstAttz)'),
          (2, 8, NULL, -0.00001, -12, -1.25, NULL, false, '1969-12-31', '1969-12-31 23:59:59.999999', NULL, '"text"',
           NULL, NULL, '{}', NULL, NULL, 'busy', NULL, '00:00:00', '23:59:59.999', NULL);
        """#
    }
}
