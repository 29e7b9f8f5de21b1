import Apply
import ArgumentParser
import Foundation
import Logging

/// Reads and checks a DMS table-mappings.json (`--table-mappings` / `FERRY_TABLE_MAPPINGS`); an invalid rule fails
/// naming its rule-id, and a key its rule does not define is logged as a warning.
func loadTableMappings(at path: String, logger: Logger) throws -> TableMappings {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read the table mappings at \(path)")
    }
    let mappings = try TableMappings.parse(Array(data))
    for warning in mappings.warnings {
        logger.warning("table mappings: \(warning)", metadata: ["path": "\(path)"])
    }
    return mappings
}
