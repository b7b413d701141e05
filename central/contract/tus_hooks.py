"""Schemathesis hooks for the contract test: a tus chunk (`application/offset+octet-stream`, PATCH
/v1/uploads/{id}) is raw bytes, serialized like `application/octet-stream`."""
import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
