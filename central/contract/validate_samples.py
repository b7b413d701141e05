#!/usr/bin/env python3
"""Validates JSON samples against the schemas of central/openapi.yaml.

Usage: validate_samples.py OPENAPI.yaml SAMPLES_DIR
Each sample file is {"schema": "<name in components/schemas>", "document": <JSON>}. OpenAPI 3.0's
`nullable: true` is turned into JSON Schema's null type before validating.
"""
import json
import pathlib
import sys

import jsonschema
import yaml


def to_json_schema(node):
    if isinstance(node, dict):
        node = {k: to_json_schema(v) for k, v in node.items()}
        if node.pop("nullable", False):
            node = {"anyOf": [node, {"type": "null"}]}
        if "$ref" in node:
            node["$ref"] = node["$ref"].replace("#/components/schemas/", "#/$defs/")
        return node
    if isinstance(node, list):
        return [to_json_schema(v) for v in node]
    return node


def main():
    spec = yaml.safe_load(pathlib.Path(sys.argv[1]).read_text())
    defs = to_json_schema(spec["components"]["schemas"])
    samples = sorted(pathlib.Path(sys.argv[2]).glob("*.json"))
    if not samples:
        print("no samples found", file=sys.stderr)
        return 1
    failures = 0
    for path in samples:
        sample = json.loads(path.read_text())
        name = sample["schema"]
        if name not in defs:
            print(f"{path.name}: no schema {name} in the OpenAPI document", file=sys.stderr)
            failures += 1
            continue
        schema = {"$defs": defs, "$ref": f"#/$defs/{name}"}
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        errors = list(validator.iter_errors(sample["document"]))
        for error in errors:
            print(f"{path.name} ({name}): {error.message} at {list(error.absolute_path)}", file=sys.stderr)
        failures += bool(errors)
        if not errors:
            print(f"{path.name}: valid {name}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
