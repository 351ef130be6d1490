import Foundation
import Testing

/// Runs a suite's tests against another of scripts/test's clusters (see ``TestServer/Cluster``).
public struct ClusterTrait: SuiteTrait, TestTrait, TestScoping {
    public var cluster: TestServer.Cluster
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard cluster == .isolated else {
            return try await TestServer.$cluster.withValue(cluster) { try await function() }
        }
        // Tests on the isolated cluster change it as a whole (settings, load, a flood of
        // statements): one at a time, whatever their suite.
        await IsolatedClusterLock.shared.acquire()
        var failure: (any Error)?
        do {
            try await TestServer.$cluster.withValue(cluster) { try await function() }
        } catch {
            failure = error
        }
        await IsolatedClusterLock.shared.release()
        if let failure { throw failure }
    }
}

/// One test at a time on the isolated cluster.
actor IsolatedClusterLock {
    static let shared = IsolatedClusterLock()
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { held = false } else { waiting.removeFirst().resume() }
    }
}

extension Trait where Self == ClusterTrait {
    /// The cluster for tests that change the cluster as a whole.
    public static var isolatedCluster: ClusterTrait { ClusterTrait(cluster: .isolated) }
}

extension TestServer {
    /// Whether `cluster` runs, for a test that needs it: locally a missing one skips the test,
    /// in CI (`CI=true`) it is recorded as a failure.
    public static func required(_ cluster: Cluster) -> Bool {
        if isAvailable(cluster) { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("no \(cluster) test server in CI") }
        return false
    }
}
