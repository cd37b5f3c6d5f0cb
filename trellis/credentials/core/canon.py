"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, offline, with a safe-mode guard.

pyld names RDFC-1.0 by its older name URDNA2015 (the same algorithm) and defaults to URGNA2012,
so the algorithm is always passed explicitly."""

from __future__ import annotations

import re
from typing import Any

from pyld import jsonld

from trellis.credentials.core.errors import CredentialError, UnsafeDocument
from trellis.credentials.core.loader import document_loader

# Relative IRIs resolve against this base only when we check a document we are about to sign;
# any IRI under it was relative in the input, which a strict (safe-mode) verifier rejects.
RELATIVE_BASE = "https://relative-iri.invalid/"
# While checking, a last context maps every term the real contexts leave undefined (which JSON-LD
# would silently drop) into this vocabulary. When nothing lands there, the extra context changed
# nothing, so the same N-Quads are the document's canonical form.
UNDEFINED_VOCAB = "https://undefined-term.invalid/#"

_IRI = re.compile(r"<([^>]*)>")


def canonize(document: dict[str, Any], *, base: str | None = None) -> str:
    """The document's canonical N-Quads (RDFC-1.0)."""
    options: dict[str, Any] = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
    }
    if base is not None:
        options["base"] = base
    try:
        return jsonld.normalize(document, options)
    except jsonld.JsonLdError as error:
        raise CredentialError(
            f"The document is not valid JSON-LD: {_jsonld_reason(error)}"
        ) from error


def undefined_terms(nquads: str) -> list[str]:
    """Terms and types in canonical N-Quads that no context defined, or that were relative."""
    found: set[str] = set()
    for iri in _IRI.findall(nquads):
        if iri.startswith(UNDEFINED_VOCAB):
            found.add(iri[len(UNDEFINED_VOCAB) :])
        elif iri.startswith(RELATIVE_BASE):
            found.add(iri[len(RELATIVE_BASE) :])
    return sorted(found)


def canonize_safely(document: dict[str, Any]) -> str:
    """Canonical N-Quads of a document we are about to sign; UnsafeDocument when a term or type
    is not defined by its contexts (a strict verifier would reject the signature)."""
    context = document.get("@context")
    contexts = list(context) if isinstance(context, list) else [context]
    nquads = canonize(
        {**document, "@context": [*contexts, {"@vocab": UNDEFINED_VOCAB}]}, base=RELATIVE_BASE
    )
    terms = undefined_terms(nquads)
    if terms:
        raise UnsafeDocument(
            "These terms are not defined by the credential's JSON-LD contexts: "
            + ", ".join(terms)
            + ". Add the context that defines them or remove them.",
            terms=terms,
        )
    return nquads


def _jsonld_reason(error: Exception) -> str:
    cause = error
    while getattr(cause, "cause", None) is not None:
        cause = cause.cause
    return str(getattr(cause, "message", None) or cause).splitlines()[0][:300]
