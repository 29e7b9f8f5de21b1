/// The client cannot be set up from the configuration it was given.
public enum DynamoDBConfigurationError: Error, Hashable, CustomStringConvertible {
    case invalidEndpoint(String)
    case missingRegion(profile: String)

    public var description: String {
        switch self {
        case .invalidEndpoint(let url):
            "invalid DynamoDB endpoint URL '\(url)': expected http(s)://host[:port]"
        case .missingRegion(let profile):
            "no AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION), or 'region' in profile '\(profile)' "
                + "of the AWS config file"
        }
    }
}
