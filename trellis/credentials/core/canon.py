"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, offline, with a safe-mode guard.

pyld names RDFC-1.0 by its older name URDNA2015 (the same algorithm) and defaults to URGNA2012,
so the algorithm is always passed explicitly."""

from __future__ import annotations

import json
import re
import threading
import uuid
from typing import Any

from cachetools import LRUCache
from frozendict import frozendict
from pyld import jsonld
from pyld.context_resolver import ContextResolver
from pyld.resolved_context import ResolvedContext

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
# Resolved contexts shared by every call (pyld's module-level LRU cache).
_SHARED_CONTEXTS = jsonld._resolved_context_cache
# Non-propagating child contexts by their parent's identifier (see _Processor).
_NON_PROPAGATING_CHILDREN: LRUCache[str, Any] = LRUCache(maxsize=1024)
_CHILDREN_LOCK = threading.Lock()


class _ContextResolver(ContextResolver):
    """pyld's resolver, keying inline (scoped) contexts by a sorted-keys JSON dump instead of a
    pure-Python JCS serialisation. The key only has to identify equal contexts; the contexts and
    the output are unchanged. Bundled remote contexts are cached across calls because the loader
    tags them "static"."""

    def resolve(self, active_ctx, context, base, cycles=None):  # type: ignore[no-untyped-def]
        if isinstance(context, dict) and "@context" in context:
            context = context["@context"]
        if isinstance(context, list):
            resolved: list[Any] = []
            for item in context:
                resolved.extend(self.resolve(active_ctx, item, base, cycles))
            return resolved
        if not isinstance(context, dict):
            return super().resolve(active_ctx, [context], base, cycles)
        try:
            key = json.dumps(context, sort_keys=True, ensure_ascii=False)
        except (TypeError, ValueError):
            return super().resolve(active_ctx, [context], base, cycles)
        found = self._get(key)
        if not found:
            found = self._cache_resolved_context(key, ResolvedContext(context), "static")
        return [found]


class _Processor(jsonld.JsonLdProcessor):
    """pyld's processor, reusing the child context it derives for a type-scoped (non-propagating)
    context. pyld makes a fresh child with a new identifier each time, so the processed result
    of the scoped context, which pyld caches per parent identifier, was never found again and
    every credential re-processed every scoped context. The child is derived only from frozen
    (finished, never mutated) parents, so reusing it changes nothing but the time taken."""

    def _process_context(  # type: ignore[no-untyped-def]
        self,
        active_ctx,
        local_ctx,
        options,
        override_protected=False,
        propagate=True,
        validate_scoped=True,
        cycles=None,
    ):
        if (
            not propagate
            and isinstance(active_ctx, frozendict)
            and not active_ctx.get("previousContext")
            and "_uuid" in active_ctx
            and isinstance(local_ctx, dict)
            and "@propagate" not in local_ctx
            and "@context" not in local_ctx
        ):
            with _CHILDREN_LOCK:
                child = _NON_PROPAGATING_CHILDREN.get(active_ctx["_uuid"])
                if child is None:
                    fresh = self._clone_active_context(active_ctx)
                    fresh["previousContext"] = active_ctx
                    fresh["_uuid"] = str(uuid.uuid1())
                    child = _NON_PROPAGATING_CHILDREN[active_ctx["_uuid"]] = frozendict(fresh)
            active_ctx = child
        return super()._process_context(
            active_ctx,
            local_ctx,
            options,
            override_protected=override_protected,
            propagate=propagate,
            validate_scoped=validate_scoped,
            cycles=cycles,
        )


def canonize(document: dict[str, Any], *, base: str | None = None) -> str:
    """The document's canonical N-Quads (RDFC-1.0)."""
    options: dict[str, Any] = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
        "contextResolver": _ContextResolver(_SHARED_CONTEXTS, document_loader),
    }
    if base is not None:
        options["base"] = base
    try:
        return _Processor().normalize(document, options)
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


def _jsonld_reason(error: BaseException) -> str:
    """The innermost cause's message (pyld chains its errors with `raise … from`)."""
    cause = error
    while True:
        inner = getattr(cause, "cause", None) or cause.__cause__
        if inner is None:
            break
        cause = inner
    message = getattr(cause, "message", None) or (cause.args[0] if cause.args else cause)
    return str(message).splitlines()[0][:300]
