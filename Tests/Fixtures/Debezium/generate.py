#!/usr/bin/env python3
"""Writes the conformance-*.json fixtures of this directory (see README.md): the rows of the conformance table as a
Debezium PostgreSQL connector serializes them with Kafka Connect's JsonConverter, in each decimal.handling.mode and
time.precision.mode, following the type mappings of Debezium's documentation
(documentation/modules/ROOT/pages/connectors/postgresql.adoc, "Data type mappings"). Run it from this directory."""
import base64, datetime, json

EPOCH = datetime.datetime(1970, 1, 1)


def unscaled(n):
    return base64.b64encode(n.to_bytes((n.bit_length() + 8) // 8, "big", signed=True)).decode()


def days(text):
    return (datetime.date.fromisoformat(text) - EPOCH.date()).days


def micros(text):
    delta = datetime.datetime.fromisoformat(text) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def time_micros(text):
    t = datetime.time.fromisoformat(text)
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


# The rows as PostgreSQL holds them (the integration test inserts the same ones); None is NULL.
ROWS = {
    1: dict(id=1, customer_id=7, small=-3, amount=("1234567.12345", 123456712345, 5), price=("3.14159", 314159, 5),
            rate=0.5, ratio=0.25, paid=True, pay_date="2024-01-02", created="2024-01-01 10:00:00.123456",
            settled="2024-01-01T08:00:00.5Z", meta='{"n": 1, "list": [1, "x", null]}', doc='{"b": [true, 2.50]}',
            blob="AAAAKg==", tags=["a1", None, 'q"uote'], scores=[1, -1], ref="a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            mood="calm", note='tab\there "é" ✓', at_time="10:15:30.25", short_time="10:15:30.125",
            attz="08:15:30.25Z"),
    2: dict(id=2, customer_id=8, small=None, amount=("-0.00001", -1, 5), price=("-12", -12, 0), rate=-1.25,
            ratio=None, paid=False, pay_date="1969-12-31", created="1969-12-31 23:59:59.999999", settled=None,
            meta='"text"', doc=None, blob=None, tags=[], scores=None, ref=None, mood="busy", note=None,
            at_time="00:00:00", short_time="23:59:59.999", attz=None),
}


def schema_fields(decimal, time):
    def f(field, type_, name=None, parameters=None, optional=True, **extra):
        d = {"type": type_, "optional": optional}
        if name:
            d["name"] = name
            d["version"] = 1
        if parameters:
            d["parameters"] = parameters
        d.update(extra)
        d["field"] = field
        return d

    if decimal == "precise":
        amount = f("amount", "bytes", "org.apache.kafka.connect.data.Decimal",
                   {"scale": "5", "connect.decimal.precision": "20"})
        price = f("price", "struct", "io.debezium.data.VariableScaleDecimal", doc="Variable scaled decimal",
                  fields=[{"type": "int32", "optional": False, "field": "scale"},
                          {"type": "bytes", "optional": False, "field": "value"}])
    elif decimal == "string":
        # column.propagate.source.type on amount only: the one that says it is numeric.
        amount = f("amount", "string", parameters={"__debezium.source.column.type": "NUMERIC",
                                                   "__debezium.source.column.length": "20",
                                                   "__debezium.source.column.scale": "5"})
        price = f("price", "string")
    else:
        amount = f("amount", "double")
        price = f("price", "double")
    if time == "connect":
        date_name, ts, t6, t3 = ("org.apache.kafka.connect.data.Date", ("int64", "org.apache.kafka.connect.data.Timestamp"),
                                 ("int32", "org.apache.kafka.connect.data.Time"), ("int32", "org.apache.kafka.connect.data.Time"))
    elif time == "adaptive":
        date_name, ts, t6, t3 = ("io.debezium.time.Date", ("int64", "io.debezium.time.MicroTimestamp"),
                                 ("int64", "io.debezium.time.MicroTime"), ("int32", "io.debezium.time.Time"))
    else:  # adaptive_time_microseconds
        date_name, ts, t6, t3 = ("io.debezium.time.Date", ("int64", "io.debezium.time.MicroTimestamp"),
                                 ("int64", "io.debezium.time.MicroTime"), ("int64", "io.debezium.time.MicroTime"))
    return [
        f("id", "int32", optional=False, default=0), f("customer_id", "int64"), f("small", "int16"), amount, price,
        f("rate", "double"), f("ratio", "float"), f("paid", "boolean"), f("pay_date", "int32", date_name),
        f("created", ts[0], ts[1]), f("settled", "string", "io.debezium.time.ZonedTimestamp"),
        f("meta", "string", "io.debezium.data.Json"), f("doc", "string", "io.debezium.data.Json"), f("blob", "bytes"),
        f("tags", "array", items={"type": "string", "optional": True}),
        f("scores", "array", items={"type": "int32", "optional": True}),
        f("ref", "string", "io.debezium.data.Uuid"), f("mood", "string", "io.debezium.data.Enum", {"allowed": "calm,busy"}),
        f("note", "string"), f("at_time", t6[0], t6[1]), f("short_time", t3[0], t3[1]),
        f("attz", "string", "io.debezium.time.ZonedTime"),
    ]


def fix_types(fields):
    # JsonConverter's type names are Connect's: float64/float32, not double/float.
    for field in fields:
        field["type"] = {"double": "float64", "float": "float32"}.get(field["type"], field["type"])
    return fields


def value_row(row, decimal, time):
    def dec(value):
        text, unscaled_value, scale = value
        if decimal == "precise":
            return unscaled(unscaled_value)
        return text if decimal == "string" else float(text)

    def varscale(value):
        text, unscaled_value, scale = value
        if decimal == "precise":
            return {"scale": scale, "value": unscaled(unscaled_value)}
        return text if decimal == "string" else float(text)

    def ts(text):
        return micros(text) // 1000 if time == "connect" else micros(text)

    def t(text, precision):
        if time == "connect" or (time == "adaptive" and precision <= 3):
            return time_micros(text) // 1000
        return time_micros(text)

    r = dict(row)
    r["amount"] = dec(row["amount"])
    r["price"] = varscale(row["price"])
    r["pay_date"] = days(row["pay_date"])
    r["created"] = ts(row["created"])
    r["at_time"] = t(row["at_time"], 6)
    r["short_time"] = t(row["short_time"], 3)
    return r


def message(op, row, decimal, time, sequence, snapshot="false", key=None, with_schema=True, unavailable=()):
    fields = fix_types(schema_fields(decimal, time))
    after = None if op in ("d", "t") else value_row(row, decimal, time)
    for column in unavailable:
        after[column] = ["__debezium_unavailable_value"] if isinstance(after[column], list) else "__debezium_unavailable_value"
    before = {c["field"]: None for c in fields} | {"id": row["id"]} if op == "d" else None
    lsn = int(sequence[1])
    source = {"version": "2.7.0.Final", "connector": "postgresql", "name": "PostgreSQL_server", "ts_ms": 1704103200000,
              "snapshot": snapshot, "db": "postgres", "sequence": json.dumps(sequence, separators=(",", ":")),
              "schema": "public", "table": "conformance", "txId": 780 + lsn % 97, "lsn": lsn, "xmin": None}
    payload = {"before": before, "after": after, "source": source, "op": op, "ts_ms": 1704103201000}
    if op == "t":  # a truncate names no row: no before, after or key (the page's truncate event)
        del payload["before"], payload["after"]
    key_value = {"id": row["id"]}
    value_schema = {"type": "struct", "fields": [
        {"type": "struct", "fields": fields, "optional": True, "name": "PostgreSQL_server.public.conformance.Value",
         "field": "before"},
        {"type": "struct", "fields": fields, "optional": True, "name": "PostgreSQL_server.public.conformance.Value",
         "field": "after"},
        {"type": "struct", "fields": [], "optional": False, "name": "io.debezium.connector.postgresql.Source",
         "field": "source"},
        {"type": "string", "optional": False, "field": "op"},
        {"type": "int64", "optional": True, "field": "ts_ms"}],
        "optional": False, "name": "PostgreSQL_server.public.conformance.Envelope", "version": 2}
    key_schema = {"type": "struct", "fields": [{"type": "int32", "optional": False, "default": 0, "field": "id"}],
                  "optional": False, "name": "PostgreSQL_server.public.conformance.Key"}
    if op == "t":
        return {"key": None, "value": {"schema": value_schema, "payload": payload} if with_schema else payload}
    if with_schema:
        return {"key": {"schema": key_schema, "payload": key_value}, "value": {"schema": value_schema, "payload": payload}}
    return {"key": key_value, "value": payload}


def topic(decimal, time, with_schema=True):
    """Snapshot rows, then streamed changes: the first streamed transaction began before the snapshot's point
    (its LSN is below it) and has the connector's initial null last-commit LSN; a delete and its tombstone."""
    r1, r2 = ROWS[1], ROWS[2]
    u2 = dict(r2, amount=("2.50000", 250000, 5))
    u1 = dict(r1, note="changed")
    u1b = dict(u1, short_time="11:00:00")
    m = lambda *a, **k: message(*a, decimal=decimal, time=time, with_schema=with_schema, **k)
    delete = m("d", u2, sequence=["23000900", "23001000"])
    return [
        m("r", r1, sequence=[None, "23000000"], snapshot="first"),
        m("r", r2, sequence=[None, "23000000"], snapshot="last"),
        m("u", u1, sequence=[None, "22999000"]),
        m("u", u2, sequence=["23000500", "23000600"]),
        m("u", u1b, sequence=["23000700", "23000800"], unavailable=["note", "tags"]),
        delete,
        {"key": delete["key"], "value": None},
    ]


def truncated_topic():
    """Snapshot rows, a truncate of the table, and row 1 inserted again after it."""
    m = lambda *a, **k: message(*a, decimal="precise", time="adaptive", **k)
    return [
        m("r", ROWS[1], sequence=[None, "23000000"], snapshot="first"),
        m("r", ROWS[2], sequence=[None, "23000000"], snapshot="last"),
        m("t", ROWS[1], sequence=["23000500", "23000600"]),
        m("c", ROWS[1], sequence=["23000700", "23000800"]),
    ]


README_NOTE = ("Generated by generate.py from the type mappings of Debezium's postgresql.adoc "
               "(decimal.handling.mode={}, time.precision.mode={}, schemas.enable={}); see README.md.")

for decimal, time in [("precise", "adaptive"), ("precise", "adaptive_time_microseconds"), ("precise", "connect"),
                      ("string", "adaptive"), ("double", "adaptive")]:
    with open(f"conformance-{decimal}-{time}.json", "w") as out:
        json.dump({"source": README_NOTE.format(decimal, time, "true"), "messages": topic(decimal, time)}, out,
                  ensure_ascii=False, indent=1)
        out.write("\n")
with open("conformance-schemaless-string-adaptive.json", "w") as out:
    json.dump({"source": README_NOTE.format("string", "adaptive", "false"),
               "messages": topic("string", "adaptive", with_schema=False)}, out, ensure_ascii=False, indent=1)
    out.write("\n")
with open("conformance-truncate.json", "w") as out:
    json.dump({"source": README_NOTE.format("precise", "adaptive", "true"), "messages": truncated_topic()}, out,
              ensure_ascii=False, indent=1)
    out.write("\n")
