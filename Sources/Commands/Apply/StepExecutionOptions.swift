import ArgumentParser

/// How apply and rollback run each statement: the lock_timeout and the retries.
struct StepExecutionOptions: ParsableArguments {
    @Option(name: .customLong("step-lock-timeout"), help: ArgumentHelp(
        "lock_timeout for each statement of a step (ms, s, min); a concurrent index build's waits for older transactions count too.",
        valueName: "duration"))
    var stepLockTimeout: String = "5s"

    @Option(name: .customLong("lock-retries"), help: ArgumentHelp(
        "Retries of a statement that timed out on a lock or hit a deadlock (backoff 1 s, 2 s, 4 s, ...).", valueName: "n"))
    var lockRetries: Int = 3

    func validate() throws {
        _ = try ConnectionOptionGroup.milliseconds(stepLockTimeout, option: "--step-lock-timeout")
        guard (0...20).contains(lockRetries) else { throw ValidationError("--lock-retries takes 0 to 20") }
    }

    func runner(_ session: ApplySession) throws -> StepRunner {
        StepRunner(session: session, lockTimeoutMs: try ConnectionOptionGroup.milliseconds(stepLockTimeout, option: "--step-lock-timeout"),
                   lockRetries: lockRetries)
    }
}
