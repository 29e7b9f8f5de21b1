/// Why the operations endpoint could not start.
public enum OperationsServerError: Error, CustomStringConvertible {
    /// Binding failed: the port is taken, the host does not resolve or is not local, or permission was denied.
    case cannotListen(on: HTTPAddress, underlying: any Error)

    public var description: String {
        switch self {
        case .cannotListen(let address, let underlying):
            "cannot listen for HTTP on \(address): \(underlying)"
        }
    }
}
