import ArgumentParser
import Foundation
import Shared

/// `--input-format` (or `FERRY_INPUT_FORMAT`): what the table topics hold. One option for apply, tail, validate and
/// replay, so a pipeline's commands read its topics alike.
struct InputFormatOptions: ParsableArguments {
    static let variable = "FERRY_INPUT_FORMAT"

    @Option(
        help: ArgumentHelp(
            """
            ferry: Ferry's change records; debezium: a Debezium PostgreSQL connector's records (Kafka Connect \
            JsonConverter, with or without schemas), on its <topic.prefix>.<schema>.<table> topics (or \
            FERRY_INPUT_FORMAT; default ferry).
            """, valueName: "format"))
    var inputFormat: InputFormat?

    /// The flag, else the environment variable, else Ferry's own format.
    func resolved() throws -> InputFormat {
        if let inputFormat { return inputFormat }
        guard let text = ProcessInfo.processInfo.environment[Self.variable], !text.isEmpty else { return .ferry }
        guard let format = InputFormat(rawValue: text) else {
            throw ValidationError(
                "\(Self.variable)=\(text): expected one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return format
    }
}

extension InputFormat: ExpressibleByArgument {}
