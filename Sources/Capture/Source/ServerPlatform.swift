/// Where the source database runs, as far as the fix for a setting depends on it: Amazon RDS and Aurora refuse
/// `ALTER SYSTEM` and take settings from parameter groups instead.
public enum ServerPlatform: Sendable, Equatable {
    case selfManaged
    case amazonRDS
}
