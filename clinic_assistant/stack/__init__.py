"""Starting the assistant's processes: one launcher for `make run`, the cluster, the tests and the
benchmarks (processes.py: start and watch a process; assistant.py: the embedded stack;
postgres_server.py, redis_server.py, nginx.py and cluster.py: several replicas)."""
