import AsyncHTTPClient
import NIOCore
import Shared

/// Asks each service's `/status` endpoint, all at once, each with a short timeout: an unreachable service is
/// part of the answer, not an error.
public enum StatusFetcher {
    public static func fetch(
        _ endpoints: [(role: ServiceStatus.Role, url: String)], timeout: TimeAmount = .seconds(3)
    ) async -> [ServiceStatus] {
        await withTaskGroup(of: (Int, ServiceStatus).self) { group in
            for (index, endpoint) in endpoints.enumerated() {
                group.addTask {
                    (index, ServiceStatus(role: endpoint.role, url: endpoint.url, answer: await answer(endpoint.url, timeout)))
                }
            }
            var statuses: [(Int, ServiceStatus)] = []
            for await status in group { statuses.append(status) }
            return statuses.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    private static func answer(_ url: String, _ timeout: TimeAmount) async -> ServiceStatus.Answer {
        let base = url.hasPrefix("http://") || url.hasPrefix("https://") ? url : "http://\(url)"
        let request = HTTPClientRequest(url: (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/status")
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
            // /status answers 200 when healthy and 503 with the same document when not.
            guard case .object(let document) = try JSONParser.parse(Array(body.readableBytesView)) else {
                return .unreachable(reason: "HTTP \(response.status.code): not a status document")
            }
            return .document(document)
        } catch {
            return .unreachable(reason: "\(error)")
        }
    }
}
