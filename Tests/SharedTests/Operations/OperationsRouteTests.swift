import NIOHTTP1
import Testing

@testable import Shared

@Suite("Operations endpoint routing")
struct OperationsRouteTests {
    @Test(arguments: [
        (HTTPMethod.GET, "/health", OperationsRoute.health),
        (.GET, "/metrics", .metrics),
        (.GET, "/metrics?name[]=up", .metrics),
        (.GET, "/status", .status),
        (.GET, "/", .notFound),
        (.GET, "/health/", .notFound),
        (.GET, "/HEALTH", .notFound),
        (.POST, "/health", .methodNotAllowed),
        (.HEAD, "/metrics", .methodNotAllowed),
        (.DELETE, "/status", .methodNotAllowed),
        (.POST, "/elsewhere", .notFound),
    ])
    func routesByMethodAndPath(method: HTTPMethod, uri: String, expected: OperationsRoute) {
        #expect(OperationsRoute(method: method, uri: uri) == expected)
    }
}
