/// Why an `--http` value is not a `HOST:PORT` address; each case carries the text as given.
public enum HTTPAddressError: Error, Hashable, CustomStringConvertible {
    case missingPort(String)
    case invalidPort(String, in: String)
    case missingHost(String)
    case unbracketedIPv6(String)
    case unclosedBracket(String)
    case unexpectedTextAfterBracket(String)

    public var description: String {
        switch self {
        case .missingPort(let text):
            "'\(text)' has no port: expected HOST:PORT, :PORT or [IPv6]:PORT"
        case .invalidPort(let port, let text):
            "'\(port)' in '\(text)' is not a port: expected a number from 0 to 65535"
        case .missingHost(let text):
            "'\(text)' has empty brackets: expected [IPv6]:PORT, or :PORT for every interface"
        case .unbracketedIPv6(let text):
            "'\(text)' is ambiguous: write an IPv6 address in brackets, e.g. [::1]:9090"
        case .unclosedBracket(let text):
            "'\(text)' opens '[' without closing it: expected [IPv6]:PORT"
        case .unexpectedTextAfterBracket(let text):
            "'\(text)' must have ':PORT' right after ']': expected [IPv6]:PORT"
        }
    }
}
