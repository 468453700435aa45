"""Earlier versions of our own code, measured as baselines in the same run as the current one.

They are exported from git at run time, never kept as copies in the tree: ``engine_v1`` is the
matching engine 1.1.0 (``matchmaking/engine`` at ``ENGINE_V1_COMMIT``), importable as the
package ``bench.baselines.engine_v1``.
"""
