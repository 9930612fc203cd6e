"""Files embedded in a C++ library, by URL path (//tools:embed_files)."""

def embedded_files(name, srcs, hdr, namespace, function, visibility = None):
    """A cc_library whose `hdr` declares NAMESPACE::FUNCTION(), returning
    (URL path, contents) of each file of `srcs`: web/admin/index.html is
    served as /admin/index.html."""
    native.genrule(
        name = name + "_cc",
        srcs = srcs,
        outs = [name + ".cc"],
        tools = ["//tools:embed_files"],
        cmd = "$(location //tools:embed_files) $@ %s %s %s/ / $(SRCS)" % (
            namespace,
            function,
            native.package_name(),
        ),
    )
    native.cc_library(
        name = name,
        srcs = [name + ".cc"],
        hdrs = [hdr],
        visibility = visibility,
    )
