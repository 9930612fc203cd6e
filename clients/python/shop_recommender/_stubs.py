"""The generated protocol-buffer modules, with a clear error when missing.

They are generated from proto/ by the build (never checked in):
`bazel build //clients/python:proto_stubs` puts them under
bazel-bin/clients/python, `clients/python/generate_stubs.sh` beside this
package.
"""

try:
    from shop_recommender._proto import recommender_pb2
    from shop_recommender._proto import recommender_pb2_grpc
    from shop_recommender._proto import snapshot_pb2
except ImportError as error:  # pragma: no cover - depends on the set-up
    raise ImportError(
        "shop_recommender: the generated protocol-buffer modules are missing; "
        "run clients/python/generate_stubs.sh (or `bazel build "
        "//clients/python:proto_stubs` and add bazel-bin/clients/python to "
        "PYTHONPATH), see clients/python/README.md") from error

__all__ = ["recommender_pb2", "recommender_pb2_grpc", "snapshot_pb2"]
