#!/usr/bin/env bash
# Generates the Python modules of the service's protocol buffers into
# OUT/shop_recommender/_proto/ (recommender_pb2.py, recommender_pb2_grpc.py,
# snapshot_pb2.py), with protoc and gRPC's Python plugin.
#
#   clients/python/generate_stubs.sh            # into clients/python/
#   clients/python/generate_stubs.sh OUT P...   # OUT, from the .proto files P
#
# The Bazel target //clients/python:proto_stubs runs this same script; the
# generated files are never checked in. PROTOC and GRPC_PYTHON_PLUGIN
# override the tools found on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
shift || true
mkdir -p "$out"
out=$(cd "$out" && pwd)
protos=("$@")
[ ${#protos[@]} -gt 0 ] ||
  protos=("$here/../../proto/recommender.proto" "$here/../../proto/snapshot.proto")
protoc=${PROTOC:-$(command -v protoc || true)}
plugin=${GRPC_PYTHON_PLUGIN:-$(command -v grpc_python_plugin || true)}
if [ -z "$protoc" ] || [ -z "$plugin" ]; then
  echo "generate_stubs.sh: needs protoc and grpc_python_plugin" \
    "(Debian: protobuf-compiler protobuf-compiler-grpc)" >&2
  exit 2
fi

# protoc names a generated module after the .proto file's path, so the
# files are compiled from a copy laid out as the Python package.
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
package=shop_recommender/_proto
mkdir -p "$staging/$package" "$out/$package"
for proto in "${protos[@]}"; do
  cp "$proto" "$staging/$package/"
done
cd "$staging"
"$protoc" --proto_path=. --python_out="$out" "$package"/*.proto
"$protoc" --proto_path=. --plugin=protoc-gen-grpc_python="$plugin" \
  --grpc_python_out="$out" "$package/recommender.proto"
cat >"$out/$package/__init__.py" <<'PY'
"""Generated from proto/ by clients/python/generate_stubs.sh; do not edit."""
PY
