#!/usr/bin/env python3
"""Uploads one file to lapak-central with tuspy (tusclient), an independent tus 1.0 client.

Usage: upload_with_tuspy.py ENDPOINT FILE HEADERS_JSON METADATA_JSON CHUNK_BYTES

HEADERS_JSON are static headers sent with every request (the kiosk's signed creation headers, which include
X-Lapak-Kiosk); METADATA_JSON the Upload-Metadata (claim_id, packet_signature). Chunks carry a sha1
Upload-Checksum. Prints one JSON line: the upload URL, the final offset, the receipt (decoded) and the intake
status from the last chunk's answer.
"""
import base64
import json
import sys

from tusclient import client


def main() -> int:
    endpoint, path, headers, metadata, chunk = sys.argv[1:6]
    tus = client.TusClient(endpoint, headers=json.loads(headers))
    uploader = tus.uploader(
        file_path=path,
        chunk_size=int(chunk),
        metadata=json.loads(metadata),
        upload_checksum=True,
    )
    uploader.upload()
    answer = {k.lower(): v for k, v in uploader.request.response_headers.items()}
    receipt = answer.get("x-lapak-receipt")
    print(
        json.dumps(
            {
                "url": uploader.url,
                "offset": int(answer.get("upload-offset", "-1")),
                "receipt": base64.b64decode(receipt).decode("utf-8") if receipt else None,
                "intake_status": answer.get("x-lapak-intake-status"),
                "chunks_checked_with": uploader.checksum_algorithm_name,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
