import Model

/// The wait-for graph of one snapshot's lock waits, as trees under their root blockers.
///
/// An edge runs from each waiting session to each pid `pg_blocking_pids()` named for it (hard
/// blocks: a conflicting lock is held; soft blocks: a conflicting request is queued ahead).
/// Parallel workers are folded into their leader, on both ends of an edge, because they share
/// the leader's transaction and `pg_blocking_pids()` already reports blockers that way. A root
/// is a blocker that is not itself waiting; pid 0 stands for a prepared transaction and is
/// always a root. Every session waiting on a root, directly or through other waiters, belongs
/// to its tree; a session waiting on two roots appears in both trees.
///
/// Waiters that no root reaches wait in a cycle (which the deadlock detector normally breaks
/// within `deadlock_timeout`) or behind one: each such cycle becomes a tree rooted at its
/// lowest pid, marked `isCycle`. Building the graph always terminates.
public struct BlockingGraph: Sendable {
    /// A session waiting, directly or transitively, on a tree's root.
    public struct Waiter: Equatable, Sendable {
        public var pid: Int32
        /// 1 for a session waiting on the root itself, 2 for one waiting on such a session, ...
        public var depth: Int
        /// The sessions it waits for (leaders for parallel workers), ascending.
        public var blockedBy: [Int32]
        /// Its waiting lock requests (a leader's list includes its workers' requests).
        public var locks: [LockWait]
        /// How long it has waited, in seconds; nil when neither the wait start nor the
        /// session's last state change is known.
        public var waitSeconds: Double?
        /// True when `waitSeconds` comes from `state_change` (no `pg_locks.waitstart`, PG < 14).
        public var waitIsApproximate: Bool

        public init(
            pid: Int32, depth: Int, blockedBy: [Int32], locks: [LockWait], waitSeconds: Double?,
            waitIsApproximate: Bool
        ) {
            self.pid = pid
            self.depth = depth
            self.blockedBy = blockedBy
            self.locks = locks
            self.waitSeconds = waitSeconds
            self.waitIsApproximate = waitIsApproximate
        }
    }

    /// A root blocker and every session waiting on it.
    public struct Tree: Equatable, Sendable {
        public var root: Int32
        /// Breadth first: by depth, then by pid.
        public var waiters: [Waiter]
        /// The root is part of a wait cycle (it waits too); `cycle` lists the cycle's pids.
        public var isCycle: Bool
        public var cycle: [Int32]

        public var blockedPids: [Int32] { waiters.map(\.pid) }
        public var depth: Int { waiters.map(\.depth).max() ?? 0 }
        /// The sessions waiting on the root itself.
        public var directWaiters: [Waiter] { waiters.filter { $0.blockedBy.contains(root) } }
        public var longestWaitSeconds: Double? { waiters.compactMap(\.waitSeconds).max() }
        public var isPreparedTransaction: Bool { root == 0 }
    }

    public let trees: [Tree]

    /// Builds the graph of `lockWaits` at the moment `now`; `sessions` give parallel workers'
    /// leaders and, for waits without `waitstart`, the time of the waiter's last state change.
    public init(lockWaits: [LockWait], sessions: [SessionInfo], at now: Timestamp) {
        var leaderOf: [Int32: Int32] = [:]
        var stateChange: [Int32: Timestamp] = [:]
        for session in sessions {
            if let leader = session.leaderPid, leader != session.pid, leader != 0 { leaderOf[session.pid] = leader }
            if let change = session.stateChange, stateChange[session.pid] == nil { stateChange[session.pid] = change }
        }
        func canonical(_ pid: Int32) -> Int32 { leaderOf[pid] ?? pid }

        // Edges waiter → blockers, and each waiter's requests.
        var waitsFor: [Int32: [Int32]] = [:]
        var locksOf: [Int32: [LockWait]] = [:]
        var waitingWorkers: [Int32: [Int32]] = [:]
        for wait in lockWaits {
            let pid = canonical(wait.pid)
            let blockers = wait.blockingPids.map(canonical).filter { $0 != pid }
            guard !blockers.isEmpty else { continue }  // granted between the two reads, or only its own workers
            var known = Set(waitsFor[pid] ?? [])
            for blocker in blockers where known.insert(blocker).inserted { waitsFor[pid, default: []].append(blocker) }
            locksOf[pid, default: []].append(wait)
            if wait.pid != pid { waitingWorkers[pid, default: []].append(wait.pid) }
        }
        for (pid, blockers) in waitsFor { waitsFor[pid] = blockers.sorted() }
        var blockedBy: [Int32: [Int32]] = [:]
        for (waiter, blockers) in waitsFor {
            for blocker in blockers { blockedBy[blocker, default: []].append(waiter) }
        }
        for (blocker, waiters) in blockedBy { blockedBy[blocker] = waiters.sorted() }

        func waiter(_ pid: Int32, depth: Int) -> Waiter {
            let locks = locksOf[pid] ?? []
            if let start = locks.compactMap(\.waitStart).min() {
                return Waiter(pid: pid, depth: depth, blockedBy: waitsFor[pid] ?? [], locks: locks,
                              waitSeconds: max(0, start.seconds(until: now)), waitIsApproximate: false)
            }
            // Without waitstart, the waiter's (or a waiting worker's) last state change bounds the wait.
            let changes = ([pid] + (waitingWorkers[pid] ?? [])).compactMap { stateChange[$0] }
            return Waiter(pid: pid, depth: depth, blockedBy: waitsFor[pid] ?? [], locks: locks,
                          waitSeconds: changes.max().map { max(0, $0.seconds(until: now)) },
                          waitIsApproximate: !changes.isEmpty)
        }

        /// Everyone waiting on `root`, breadth first; never visits a pid twice.
        func tree(from root: Int32) -> [Waiter] {
            var visited: Set<Int32> = [root]
            var queue: [(pid: Int32, depth: Int)] = [(root, 0)]
            var result: [Waiter] = []
            var index = 0
            while index < queue.count {
                let (pid, depth) = queue[index]
                index += 1
                for next in blockedBy[pid] ?? [] where visited.insert(next).inserted {
                    result.append(waiter(next, depth: depth + 1))
                    queue.append((next, depth + 1))
                }
            }
            return result.sorted { ($0.depth, $0.pid) < ($1.depth, $1.pid) }
        }

        var trees: [Tree] = []
        var reached: Set<Int32> = []
        let roots = Set(blockedBy.keys.filter { waitsFor[$0] == nil }).sorted()
        for root in roots {
            let waiters = tree(from: root)
            reached.formUnion(waiters.map(\.pid))
            trees.append(Tree(root: root, waiters: waiters, isCycle: false, cycle: []))
        }

        // Waiters no root reaches wait only on other unreached waiters: follow their first
        // unreached blocker until a pid repeats; that loop is a cycle.
        var unreached = waitsFor.keys.filter { !reached.contains($0) }.sorted()
        while let start = unreached.first {
            var path: [Int32] = []
            var position: [Int32: Int] = [:]
            var current = start
            while position[current] == nil {
                position[current] = path.count
                path.append(current)
                guard let next = waitsFor[current]?.first(where: { !reached.contains($0) }) else { break }
                current = next
            }
            let cycle = position[current].map { Array(path[$0...]) } ?? [start]
            let root = cycle.min() ?? start
            let waiters = tree(from: root)
            reached.insert(root)
            reached.formUnion(waiters.map(\.pid))
            trees.append(Tree(root: root, waiters: waiters, isCycle: true, cycle: cycle.sorted()))
            unreached.removeAll { reached.contains($0) }
        }
        self.trees = trees
    }

    /// The tree whose root is `pid`, nil when `pid` blocks nobody (or is not a root).
    public func tree(rootedAt pid: Int32) -> Tree? {
        trees.first { $0.root == pid }
    }
}
