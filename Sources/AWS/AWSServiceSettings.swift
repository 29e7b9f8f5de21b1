/// Where an AWS service is, as the SDKs configure it from the environment: the region from `AWS_REGION`,
/// `AWS_DEFAULT_REGION` or the active profile's `region`; the endpoint from `AWS_ENDPOINT_URL_<SERVICE>`,
/// `AWS_ENDPOINT_URL`, else the region's public one.
public enum AWSServiceSettings {
    /// The configured region, or nil when neither the environment nor the profile names one.
    public static func region(_ environment: [String: String]) throws(AWSCredentialsError) -> String? {
        if let region = variable("AWS_REGION", environment) ?? variable("AWS_DEFAULT_REGION", environment) {
            return region
        }
        return try AWSSharedConfig(environment: environment).value("region")
    }

    /// - Parameters:
    ///   - endpointPrefix: the service's host name prefix, e.g. `secretsmanager`.
    ///   - variableSuffix: the service's part of `AWS_ENDPOINT_URL_<SUFFIX>`, e.g. `SECRETS_MANAGER`.
    public static func endpoint(
        endpointPrefix: String, variableSuffix: String, region: String, environment: [String: String]
    ) throws(AWSEndpointError) -> AWSEndpoint {
        if let url = variable("AWS_ENDPOINT_URL_\(variableSuffix)", environment) ?? variable("AWS_ENDPOINT_URL", environment) {
            return try AWSEndpoint(url: url)
        }
        return try AWSEndpoint.regional(service: endpointPrefix, region: region)
    }

    private static func variable(_ name: String, _ environment: [String: String]) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
