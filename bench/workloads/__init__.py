"""One module per service; each registers its workloads with `bench.registry.workload`.
The driver imports every module here, so adding a file is all it takes."""
