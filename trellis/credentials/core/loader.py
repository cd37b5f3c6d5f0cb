"""The offline JSON-LD document loader: bundled contexts only, every other URL refused."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from trellis.credentials.core.errors import UnknownContext

CONTEXTS_DIR = Path(__file__).with_name("contexts")

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_V3_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CLR_V2 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB_V2 = "https://w3id.org/openbadges/v2"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"

CONTEXT_FILES: dict[str, str] = {
    VC_V2: "credentials-v2.jsonld",
    VC_V1: "credentials-v1.jsonld",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    "https://w3id.org/security/jwk/v1": "jwk-v1.jsonld",
    "https://www.w3.org/ns/credentials/status/v1": "bitstring-status-list-v1.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context.json",
    OB_V3_EXTENSIONS: "ob-v3p0-extensions.json",
    CLR_V2: "clr-v2p0-context-2.0.1.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json": "clr-v2p0-context.json",
    DID_V1: "did-v1.jsonld",
    "https://w3id.org/did/v1": "did-v1.jsonld",
    "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-2020-v1.jsonld",
    OB_V2: "ob-v2-w3id-openbadges-v2.jsonld",
    "https://openbadgespec.org/v2/context.json": "ob-v2-w3id-openbadges-v2.jsonld",
}


def _normalise(url: str) -> str:
    return url.split("#", 1)[0]


def is_known_context(url: str) -> bool:
    return _normalise(url) in CONTEXT_FILES


@cache
def load_context(url: str) -> dict[str, Any]:
    """The bundled document for a context URL; UnknownContext for anything else."""
    name = CONTEXT_FILES.get(_normalise(url))
    if name is None:
        raise UnknownContext(
            f"The JSON-LD context {url!r} is not one Trellis knows; "
            "contexts are never fetched from the network."
        )
    return json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))


def document_loader(url: str, options: Any = None) -> dict[str, Any]:
    """A pyld document loader that serves bundled contexts and refuses every other URL."""
    from pyld.jsonld import JsonLdError

    try:
        document = load_context(url)
    except UnknownContext as error:
        raise JsonLdError(
            str(error), "jsonld.LoadDocumentError", code="loading document failed"
        ) from error
    return {"contextUrl": None, "documentUrl": url, "document": document, "tag": "static"}
