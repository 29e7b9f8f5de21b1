/// Ferry's version, written into every record's `source.version`.
public enum FerryVersion {
    public static let current = "0.1.0"
}
