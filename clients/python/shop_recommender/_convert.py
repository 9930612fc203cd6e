"""Conversions between protocol-buffer messages and Python values.

Enum values become short lower-case labels ("personalized" for
REASON_PERSONALIZED, "durable" for DURABLE); messages become plain dicts.
"""

import datetime
import math
import re

import pandas as pd
from google.protobuf import descriptor

_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


def _enum_prefix(enum_type):
    """"REASON_" for the enum Reason, "EVENT_TYPE_" for EventType."""
    return _CAMEL_BOUNDARY.sub("_", enum_type.name).upper() + "_"


def enum_label(enum_type, number):
    """The label of an enum value: its name without the enum's own prefix,
    in lower case; the number itself if the value is not in the enum."""
    value = enum_type.values_by_number.get(number)
    if value is None:
        return number
    name = value.name
    prefix = _enum_prefix(enum_type)
    if name.startswith(prefix):
        name = name[len(prefix):]
    return name.lower()


def enum_number(enum_type, label, strict=True):
    """The number of an enum value given as a label ("view"), a full name
    ("VIEW") or a number; None is 0. An unknown label raises ValueError, or
    with strict=False gives 0 (for the server to reject naming the field)."""
    if label is None:
        return 0
    if isinstance(label, (int,)) and not isinstance(label, bool):
        return int(label)
    text = str(label).strip().upper()
    for candidate in (text, _enum_prefix(enum_type) + text):
        value = enum_type.values_by_name.get(candidate)
        if value is not None:
            return value.number
    if not strict:
        return 0
    raise ValueError(
        f"{label!r} is not a {enum_type.name}; one of "
        + ", ".join(enum_label(enum_type, v.number) for v in enum_type.values[1:]))


def message_to_dict(message):
    """A message as a dict of its fields (unset scalars as their defaults,
    enums as labels, maps as dicts, repeated fields as lists)."""
    result = {}
    for field in message.DESCRIPTOR.fields:
        value = getattr(message, field.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            result[field.name] = {
                key: _value_to_python(value_field, item) for key, item in value.items()}
        elif field.label == descriptor.FieldDescriptor.LABEL_REPEATED:
            result[field.name] = [_value_to_python(field, item) for item in value]
        elif field.message_type is not None and not message.HasField(field.name):
            result[field.name] = None
        else:
            result[field.name] = _value_to_python(field, value)
    return result


def _value_to_python(field, value):
    if field.message_type is not None:
        return message_to_dict(value)
    if field.enum_type is not None:
        return enum_label(field.enum_type, value)
    return value


def to_timestamp_text(value):
    """A moment for the API: "" for None/NaT, RFC 3339 text for datetimes
    (a naive one is sent as it is and the server says what is wrong), the
    text itself otherwise."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def to_datetime_column(values):
    """RFC 3339 texts as a pandas datetime column in UTC ("" is NaT)."""
    return pd.to_datetime(pd.Series(list(values), dtype="object").replace("", None),
                          utc=True)


def is_missing(value):
    """True for None, NaN and NaT (empty DataFrame cells)."""
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
