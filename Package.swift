// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ferry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ferry", targets: ["Ferry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // C libraries from Debian's libpq-dev and librdkafka-dev.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),

        // Bindings and the change-record contract shared by every part.
        .target(
            name: "Shared",
            dependencies: [
                "CLibPQ", "CRdKafka",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // PostgreSQL → Kafka: snapshot, pgoutput decoding, record production.
        .target(
            name: "Capture",
            dependencies: [
                "Shared", "AWS",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Talking to AWS: SigV4 signing, the credential provider chain (STS included), the HTTP transport.
        .target(
            name: "AWS",
            dependencies: [
                "Shared",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Kafka → DynamoDB: mapping, DynamoDB client, idempotent writes.
        .target(
            name: "Apply",
            dependencies: [
                "Shared", "AWS",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Operator tools (`ferry tail`, `replay`, `status`, `validate`): the pipeline for people and scripts.
        .target(
            name: "Tools",
            dependencies: [
                "Shared", "AWS", "Capture", "Apply",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "Ferry",
            dependencies: [
                "Shared", "AWS", "Capture", "Apply", "Tools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Benchmarks (run by bench/*.sh in release mode), not part of the product.
        .executableTarget(
            name: "FerryBench",
            dependencies: ["Shared", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "bench/Sources/FerryBench"
        ),

        .testTarget(name: "SharedTests", dependencies: ["Shared"]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture"]),
        .testTarget(name: "ApplyTests", dependencies: ["Apply", "AWS"]),
        .testTarget(name: "ToolsTests", dependencies: ["Tools", "Apply", "Capture", "Shared"]),
        // Against the local stack (scripts/stack.sh): real PostgreSQL, Kafka-protocol broker and DynamoDB endpoint.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Shared", "AWS", "Capture", "Apply",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
