import ArgumentParser
import Shared

/// `ferry`: PostgreSQL → Kafka → DynamoDB change data capture. Each service is a subcommand.
@main
struct Ferry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry",
        abstract: "Moves a PostgreSQL database into DynamoDB and keeps it in sync, through Kafka.",
        version: FerryVersion.current,
        subcommands: [
            CaptureCommand.self, ApplyCommand.self, TailCommand.self, ReplayCommand.self, StatusCommand.self,
            ValidateCommand.self, SnapshotCommand.self,
        ]
    )
}
