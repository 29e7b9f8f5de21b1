import Testing

@testable import Shared

@Suite("HTTP listen address parsing")
struct HTTPAddressTests {
    @Test(arguments: [
        ("127.0.0.1:9090", "127.0.0.1", 9090),
        ("localhost:8080", "localhost", 8080),
        (":9090", "0.0.0.0", 9090),
        ("[::1]:9090", "::1", 9090),
        ("[::]:0", "::", 0),
        ("0.0.0.0:65535", "0.0.0.0", 65535),
        ("metrics.internal:00080", "metrics.internal", 80),
    ])
    func parsesHostAndPort(text: String, host: String, port: Int) throws {
        let address = try HTTPAddress(parsing: text)
        #expect(address == HTTPAddress(host: host, port: port))
    }

    @Test(arguments: [
        ("localhost", HTTPAddressError.missingPort("localhost")),
        ("localhost:", .missingPort("localhost:")),
        ("", .missingPort("")),
        ("[::1]", .missingPort("[::1]")),
        ("localhost:http", .invalidPort("http", in: "localhost:http")),
        ("localhost:+80", .invalidPort("+80", in: "localhost:+80")),
        ("localhost:65536", .invalidPort("65536", in: "localhost:65536")),
        ("localhost:99999999999999999999", .invalidPort("99999999999999999999", in: "localhost:99999999999999999999")),
        ("::1:9090", .unbracketedIPv6("::1:9090")),
        ("[::1:9090", .unclosedBracket("[::1:9090")),
        ("[::1]9090", .unexpectedTextAfterBracket("[::1]9090")),
        ("[]:9090", .missingHost("[]:9090")),
    ])
    func rejectsMalformedAddresses(text: String, expected: HTTPAddressError) {
        #expect(throws: expected) { try HTTPAddress(parsing: text) }
    }

    @Test func errorsExplainTheExpectedForm() {
        #expect(
            HTTPAddressError.unbracketedIPv6("::1:9090").description
                == "'::1:9090' is ambiguous: write an IPv6 address in brackets, e.g. [::1]:9090")
        #expect(
            HTTPAddressError.invalidPort("http", in: "localhost:http").description
                == "'http' in 'localhost:http' is not a port: expected a number from 0 to 65535")
    }

    @Test(arguments: ["127.0.0.1:9090", "[::1]:9090", "metrics.internal:80"])
    func descriptionRoundTrips(text: String) throws {
        #expect(try HTTPAddress(parsing: text).description == text)
    }
}
