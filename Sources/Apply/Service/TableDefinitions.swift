import Shared

/// `--table-definitions`: how CREATE_IF_MISSING and DROP_AND_CREATE create the tables it names — a JSON array of
/// DynamoDB `CreateTable` requests (the AWS CLI / boto3 shape of `aws dynamodb create-table --cli-input-json`):
/// `TableName`, `AttributeDefinitions`, `KeySchema`, `GlobalSecondaryIndexes` (each with its `Projection` and, when
/// provisioned, `ProvisionedThroughput`), `BillingMode` (`PROVISIONED`, CreateTable's default, or
/// `PAY_PER_REQUEST`) and `ProvisionedThroughput`; plus, Ferry's addition, `TimeToLiveSpecification` as
/// UpdateTimeToLive takes it (`{"AttributeName": "ttl", "Enabled": true}`), set once the table is active. Any
/// other field is refused by name rather than ignored, so no setting silently goes missing. Tables the file does
/// not name are created as before: the mapping's key, on demand.
public struct TableDefinitions: Sendable, Hashable {
    public struct Table: Sendable, Hashable {
        public var createTable: CreateTableInput
        /// The attribute items expire by, if the file enables TTL.
        public var timeToLiveAttribute: String?
    }

    public private(set) var tables: [String: Table] = [:]

    public init() {}

    public subscript(table: String) -> Table? { tables[table] }

    /// The definition of target table `table`: its own, or that of its name without `--table-suffix` `suffix`
    /// (a backfill's new tables are made like the live ones), renamed.
    func definition(of table: String, suffix: String) -> Table? {
        if let own = tables[table] { return own }
        guard !suffix.isEmpty, table.hasSuffix(suffix), var base = tables[String(table.dropLast(suffix.count))] else {
            return nil
        }
        base.createTable.tableName = table
        return base
    }

    /// Reads and checks the whole file: every problem a CreateTable would meet later (an undefined key attribute,
    /// a missing throughput, a misspelt field) fails here, naming the table and the field.
    public static func parse(_ bytes: [UInt8]) throws(TableDefinitionsError) -> TableDefinitions {
        guard let document = try? JSONParser.parse(bytes) else {
            throw TableDefinitionsError(table: nil, field: nil, problem: "not valid JSON")
        }
        guard case .array(let elements) = document else {
            throw TableDefinitionsError(
                table: nil, field: nil, problem: "expected an array of CreateTable requests ([{\"TableName\": ...}, ...])")
        }
        var definitions = TableDefinitions()
        for (index, element) in elements.enumerated() {
            let position = "#\(index + 1)"
            guard case .object(let object) = element else {
                throw TableDefinitionsError(table: position, field: nil, problem: "must be an object")
            }
            var fields = DefinitionFields(object, table: position, path: "")
            let name = try fields.string("TableName")
            fields = DefinitionFields(object, table: name, path: "")
            guard definitions.tables[name] == nil else {
                throw fields.failure("TableName", "the file defines this table twice")
            }
            definitions.tables[name] = try table(name, fields)
        }
        return definitions
    }

    private static let tableFields: Set<String> = [
        "TableName", "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode",
        "ProvisionedThroughput", "TimeToLiveSpecification",
    ]

    private static func table(_ name: String, _ fields: DefinitionFields) throws(TableDefinitionsError) -> Table {
        try fields.refuseOthers(than: tableFields)
        let definitions = try fields.objects("AttributeDefinitions").map { definition throws(TableDefinitionsError) in
            try definition.refuseOthers(than: ["AttributeName", "AttributeType"])
            let type = try definition.choice("AttributeType", ["S": ScalarAttributeType.s, "N": .n, "B": .b])
            return AttributeDefinition(try definition.string("AttributeName"), type)
        }
        var defined: [String: Int] = [:]
        for (index, definition) in definitions.enumerated() {
            guard defined.updateValue(index, forKey: definition.attributeName) == nil else {
                throw fields.failure("AttributeDefinitions[\(index)]", "\(definition.attributeName) is defined twice")
            }
        }
        let keySchema = try key(fields, path: "KeySchema", defined: defined)
        let billing = try fields.optionalChoice("BillingMode", ["PROVISIONED": true, "PAY_PER_REQUEST": false]) ?? true
        let throughput = try throughput(fields, provisioned: billing)
        var indexNames: Set<String> = []
        let indexes = try (fields.optionalObjects("GlobalSecondaryIndexes") ?? []).map { index throws(TableDefinitionsError) in
            try index.refuseOthers(than: ["IndexName", "KeySchema", "Projection", "ProvisionedThroughput"])
            let indexName = try index.string("IndexName")
            guard indexNames.insert(indexName).inserted else {
                throw index.failure("IndexName", "two indexes are named \(indexName)")
            }
            let projection = try index.object("Projection")
            try projection.refuseOthers(than: ["ProjectionType", "NonKeyAttributes"])
            let kind = try projection.choice("ProjectionType", ["ALL": 0, "KEYS_ONLY": 1, "INCLUDE": 2])
            let nonKey = try projection.optionalStrings("NonKeyAttributes")
            guard (kind == 2) == (nonKey != nil) else {
                throw projection.failure("NonKeyAttributes", "is given with ProjectionType INCLUDE, and only then")
            }
            return GlobalSecondaryIndex(
                indexName: indexName, keySchema: try key(index, path: "KeySchema", defined: defined),
                projection: kind == 0 ? .all : kind == 1 ? .keysOnly : .include(nonKey ?? []),
                provisionedThroughput: try Self.throughput(index, provisioned: billing))
        }
        let keyNames = Set((keySchema + indexes.flatMap(\.keySchema)).map(\.attributeName))
        if let unused = definitions.firstIndex(where: { !keyNames.contains($0.attributeName) }) {
            throw fields.failure(
                "AttributeDefinitions[\(unused)]",
                "\(definitions[unused].attributeName) is in no key of the table or its indexes (DynamoDB refuses that)")
        }
        var timeToLive: String?
        if let specification = try fields.optionalObject("TimeToLiveSpecification") {
            try specification.refuseOthers(than: ["AttributeName", "Enabled"])
            let attribute = try specification.string("AttributeName")
            timeToLive = try specification.bool("Enabled") ? attribute : nil
        }
        return Table(
            createTable: CreateTableInput(
                tableName: name, attributeDefinitions: definitions, keySchema: keySchema,
                globalSecondaryIndexes: indexes, billingMode: throughput.map(BillingMode.provisioned) ?? .payPerRequest),
            timeToLiveAttribute: timeToLive)
    }

    /// A key schema: a HASH element, then optionally a RANGE one, each a defined attribute.
    private static func key(
        _ fields: DefinitionFields, path: String, defined: [String: Int]
    ) throws(TableDefinitionsError) -> [KeySchemaElement] {
        let elements = try fields.objects(path)
        guard (1...2).contains(elements.count) else {
            throw fields.failure(path, "must have a HASH element and at most one RANGE element after it")
        }
        var key: [KeySchemaElement] = []
        for (index, element) in elements.enumerated() {
            try element.refuseOthers(than: ["AttributeName", "KeyType"])
            let name = try element.string("AttributeName")
            let type = try element.choice("KeyType", ["HASH": KeyType.hash, "RANGE": .range])
            guard type == (index == 0 ? .hash : .range) else {
                throw element.failure("KeyType", "must be \(index == 0 ? "HASH" : "RANGE") at position \(index)")
            }
            guard defined[name] != nil else {
                throw element.failure("AttributeName", "\(name) has no entry in AttributeDefinitions")
            }
            key.append(KeySchemaElement(name, type))
        }
        return key
    }

    /// `ProvisionedThroughput`: required with provisioned billing, refused on demand.
    private static func throughput(
        _ fields: DefinitionFields, provisioned: Bool
    ) throws(TableDefinitionsError) -> ProvisionedThroughput? {
        guard let throughput = try fields.optionalObject("ProvisionedThroughput") else {
            if provisioned {
                throw fields.failure(
                    "ProvisionedThroughput", "is missing (BillingMode is PROVISIONED, CreateTable's default)")
            }
            return nil
        }
        guard provisioned else {
            throw fields.failure("ProvisionedThroughput", "is given, but BillingMode is PAY_PER_REQUEST")
        }
        try throughput.refuseOthers(than: ["ReadCapacityUnits", "WriteCapacityUnits"])
        return ProvisionedThroughput(
            readCapacityUnits: try throughput.positiveInteger("ReadCapacityUnits"),
            writeCapacityUnits: try throughput.positiveInteger("WriteCapacityUnits"))
    }
}

/// Typed access to one object of a table definition, with errors naming the table and the field's path.
private struct DefinitionFields {
    let object: JSONObject
    let table: String
    /// Where `object` sits in the table's object, with a trailing dot; empty at the top.
    let path: String

    init(_ object: JSONObject, table: String, path: String) {
        self.object = object
        self.table = table
        self.path = path
    }

    func failure(_ key: String, _ problem: String) -> TableDefinitionsError {
        TableDefinitionsError(table: table, field: path + key, problem: problem)
    }

    func refuseOthers(than known: Set<String>) throws(TableDefinitionsError) {
        if let unknown = object.fields.first(where: { !known.contains($0.name) }) {
            throw failure(unknown.name, "is not supported here (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ key: String) throws(TableDefinitionsError) -> String {
        guard case .string(let text)? = object[key], !text.isEmpty else {
            throw failure(key, object[key] == nil ? "is missing" : "must be a non-empty string")
        }
        return text
    }

    func bool(_ key: String) throws(TableDefinitionsError) -> Bool {
        guard case .bool(let value)? = object[key] else { throw failure(key, "must be true or false") }
        return value
    }

    func positiveInteger(_ key: String) throws(TableDefinitionsError) -> Int {
        guard case .number(let digits)? = object[key], let value = Int(digits), value > 0 else {
            throw failure(key, "must be a whole number of at least 1")
        }
        return value
    }

    func choice<Value>(_ key: String, _ choices: [String: Value]) throws(TableDefinitionsError) -> Value {
        guard let value = try optionalChoice(key, choices) else { throw failure(key, "is missing") }
        return value
    }

    func optionalChoice<Value>(_ key: String, _ choices: [String: Value]) throws(TableDefinitionsError) -> Value? {
        guard let field = object[key] else { return nil }
        guard case .string(let text) = field, let value = choices[text] else {
            throw failure(key, "must be one of \(choices.keys.sorted().joined(separator: ", "))")
        }
        return value
    }

    func object(_ key: String) throws(TableDefinitionsError) -> DefinitionFields {
        guard let nested = try optionalObject(key) else { throw failure(key, "is missing") }
        return nested
    }

    func optionalObject(_ key: String) throws(TableDefinitionsError) -> DefinitionFields? {
        guard let field = object[key] else { return nil }
        guard case .object(let nested) = field else { throw failure(key, "must be an object") }
        return DefinitionFields(nested, table: table, path: path + key + ".")
    }

    func objects(_ key: String) throws(TableDefinitionsError) -> [DefinitionFields] {
        guard let elements = try optionalObjects(key) else { throw failure(key, "is missing") }
        return elements
    }

    func optionalObjects(_ key: String) throws(TableDefinitionsError) -> [DefinitionFields]? {
        guard let field = object[key] else { return nil }
        guard case .array(let elements) = field, !elements.isEmpty else {
            throw failure(key, "must be a non-empty array of objects")
        }
        var objects: [DefinitionFields] = []
        for (index, element) in elements.enumerated() {
            guard case .object(let nested) = element else { throw failure("\(key)[\(index)]", "must be an object") }
            objects.append(DefinitionFields(nested, table: table, path: path + "\(key)[\(index)]."))
        }
        return objects
    }

    func optionalStrings(_ key: String) throws(TableDefinitionsError) -> [String]? {
        guard let field = object[key] else { return nil }
        guard case .array(let elements) = field, !elements.isEmpty else {
            throw failure(key, "must be a non-empty array of strings")
        }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element, !text.isEmpty else {
                throw failure(key, "must be a non-empty array of strings")
            }
            strings.append(text)
        }
        return strings
    }
}
