// swift-tools-version:6.0
import PackageDescription

// Module graph (see README "Layout"):
//   pgadvisor ─► Commands ─► Core ─► Model
//                   │          ├──► QueryParser ─► CPGQuery (libpg_query)
//                   │          └──► Planner
//                   ├─► Planner ─► Model
//                   └─► Connector ─► CLibPQ (libpq), Model, Planner
// Core must never depend on Connector: rules see snapshots, not connections. Every SQL statement
// pgadvisor suggests is rendered by Planner, so Core and Connector use it for the fixes they name.
let package = Package(
    name: "pgadvisor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pgadvisor", targets: ["pgadvisor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .systemLibrary(
            name: "CPGQuery",
            providers: [.apt(["libpg-query-dev"])]
        ),
        .target(name: "Model"),
        .target(name: "QueryParser", dependencies: ["CPGQuery"]),
        .target(name: "Connector", dependencies: ["CLibPQ", "Model", "Planner"]),
        .target(name: "Core", dependencies: ["Model", "QueryParser", "Planner"]),
        .target(name: "Planner", dependencies: ["Model"]),
        .target(
            name: "Commands",
            dependencies: [
                "Core", "Planner", "Connector", "Model",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(name: "pgadvisor", dependencies: ["Commands"]),
        // Shared by the integration tests: the throwaway server started by scripts/test.
        .target(name: "TestSupport", dependencies: ["Connector"], path: "Tests/TestSupport"),
        .testTarget(name: "ModelTests", dependencies: ["Model"]),
        .testTarget(name: "QueryParserTests", dependencies: ["QueryParser"]),
        .testTarget(name: "CoreTests", dependencies: ["Core", "Model"]),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "Model", "QueryParser", "Core"]),
        .testTarget(name: "ConnectorTests", dependencies: ["Connector", "Model", "TestSupport"]),
        .testTarget(
            name: "CommandsTests",
            dependencies: ["Commands", "Core", "Connector", "Model", "QueryParser", "TestSupport"],
            // Host fixture trees (proc/, sys/fs/cgroup/), read through #filePath.
            exclude: ["Fixtures"]
        ),
    ]
)
