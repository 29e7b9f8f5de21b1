/// Splits both libpq connection-string forms into their settings and a redacted copy.
enum ConnectionStringParser {
    struct Parsed {
        var values: [String: String] = [:]
        var redacted: String
    }

    /// Either form: a URL when the text starts with `postgresql://` or `postgres://`, else `key=value` pairs.
    static func parse(_ text: String) -> Parsed {
        isURL(text) ? url(text) : keywords(text)
    }

    static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// Takes the query parameter `name` out of a URL and returns its (decoded) value; nil, and `text` unchanged,
    /// when `text` is not a URL or has no such parameter.
    static func removingURLParameter(_ name: String, from text: inout String) -> String? {
        guard isURL(text), let questionMark = text.firstIndex(of: "?") else { return nil }
        var value: String?
        let kept = text[text.index(after: questionMark)...].split(separator: "&", omittingEmptySubsequences: false)
            .filter { parameter in
                let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard percentDecoded(pair[0]) == name else { return true }
                value = pair.count > 1 ? percentDecoded(pair[1]) : ""
                return false
            }
        guard value != nil else { return nil }
        text = String(text[..<questionMark]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        return value
    }

    /// `postgresql://[user[:password]@][host[:port][,...]][/dbname][?key=value&...]`.
    static func url(_ url: String) -> Parsed {
        guard let schemeEnd = url.range(of: "://") else { return Parsed(redacted: url) }
        let scheme = url[..<schemeEnd.upperBound]
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var tail = rest[authorityEnd...]
        var parsed = Parsed(redacted: "")

        var userInfo = ""
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            if let colon = credentials.firstIndex(of: ":") {
                parsed.values["user"] = percentDecoded(credentials[..<colon])
                parsed.values["password"] = percentDecoded(credentials[credentials.index(after: colon)...])
                userInfo = "\(credentials[..<colon]):***@"
            } else {
                parsed.values["user"] = percentDecoded(credentials)
                userInfo = "\(credentials)@"
            }
            authority = authority[authority.index(after: at)...]
        }
        // The first host of a multi-host list names the server in messages.
        let firstHost = authority.split(separator: ",", omittingEmptySubsequences: false).first ?? ""
        let (host, port) = splitHostAndPort(firstHost)
        if !host.isEmpty { parsed.values["host"] = percentDecoded(host) }
        if let port, !port.isEmpty { parsed.values["port"] = String(port) }

        var query = ""
        if let questionMark = tail.firstIndex(of: "?") {
            query = String(tail[tail.index(after: questionMark)...])
            tail = tail[..<questionMark]
        }
        if tail.count > 1 { parsed.values["dbname"] = percentDecoded(tail.dropFirst()) }
        var redactedParameters: [String] = []
        for parameter in query.split(separator: "&", omittingEmptySubsequences: false) {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = percentDecoded(pair[0])
            let value = pair.count > 1 ? percentDecoded(pair[1]) : ""
            parsed.values[key] = value
            redactedParameters.append(key == "password" ? "\(pair[0])=***" : String(parameter))
        }
        parsed.redacted = "\(scheme)\(userInfo)\(authority)\(tail)"
        if !query.isEmpty { parsed.redacted += "?" + redactedParameters.joined(separator: "&") }
        return parsed
    }

    /// `key=value key='quoted \' value' ...`; the password's value is replaced in place.
    static func keywords(_ text: String) -> Parsed {
        var parsed = Parsed(redacted: text)
        var passwordRange: Range<String.Index>?
        var index = text.startIndex
        func skipWhitespace() {
            while index < text.endIndex, text[index].isWhitespace { index = text.index(after: index) }
        }
        while true {
            skipWhitespace()
            guard index < text.endIndex else { break }
            let keyStart = index
            while index < text.endIndex, text[index] != "=", !text[index].isWhitespace { index = text.index(after: index) }
            let key = String(text[keyStart..<index])
            skipWhitespace()
            guard index < text.endIndex, text[index] == "=" else { break }  // malformed: libpq will say so
            index = text.index(after: index)
            skipWhitespace()
            let valueStart = index
            var value = ""
            if index < text.endIndex, text[index] == "'" {
                index = text.index(after: index)
                while index < text.endIndex, text[index] != "'" {
                    if text[index] == "\\", text.index(after: index) < text.endIndex { index = text.index(after: index) }
                    value.append(text[index])
                    index = text.index(after: index)
                }
                if index < text.endIndex { index = text.index(after: index) }
            } else {
                while index < text.endIndex, !text[index].isWhitespace {
                    if text[index] == "\\", text.index(after: index) < text.endIndex { index = text.index(after: index) }
                    value.append(text[index])
                    index = text.index(after: index)
                }
            }
            parsed.values[key] = value
            if key == "password" { passwordRange = valueStart..<index }
        }
        if let passwordRange { parsed.redacted.replaceSubrange(passwordRange, with: "***") }
        return parsed
    }

    /// `host:port`, `[v6::address]:port` or `host`.
    private static func splitHostAndPort(_ text: Substring) -> (Substring, Substring?) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = text[text.index(after: text.startIndex)..<close]
            let afterClose = text[text.index(after: close)...]
            return (host, afterClose.hasPrefix(":") ? afterClose.dropFirst() : nil)
        }
        guard let colon = text.lastIndex(of: ":") else { return (text, nil) }
        return (text[..<colon], text[text.index(after: colon)...])
    }

    /// Decodes `%XX` escapes (as UTF-8); a malformed escape is kept as written.
    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            let escape = utf8.prefix(2)
            if byte == UInt8(ascii: "%"), escape.count == 2, escape.allSatisfy(\.isHexDigitASCII),
                let decoded = UInt8(String(decoding: escape, as: UTF8.self), radix: 16)
            {
                bytes.append(decoded)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension UInt8 {
    fileprivate var isHexDigitASCII: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
