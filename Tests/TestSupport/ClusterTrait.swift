import Testing

/// Runs a suite's tests against another of scripts/test's clusters (see ``TestServer/Cluster``).
public struct ClusterTrait: SuiteTrait, TestTrait, TestScoping {
    public var cluster: TestServer.Cluster
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await TestServer.$cluster.withValue(cluster) { try await function() }
    }
}

extension Trait where Self == ClusterTrait {
    /// The cluster for tests that change the cluster as a whole.
    public static var isolatedCluster: ClusterTrait { ClusterTrait(cluster: .isolated) }
}
