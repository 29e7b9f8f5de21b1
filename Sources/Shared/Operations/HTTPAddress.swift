/// Where an operations endpoint listens, parsed from the `--http` option: `HOST:PORT`, `:PORT` (every IPv4
/// interface) or `[IPv6]:PORT`. Port 0 asks the system for an ephemeral port.
public struct HTTPAddress: Sendable, Hashable, CustomStringConvertible {
    /// A host name or IP address, without the brackets an IPv6 address needs in `HOST:PORT` form.
    public var host: String
    public var port: Int

    /// The host `:PORT` binds to. IPv4 rather than `::`, because dual-stack binding fails where IPv6 is disabled.
    public static let allInterfaces = "0.0.0.0"

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws(HTTPAddressError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let closing = text.firstIndex(of: "]") else { throw .unclosedBracket(text) }
            host = text[text.index(after: text.startIndex)..<closing]
            let rest = text[text.index(after: closing)...]
            guard !host.isEmpty else { throw .missingHost(text) }
            guard !rest.isEmpty else { throw .missingPort(text) }
            guard rest.first == ":" else { throw .unexpectedTextAfterBracket(text) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .missingPort(text) }
            host = text[..<colon]
            // `::1:9090` could be read several ways; Go, curl and browsers all insist on brackets, so do we.
            guard !host.contains(":") else { throw .unbracketedIPv6(text) }
            portText = text[text.index(after: colon)...]
        }
        guard !portText.isEmpty else { throw .missingPort(text) }
        // Int(_:) alone would accept "+80"; a port is plain digits.
        guard portText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let port = Int(portText), port <= 65535
        else { throw .invalidPort(String(portText), in: text) }
        self.init(host: host.isEmpty ? Self.allInterfaces : String(host), port: port)
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
