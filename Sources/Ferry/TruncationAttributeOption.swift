import ArgumentParser

/// `--truncation-attribute`: the item attribute in which apply names the values limited LOB mode cut, and in
/// which validate looks for them; the two commands must be given the same.
struct TruncationAttributeOption: ParsableArguments {
    @Option(
        help: """
            Item attribute (a string set) naming the attributes whose values limited LOB mode cut; none: no such \
            attribute. Give apply and validate the same.
            """)
    var truncationAttribute: String = "_ferry_truncated"

    /// The attribute, or nil for `none`.
    var name: String? {
        truncationAttribute == "none" ? nil : truncationAttribute
    }
}
