import Shared

/// An `object-mapping` rule: how one source table becomes items of a DynamoDB table
/// ("Using object mapping to migrate data to DynamoDB" in the DMS guide).
struct ObjectMappingRule: Sendable {
    enum Layout: String, Sendable {
        /// Every column not excluded becomes an attribute of its own.
        case recordToRecord = "map-record-to-record"
        /// Every column not excluded goes into one flat map attribute, `_doc`.
        case recordToDocument = "map-record-to-document"
    }

    let id: String
    let layout: Layout
    let schema: NamePattern
    let table: NamePattern
    let targetTableName: String?
    let partitionKeyName: String?
    let sortKeyName: String?
    /// Source column names kept out of the default layout; attribute mappings may still use them.
    let excludedColumns: Set<String>
    let attributeMappings: [AttributeMapping]
    /// `mapping-parameters.condition-expression`: what every write of the table must also meet.
    let condition: WriteCondition?

    init(_ fields: RuleFields, id: String) throws(TableMappingsError) {
        // Mappings written from the LoanApp guide leave rule-action out (and put `"rule-target": "table"` in
        // its place); record-to-record is what DMS describes as the relational default.
        let actionName = try fields.optionalString("rule-action") ?? Layout.recordToRecord.rawValue
        guard let layout = Layout(rawValue: actionName) else {
            throw fields.failure(
                "unknown rule-action '\(actionName)' for an object-mapping rule "
                    + "(expected map-record-to-record or map-record-to-document)")
        }
        let locator = try fields.object("object-locator")
        self.id = id
        self.layout = layout
        self.schema = try locator.pattern("schema-name")
        self.table = try locator.pattern("table-name")
        self.targetTableName = try fields.optionalString("target-table-name")

        let parameters = try fields.optionalObject("mapping-parameters")
        self.partitionKeyName = try parameters?.optionalString("partition-key-name")
        self.sortKeyName = try parameters?.optionalString("sort-key-name")
        if let sortKeyName, sortKeyName == partitionKeyName {
            throw fields.failure("partition-key-name and sort-key-name are both '\(sortKeyName)'")
        }
        if sortKeyName != nil, partitionKeyName == nil {
            throw fields.failure("sort-key-name needs a partition-key-name")
        }
        self.condition = try parameters?.optionalObject("condition-expression").map {
            condition throws(TableMappingsError) in try WriteCondition(condition, ruleId: id)
        }
        self.excludedColumns = Set(try parameters?.stringArray("exclude-columns") ?? [])

        var mappings: [AttributeMapping] = []
        for (index, element) in (try parameters?.optionalArray("attribute-mappings") ?? []).enumerated() {
            let path = "mapping-parameters.attribute-mappings[\(index)]."
            guard case .object(let object) = element else {
                throw fields.failure("'\(path.dropLast())' must be an object")
            }
            let mapping = try AttributeMapping(RuleFields(object, rule: fields.rule, path: path))
            if mappings.contains(where: { $0.targetName == mapping.targetName }) {
                throw fields.failure("attribute-mappings name '\(mapping.targetName)' twice")
            }
            mappings.append(mapping)
        }
        self.attributeMappings = mappings
    }

    func appliesTo(schema: String, table: String) -> Bool {
        self.schema.matches(schema) && self.table.matches(table)
    }
}

/// One entry of `attribute-mappings`: an attribute built from a template over the row's columns.
struct AttributeMapping: Sendable {
    enum Value: Sendable {
        /// `attribute-type` scalar, `attribute-sub-type` string (the default).
        case string(ValueTemplate)
        /// `attribute-type` scalar, `attribute-sub-type` number: the filled template must be a number.
        case number(ValueTemplate)
        /// `attribute-type` document, `attribute-sub-type` dynamodb-map.
        case document(DocumentTemplate)
    }

    let targetName: String
    let value: Value

    init(_ fields: RuleFields) throws(TableMappingsError) {
        let targetName = try fields.string("target-attribute-name")
        let type = try fields.string("attribute-type")
        let subType = try fields.optionalString("attribute-sub-type")
        func parsed<T>(_ parse: () throws(TemplateSyntaxError) -> T) throws(TableMappingsError) -> T {
            do throws(TemplateSyntaxError) {
                return try parse()
            } catch {
                throw fields.failure("attribute '\(targetName)': \(error.reason)")
            }
        }
        self.targetName = targetName
        switch (type, subType) {
        case ("scalar", "string"?), ("scalar", nil):
            let text = try Self.templateText(fields)
            value = .string(try parsed { () throws(TemplateSyntaxError) in try ValueTemplate(parsing: text) })
        case ("scalar", "number"?):
            let text = try Self.templateText(fields)
            value = .number(try parsed { () throws(TemplateSyntaxError) in try ValueTemplate(parsing: text) })
        case ("scalar", let other?):
            throw fields.failure(
                "\(fields.label("attribute-sub-type")) '\(other)' is not supported for scalar (expected string or number)"
            )
        case ("document", "dynamodb-map"?), ("document", nil):
            guard let document = fields.value("value"), case .object(let object) = document,
                object.fields.first?.name == "M"
            else {
                throw fields.failure(
                    "\(fields.label("value")) of a document must be a DynamoDB JSON map ({\"M\": {…}})")
            }
            let path = "\(fields.path)value"
            value = .document(
                try parsed { () throws(TemplateSyntaxError) in try DocumentTemplate(parsing: document, path: path) })
        case ("document", let other?):
            throw fields.failure(
                "\(fields.label("attribute-sub-type")) '\(other)' is not supported for document (expected dynamodb-map)"
            )
        default:
            throw fields.failure(
                "\(fields.label("attribute-type")) '\(type)' is not supported (expected scalar or document)")
        }
    }

    private static func templateText(_ fields: RuleFields) throws(TableMappingsError) -> String {
        guard case .string(let text)? = fields.value("value") else {
            throw fields.failure("\(fields.label("value")) of a scalar must be a template string")
        }
        return text
    }
}
