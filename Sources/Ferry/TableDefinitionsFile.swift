import Apply
import ArgumentParser
import Foundation

/// Reads and checks a `--table-definitions` file; a bad definition fails naming its table and field.
func loadTableDefinitions(at path: String) throws -> TableDefinitions {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read the table definitions at \(path)")
    }
    do {
        return try TableDefinitions.parse(Array(data))
    } catch {
        throw ValidationError("\(path): \(error)")
    }
}
