@testable import Core
import Model
import Testing

@Suite struct BlockingGraphTests {
    static let t = QualifiedName(schema: "public", name: "t")

    static func wait(_ pid: Int32, on blockers: [Int32], mode: String = "AccessShareLock", seconds: Double? = 5)
        -> LockWait
    {
        LockWait(pid: pid, lockType: "relation", mode: mode, relation: t,
                 waitStart: seconds.map { Example.ago(seconds: $0) }, blockingPids: blockers)
    }

    static func graph(_ waits: [LockWait], sessions: [SessionInfo] = []) -> BlockingGraph {
        BlockingGraph(lockWaits: waits, sessions: sessions, at: Example.now)
    }

    @Test func chainHasOneRootAndTwoLevels() throws {
        let graph = Self.graph([Self.wait(200, on: [100]), Self.wait(300, on: [200])])
        #expect(graph.trees.map(\.root) == [100])
        let tree = try #require(graph.tree(rootedAt: 100))
        #expect(tree.blockedPids == [200, 300])
        #expect(tree.waiters.map(\.depth) == [1, 2])
        #expect(tree.depth == 2)
        #expect(tree.directWaiters.map(\.pid) == [200])
        #expect(!tree.isCycle)
        #expect(graph.tree(rootedAt: 200) == nil, "a waiter is never a root")
    }

    @Test func twoIndependentRoots() {
        let graph = Self.graph([Self.wait(201, on: [101]), Self.wait(200, on: [100])])
        #expect(graph.trees.map(\.root) == [100, 101])
        #expect(graph.trees.map(\.blockedPids) == [[200], [201]])
    }

    @Test func sharedWaiterAppearsUnderBothRoots() throws {
        let graph = Self.graph([Self.wait(300, on: [101, 100]), Self.wait(400, on: [300])])
        #expect(graph.trees.map(\.root) == [100, 101])
        for root: Int32 in [100, 101] {
            let tree = try #require(graph.tree(rootedAt: root))
            #expect(tree.blockedPids == [300, 400])
            #expect(tree.waiters.first?.blockedBy == [100, 101])
        }
    }

    @Test func preparedTransactionIsRootZero() throws {
        let graph = Self.graph([Self.wait(200, on: [0]), Self.wait(201, on: [0])])
        let tree = try #require(graph.trees.first)
        #expect(graph.trees.count == 1)
        #expect(tree.root == 0)
        #expect(tree.isPreparedTransaction)
        #expect(tree.blockedPids == [200, 201])
    }

    @Test func parallelWorkersFoldIntoTheirLeader() throws {
        let sessions = [
            SessionInfo(pid: 500, state: "active"),
            SessionInfo(pid: 501, backendType: "parallel worker", state: "active", leaderPid: 500),
            SessionInfo(pid: 502, backendType: "parallel worker", state: "active", leaderPid: 500),
            SessionInfo(pid: 100, state: "idle in transaction"),
        ]
        let graph = Self.graph([
            // A worker of 500 waits on 100; pg_blocking_pids names 500 twice for 600 (leader and worker).
            Self.wait(501, on: [100]),
            Self.wait(600, on: [500, 500, 502]),
            // A worker queued behind its own leader's group is not a wait between sessions.
            Self.wait(502, on: [500]),
        ], sessions: sessions)
        #expect(graph.trees.map(\.root) == [100])
        let tree = try #require(graph.tree(rootedAt: 100))
        #expect(tree.blockedPids == [500, 600])
        #expect(tree.waiters.map(\.depth) == [1, 2])
        #expect(tree.waiters[0].locks.map(\.pid) == [501], "the leader carries its worker's request")
        #expect(tree.waiters[1].blockedBy == [500])
    }

    @Test func cycleIsReportedOnceUnderItsLowestPid() throws {
        let graph = Self.graph([
            Self.wait(701, on: [700]), Self.wait(700, on: [702]), Self.wait(702, on: [701]),
            Self.wait(800, on: [701]),
        ])
        #expect(graph.trees.count == 1)
        let tree = try #require(graph.trees.first)
        #expect(tree.root == 700)
        #expect(tree.isCycle)
        #expect(tree.cycle == [700, 701, 702])
        #expect(Set(tree.blockedPids) == [701, 702, 800])
        #expect(!tree.blockedPids.contains(700), "the root is not its own waiter")
    }

    @Test func cycleBesideARootKeepsBoth() {
        let graph = Self.graph([
            Self.wait(200, on: [100]),
            Self.wait(700, on: [701]), Self.wait(701, on: [700]),
        ])
        #expect(graph.trees.map(\.root) == [100, 700])
        #expect(graph.trees.map(\.isCycle) == [false, true])
        #expect(graph.trees[1].blockedPids == [701])
    }

    @Test func waitsWithoutBlockersAreIgnored() {
        let graph = Self.graph([Self.wait(200, on: []), Self.wait(201, on: [201])])
        #expect(graph.trees.isEmpty)
    }

    @Test func waitTimeComesFromWaitStartElseStateChange() throws {
        let sessions = [
            SessionInfo(pid: 201, state: "active", stateChange: Example.ago(seconds: 40)),
            SessionInfo(pid: 202, state: "active", stateChange: Example.ago(seconds: 40)),
        ]
        let graph = Self.graph([
            Self.wait(201, on: [100], seconds: nil),
            Self.wait(202, on: [100], seconds: 12),
            Self.wait(203, on: [100], seconds: nil),
        ], sessions: sessions)
        let tree = try #require(graph.tree(rootedAt: 100))
        let byPid = Dictionary(uniqueKeysWithValues: tree.waiters.map { ($0.pid, $0) })
        #expect(byPid[201]?.waitSeconds == 40)
        #expect(byPid[201]?.waitIsApproximate == true)
        #expect(byPid[202]?.waitSeconds == 12)
        #expect(byPid[202]?.waitIsApproximate == false)
        #expect(byPid[203]?.waitSeconds == nil)
        #expect(tree.longestWaitSeconds == 40)
    }

    @Test func severalRequestsOfOneSessionMerge() throws {
        let graph = Self.graph([Self.wait(200, on: [100]), Self.wait(200, on: [101, 100], mode: "RowExclusiveLock")])
        #expect(graph.trees.map(\.root) == [100, 101])
        let tree = try #require(graph.tree(rootedAt: 100))
        #expect(tree.waiters.count == 1)
        #expect(tree.waiters[0].blockedBy == [100, 101])
        #expect(tree.waiters[0].locks.map(\.mode) == ["AccessShareLock", "RowExclusiveLock"])
    }

    @Test func largeChainStaysLinear() throws {
        // 2,000 sessions queued one behind the other: one tree, 2,000 levels.
        let waits = (1...2000).map { Self.wait(Int32(1000 + $0), on: [Int32(999 + $0)]) }
        let graph = Self.graph(waits)
        let tree = try #require(graph.trees.first)
        #expect(graph.trees.count == 1)
        #expect(tree.root == 1000)
        #expect(tree.depth == 2000)
    }
}
