import AWS
import Foundation

/// Where and how the client talks to DynamoDB.
public struct DynamoDBClientConfiguration: Sendable {
    public var region: String
    public var endpoint: AWSEndpoint
    public var retryPolicy: RetryPolicy
    /// The time one attempt may take, response body included.
    public var requestTimeout: Duration
    public var http: AsyncHTTPClientTransport.Configuration
    /// How fast writes may spend each table's write capacity (default: no limit).
    public var writeCapacity = WriteCapacityPolicy.unlimited

    public init(
        region: String,
        endpoint: AWSEndpoint? = nil,
        retryPolicy: RetryPolicy = RetryPolicy(),
        requestTimeout: Duration = .seconds(30),
        http: AsyncHTTPClientTransport.Configuration = .init()
    ) throws(DynamoDBConfigurationError) {
        self.region = region
        if let endpoint {
            self.endpoint = endpoint
        } else {
            do {
                self.endpoint = try AWSEndpoint.regional(service: "dynamodb", region: region)
            } catch {
                throw .invalidEndpoint(error.url)
            }
        }
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
        self.http = http
    }

    /// The standard AWS settings: region from `AWS_REGION`, `AWS_DEFAULT_REGION` or the active profile's `region`
    /// in the config file; endpoint from `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL`, or the region's.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> DynamoDBClientConfiguration {
        guard let region = try AWSServiceSettings.region(environment) else {
            throw DynamoDBConfigurationError.missingRegion(profile: try AWSSharedConfig(environment: environment).profileName)
        }
        let endpoint: AWSEndpoint
        do {
            endpoint = try AWSServiceSettings.endpoint(
                endpointPrefix: "dynamodb", variableSuffix: "DYNAMODB", region: region, environment: environment)
        } catch {
            throw DynamoDBConfigurationError.invalidEndpoint(error.url)
        }
        return try DynamoDBClientConfiguration(region: region, endpoint: endpoint)
    }
}
