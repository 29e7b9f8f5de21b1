import NIOHTTP1

/// Which answer a request gets, decided from its method and path alone.
enum OperationsRoute: Hashable {
    case health
    case metrics
    case status
    case notFound
    /// A known path asked for with another method than GET.
    case methodNotAllowed

    init(method: HTTPMethod, uri: String) {
        // Scrapers and probes may add a query string; no route takes parameters.
        let path = uri.prefix { $0 != "?" }
        let resource: OperationsRoute
        switch path {
        case "/health": resource = .health
        case "/metrics": resource = .metrics
        case "/status": resource = .status
        default:
            self = .notFound
            return
        }
        self = method == .GET ? resource : .methodNotAllowed
    }
}
