"""C++ code generation for .proto files with Debian's protoc and gRPC plugin.

Bazel's native cc_proto_library wants @com_google_protobuf, which this offline
build does not have; these macros call /usr/bin/protoc directly.
"""

def cc_proto(name, src, deps = [], grpc = False, visibility = None):
    """Generates `name`, a cc_library with the messages (and gRPC stubs) of `src`.

    Args:
      name: the cc_library's name.
      src: one .proto file in this package.
      deps: cc_proto targets of the .proto files that `src` imports.
      grpc: whether to generate gRPC service stubs as well.
      visibility: visibility of the cc_library.
    """
    base = src[:-len(".proto")]
    outs = [base + ".pb.h", base + ".pb.cc"]
    cmd = "/usr/bin/protoc --proto_path=. --cpp_out=$(GENDIR) "
    link_deps = ["//third_party:protobuf"]
    if grpc:
        outs += [base + ".grpc.pb.h", base + ".grpc.pb.cc"]
        cmd += "--grpc_out=$(GENDIR) --plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin "
        link_deps.append("//third_party:grpc")
    native.genrule(
        name = name + "_generated",
        srcs = [src] + [d + "_source" for d in deps],
        outs = outs,
        cmd = cmd + "$(location " + src + ")",
    )
    native.filegroup(
        name = name + "_source",
        srcs = [src],
        visibility = visibility,
    )
    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        copts = ["-Wno-unused-parameter"],
        deps = deps + link_deps,
        visibility = visibility,
    )
