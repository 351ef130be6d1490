import Foundation
import Testing
import TestSupport

/// Under plain `swift test` the server tests show as skipped and the run passes; in CI
/// (`CI=true`) a missing server must fail the run instead of passing it unseen.
struct TestServerPresenceTests {
    @Test(arguments: [TestServer.Cluster.shared, .isolated, .version18])
    func serversArePresentInCI(_ cluster: TestServer.Cluster) {
        guard ProcessInfo.processInfo.environment["CI"] == "true" else { return }
        #expect(TestServer.isAvailable(cluster), "CI=true but no \(cluster) test server: run the tests with scripts/test")
    }
}
