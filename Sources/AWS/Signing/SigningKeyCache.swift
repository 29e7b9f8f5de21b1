import Crypto
import Synchronization

/// The last derived SigV4 signing key: four HMACs a request spared, since the key only changes with the day, the
/// credentials, region or service.
package final class SigningKeyCache: Sendable {
    struct Scope: Equatable, Sendable {
        var secretAccessKey: String
        var dateStamp: String
        var region: String
        var service: String
    }

    /// The key's bytes (`SymmetricKey` is not `Sendable`).
    package init() {}

    private let last = Mutex<(scope: Scope, key: [UInt8])?>(nil)

    /// The key for `scope`, derived by `derive` when it is not the one kept.
    func key(for scope: Scope, derive: () -> SymmetricKey) -> SymmetricKey {
        if let kept = last.withLock({ $0 }), kept.scope == scope { return SymmetricKey(data: kept.key) }
        let key = derive()
        let bytes = key.withUnsafeBytes { Array($0) }
        last.withLock { $0 = (scope, bytes) }
        return key
    }
}
