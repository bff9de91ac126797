#!/usr/bin/env python3
"""Validates bgplan's --format json output against docs/events.schema.json.

    check_events.py SCHEMA [--expect-types a,b,...] FILE...

Every line of every FILE must be one JSON object that validates against SCHEMA (draft 2020-12;
an event type the schema does not know fails). With --expect-types, each listed type must appear
at least once (so that a run which printed less than it should does not pass unnoticed).
Exit 0 when all is well, 1 with one message per problem otherwise, 77 when the jsonschema module
is missing (Debian: python3-jsonschema, scripts/setup installs it).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("check_events: the Python module jsonschema is missing (apt-get install "
          "python3-jsonschema)", file=sys.stderr)
    sys.exit(77)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    args = argv[2:]
    expected = []
    if args[:1] == ["--expect-types"]:
        expected = [t for t in args[1].split(",") if t]
        args = args[2:]
    problems = []
    seen = {}
    lines = 0
    for path in args:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                where = f"{path}:{number}"
                lines += 1
                try:
                    event = json.loads(line)
                except json.JSONDecodeError as e:
                    problems.append(f"{where}: not JSON ({e}): {line.rstrip()[:200]}")
                    continue
                if isinstance(event, dict) and isinstance(event.get("type"), str):
                    seen[event["type"]] = seen.get(event["type"], 0) + 1
                for error in sorted(validator.iter_errors(event), key=lambda e: list(e.path)):
                    at = "/".join(str(p) for p in error.absolute_path)
                    problems.append(f"{where}: {at or '(event)'}: {error.message}\n    {line.rstrip()[:300]}")
    for t in expected:
        if t not in seen:
            problems.append(f"no event of type {t!r} was printed")
    for p in problems:
        print(p)
    print(f"check_events: {lines} lines, types seen: " +
          ", ".join(f"{t} {n}" for t, n in sorted(seen.items())) +
          f"; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
