import NIOHTTP1
import Prometheus

/// One complete answer of the operations endpoint: always small, so it is built in memory and sent with a
/// Content-Length rather than chunked.
struct OperationsResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: [UInt8]

    static func json(_ value: JSONValue, status: HTTPResponseStatus = .ok) -> OperationsResponse {
        OperationsResponse(status: status, headers: ["Content-Type": "application/json"], body: value.jsonBytes)
    }

    /// 503 when unhealthy, which is what Kubernetes probes and load balancers act on.
    static func health(_ state: HealthState) -> OperationsResponse {
        json(state.json, status: state.isHealthy ? .ok : .serviceUnavailable)
    }

    /// The Prometheus text exposition format, version 0.0.4.
    static func metrics(_ registry: PrometheusCollectorRegistry) -> OperationsResponse {
        var body: [UInt8] = []
        registry.emit(into: &body)
        return OperationsResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4"], body: body)
    }

    static let notFound = json(["error": "not found"], status: .notFound)

    static let methodNotAllowed: OperationsResponse = {
        var response = json(["error": "method not allowed"], status: .methodNotAllowed)
        response.headers.add(name: "Allow", value: "GET")  // required on 405 (RFC 9110 §15.5.6)
        return response
    }()
}
