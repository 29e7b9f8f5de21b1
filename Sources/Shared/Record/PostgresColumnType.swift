/// The PostgreSQL type of a column, as far as turning its text output into a record value needs it.
public struct PostgresColumnType: Sendable, Hashable {
    /// How values of a type become JSON (docs/design.md, "Column values").
    public enum Category: Sendable, Hashable {
        case integer, numeric, float, boolean, date, timestamp, timestamptz, json, bytea
        /// Everything else is passed on as the string PostgreSQL prints: text, varchar, bpchar, uuid, enums,
        /// inet, interval, money, time, timetz, xml, ...
        case text

        /// The category of a well-known `pg_type.typname`.
        public init(typeName: String) {
            switch typeName {
            case "int2", "int4", "int8", "oid": self = .integer
            case "numeric": self = .numeric
            case "float4", "float8": self = .float
            case "bool": self = .boolean
            case "date": self = .date
            case "timestamp": self = .timestamp
            case "timestamptz": self = .timestamptz
            case "json", "jsonb": self = .json
            case "bytea": self = .bytea
            default: self = .text
            }
        }
    }

    /// `pg_type.typname` of the base type (of the element type, for arrays): "int4", "numeric", an enum's name.
    public var name: String
    public var isArray: Bool
    public var category: Category

    public init(name: String, isArray: Bool = false) {
        self.init(name: name, isArray: isArray, category: Category(typeName: name))
    }

    public init(name: String, isArray: Bool, category: Category) {
        self.name = name
        self.isArray = isArray
        self.category = category
    }

    /// The name shown in a record's `types` map: `int4`, or `int4[]` for an array.
    public var recordTypeName: String {
        isArray ? name + "[]" : name
    }

    /// The separator of array elements: a comma for every built-in type except `box`, whose text contains commas.
    var arrayDelimiter: UInt8 {
        name == "box" ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }
}
