/// What a collection reads beyond the catalogs and statistics views.
public struct CollectorOptions: Sendable, Equatable {
    /// Measure free and dead space of the largest tables with `pgstattuple_approx`.
    public var exactBloat: Bool

    public init(exactBloat: Bool = false) {
        self.exactBloat = exactBloat
    }
}
