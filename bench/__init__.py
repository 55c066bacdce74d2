"""Benchmark harness for idplane: named workloads driven over HTTP by several client processes.

See docs/benchmarks.md. Workloads live in `bench/workloads/<service>.py`.
"""
