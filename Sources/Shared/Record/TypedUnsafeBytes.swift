// The standard library's `withUnsafeBytes` and `withUTF8` rethrow `any Error`; these keep a typed error,
// so the byte-level decoders can offer `[UInt8]` and `String` conveniences with typed throws.

extension Array where Element == UInt8 {
    func withUnsafeBytesTyped<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withUnsafeBytes { buffer in Swift.Result { () throws(Failure) in try body(buffer) } }.get()
    }
}

extension String {
    func withUTF8Typed<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var text = self
        return try text.withUTF8 { utf8 in
            Swift.Result { () throws(Failure) in try body(UnsafeRawBufferPointer(utf8)) }
        }.get()
    }
}

extension Optional where Wrapped == [UInt8] {
    /// The bytes of the array, or nil when there is none (a message without a key or value).
    func withUnsafeBytesTyped<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer?) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        guard let bytes = self else { return try body(nil) }
        return try bytes.withUnsafeBytesTyped { buffer throws(Failure) in try body(buffer) }
    }
}
