"""Generates TPC-H data with DuckDB's tpch extension (dbgen) and writes one CSV file per table.

    generate.py SCALE OUTDIR

Runs in the virtual environment bench/index-quality prepares: duckdb and duckdb-extension-tpch
from PyPI, of the same version. The extension is loaded from the wheel's file, so nothing is
downloaded; DuckDB checks its signature as for any extension.
"""
import glob
import os
import sys

import duckdb
import duckdb_extension_tpch

TABLES = ["region", "nation", "part", "supplier", "partsupp", "customer", "orders", "lineitem"]


def main():
    scale, out = float(sys.argv[1]), sys.argv[2]
    root = os.path.dirname(duckdb_extension_tpch.__file__)
    found = glob.glob(os.path.join(root, "extensions", f"v{duckdb.__version__}", "tpch.duckdb_extension"))
    if not found:
        sys.exit(f"generate.py: duckdb-extension-tpch has no build for DuckDB {duckdb.__version__}")
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"LOAD '{found[0]}'")
    con.execute("CALL dbgen(sf = ?)", [scale])
    for table in TABLES:
        path = os.path.join(out, f"{table}.csv")
        con.execute(f"COPY {table} TO '{path}' (FORMAT csv, HEADER false)")


if __name__ == "__main__":
    main()
