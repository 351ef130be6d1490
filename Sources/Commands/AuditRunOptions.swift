import ArgumentParser

/// `audit`'s options for nightly jobs: saving runs, and auditing a fleet.
struct AuditRunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Also keep this run in DIR/<UTC time>/ (snapshot.json and audit.json; for a fleet DIR/<target>/<UTC time>/), for 'pgadvisor diff'.",
        valueName: "dir"))
    var save: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --save: keep only the newest N runs (of each target), removing older run folders (nothing else).",
        valueName: "n"))
    var keep: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Audit every database this file lists: one connection string or service name a line ('#' comments), or a .toml file of [[targets]].",
        valueName: "file"))
    var targets: String?

    @Flag(name: .long, help: "Audit every [[targets]] entry of the configuration file (./pgadvisor.toml or --config).")
    var fleet = false

    @Option(name: .long, help: ArgumentHelp("For a fleet: how many databases to audit at a time (default 4).", valueName: "n"))
    var jobs: Int?

    var isFleet: Bool { fleet || targets != nil }

    func validate(conninfo: String?, from: String?) throws {
        if fleet && targets != nil { throw ValidationError("give either --targets FILE or --fleet, not both") }
        if isFleet && (conninfo != nil || from != nil) {
            throw ValidationError("a fleet audit takes its databases from \(fleet ? "--fleet" : "--targets"): drop the connection string or --from")
        }
        if jobs != nil && !isFleet { throw ValidationError("--jobs is for fleets: add --targets FILE or --fleet") }
        if let jobs, !(1...64).contains(jobs) { throw ValidationError("--jobs must be from 1 to 64, not \(jobs)") }
        if keep != nil && save == nil { throw ValidationError("--keep prunes the runs --save keeps: add --save DIR") }
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1, not \(keep)") }
        if let save, save.isEmpty { throw ValidationError("--save takes a folder") }
    }
}
