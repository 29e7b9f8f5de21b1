/// Checks what compose services pass to `ferry` against the command line the binary really has: the subcommand,
/// every flag (and the value of enum options), every `FERRY_*` variable, and that the healthcheck asks the port
/// the service serves `/health` on. Returns one line per problem; none when the file is consistent.
enum ComposeUsageCheck {
    static func problems(in services: [ComposeFerryServices.Service], against ferry: FerryCommandLine) -> [String] {
        services.flatMap { service in problems(in: service, against: ferry).map { "service \(service.name): \($0)" } }
    }

    static func problems(in service: ComposeFerryServices.Service, against ferry: FerryCommandLine) -> [String] {
        guard let subcommandName = service.command.first else { return ["no exec-form command"] }
        guard let subcommand = ferry.subcommands[subcommandName] else {
            return ["'\(subcommandName)' is not a ferry subcommand (ferry has \(ferry.subcommands.keys.sorted()))"]
        }
        var problems = argumentProblems(Array(service.command.dropFirst()), subcommand: subcommand)
        for variable in service.environment.keys.sorted() where variable.hasPrefix("FERRY_") {
            if !subcommand.environmentVariables.contains(variable) {
                problems.append(
                    "ferry \(subcommand.name) does not read \(variable) (it reads \(subcommand.environmentVariables.sorted()))")
            }
        }
        problems += healthcheckProblems(service, subcommand: subcommand)
        return problems
    }

    private static func argumentProblems(_ arguments: [String], subcommand: FerryCommandLine.Subcommand) -> [String] {
        var problems: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard word.hasPrefix("-") else {
                if !subcommand.acceptsPositionals {
                    problems.append("ferry \(subcommand.name) takes no argument '\(word)'")
                }
                continue
            }
            // `--name=value` carries its value; otherwise an option takes the next word.
            let (spelling, attached) = split(word)
            guard let argument = subcommand.argument(spelled: spelling) else {
                problems.append("ferry \(subcommand.name) has no option \(spelling)")
                continue
            }
            guard argument.kind == .option else {
                if attached != nil { problems.append("\(spelling) is a flag and takes no value") }
                continue
            }
            let value: String
            if let attached {
                value = attached
            } else if index < arguments.count {
                value = arguments[index]
                index += 1
            } else {
                problems.append("\(spelling) needs a value")
                continue
            }
            if let allowed = argument.allowedValues, !allowed.contains(value) {
                problems.append("\(spelling) \(value): not one of \(allowed)")
            }
        }
        return problems
    }

    /// Short options are taken whole (`-X` then its value as the next word), as the compose file writes them.
    private static func split(_ word: String) -> (spelling: String, value: String?) {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }

    /// The healthcheck must GET /health on the port given by --http or FERRY_HTTP.
    private static func healthcheckProblems(_ service: ComposeFerryServices.Service, subcommand: FerryCommandLine.Subcommand)
        -> [String]
    {
        let command = Array(service.command.dropFirst())
        let flagged = command.firstIndex(of: "--http").flatMap { $0 + 1 < command.count ? command[$0 + 1] : nil }
            ?? command.first { $0.hasPrefix("--http=") }.map { String($0.dropFirst("--http=".count)) }
        guard let address = flagged ?? service.environment["FERRY_HTTP"] else {
            return service.healthcheck.isEmpty ? [] : ["a healthcheck but no --http / FERRY_HTTP to answer it"]
        }
        guard let port = address.split(separator: ":").last else { return ["unreadable HTTP address \(address)"] }
        let checksHealth = service.healthcheck.contains { $0.contains(":\(port)/health") }
        return checksHealth ? [] : ["the healthcheck \(service.healthcheck) does not GET :\(port)/health"]
    }
}
