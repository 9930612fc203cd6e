"""The exceptions of the package.

Every failed call to the service raises RecommenderError, which carries the
gRPC status code and, when the server named one, the field at fault
(e.g. "count" or "events[3].item_id"). Problems with files on disk raise
SnapshotError; a failed run of one of the project's tools raises ToolError.
"""

import re

import grpc

# The server's messages start with the field they are about, "count: must be
# between 1 and 100, got 0" or "events[3].item_id: unknown item ...".
_FIELD_PREFIX = re.compile(
    r"^([A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?)*): ")


def field_of(message):
    """The field a server message names at its start, or None."""
    match = _FIELD_PREFIX.match(message or "")
    return match.group(1) if match else None


class RecommenderError(Exception):
    """A call to the recommendation service failed.

    Attributes:
      code: the grpc.StatusCode, e.g. grpc.StatusCode.INVALID_ARGUMENT.
      field: the request field the server named, or None.
      message: the server's message.
      method: the RPC, e.g. "Recommend".
    """

    def __init__(self, code, message, method=None):
        self.code = code
        self.message = message or ""
        self.field = field_of(self.message)
        self.method = method
        where = f"{method}: " if method else ""
        super().__init__(f"{where}{code.name}: {self.message}")

    @classmethod
    def from_rpc_error(cls, error, method=None):
        """Wraps a grpc.RpcError raised by a stub call."""
        code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
        details = error.details() if hasattr(error, "details") else str(error)
        return cls(code, details, method)


class SnapshotError(Exception):
    """A model snapshot on disk is missing, unreadable or fails its checks."""


class ToolError(Exception):
    """One of the project's binaries (train, evaluate, ...) failed.

    Attributes:
      tool: the binary's name.
      returncode: its exit status.
      output: the end of what it printed, for the message.
    """

    def __init__(self, tool, returncode, output):
        self.tool = tool
        self.returncode = returncode
        self.output = output
        super().__init__(f"{tool} exited with status {returncode}:\n{output}")
