import Apply
import ArgumentParser
import Foundation

/// Reads and checks a DMS table-mappings.json (`--table-mappings` / `FERRY_TABLE_MAPPINGS`); an invalid rule fails
/// naming its rule-id.
func loadTableMappings(at path: String) throws -> TableMappings {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read the table mappings at \(path)")
    }
    return try TableMappings.parse(Array(data))
}
