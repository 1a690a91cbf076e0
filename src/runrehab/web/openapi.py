"""The OpenAPI document, finished for what the app does around its routes (``RunRehabApi``)."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.routing import BaseRoute

from runrehab.web import api_docs
from runrehab.web.api_docs import InvalidOut


class RunRehabApi(FastAPI):
    """FastAPI with the OpenAPI document finished for the contract, for what the app does
    around the routes:

    - FastAPI documents a 422 of its own shape (``{"detail": [...]}``), which this app never
      sends (``web.errors`` answers ``{"detail": "...", "errors": [{"field", "message"}]}``):
      it becomes the app's.
    - Every JSON body is refused (422) when a string or key in it breaks the text rule
      (``web.boundary.RefuseBadText``): every string and open object of a JSON request body
      says so (``api_docs.TEXT_PATTERN``).
    - The NUL guard (``web.security.RefuseNul``) answers any operation 400 before routing:
      every operation documents a 400 (its own, where it has one), and every string of a path
      or a query without a stricter rule says it holds no NUL (``NO_NUL``)."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema:
            return self.openapi_schema
        routes, key = self._made_of()
        if key not in _FINISHED:
            _FINISHED[key] = (routes, self._finished())
        self.openapi_schema = _FINISHED[key][1]
        return self.openapi_schema

    def _made_of(self) -> tuple[tuple[BaseRoute, ...], tuple[object, ...]]:
        """The documented routes and webhooks, and a key for what the document is made of:
        those routes (by identity: the cache keeps them, so no other route takes their id) and
        the app's description of itself."""
        routes = (
            *(r for r in self.routes if isinstance(r, APIRoute)),
            *self.webhooks.routes,
        )
        described = (
            self.title,
            self.version,
            self.openapi_version,
            self.summary,
            self.description,
            self.terms_of_service,
            self.contact,
            self.license_info,
            self.openapi_tags,
            self.servers,
            self.separate_input_output_schemas,
            self.openapi_external_docs,
        )
        return routes, (tuple(map(id, routes)), repr(described))

    def _finished(self) -> dict[str, Any]:
        document = copy.deepcopy(super().openapi())  # routes share their openapi_extra
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        seen: set[str] = set()
        for item in document.get("paths", {}).values():
            for operation in item.values():
                content = operation.get("requestBody", {}).get("content", {})
                body = content.get("application/json", {}).get("schema")
                if body is not None:
                    _text_only(body, schemas, seen)
        for name, definition in _schemas(InvalidOut).items():
            schemas.setdefault(name, definition)
        ours = {
            "description": api_docs.error_response(422)["description"],
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/InvalidOut"}}
            },
        }
        refused = _documented(api_docs.error_response(400), schemas)
        for item in document.get("paths", {}).values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                if "HTTPValidationError" in str(responses.get("422", "")):
                    responses["422"] = ours
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") in ("path", "query"):
                        _no_nul(parameter.get("schema"))
                if "400" not in responses:
                    responses["400"] = copy.deepcopy(refused)
                    operation["responses"] = dict(sorted(responses.items()))
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        return document


_FINISHED: dict[tuple[object, ...], tuple[tuple[BaseRoute, ...], dict[str, Any]]] = {}
"""Each finished document of this process, by what it is made of (``RunRehabApi._made_of``),
with the routes and webhooks it documents. Every app a process builds has the same routes
(made once, when their modules are imported), and making the document took 0.1-0.3 s an app:
a server builds one app, but the tests build hundreds."""


def _documented(answer: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """An error answer in FastAPI's ``responses`` form (``api_docs.error_response``) as the
    OpenAPI document writes it, its body's schema among ``schemas``."""
    model: type[BaseModel] = answer["model"]
    for name, definition in _schemas(model).items():
        schemas.setdefault(name, definition)
    documented: dict[str, Any] = {
        "description": answer["description"],
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
        },
    }
    if "headers" in answer:
        documented["headers"] = answer["headers"]
    return documented


NO_NUL = "^[^\\x00]*$"
"""A string of the address (a path or a query parameter): anything but NUL, which the NUL
guard refuses (400) before routing."""


def _no_nul(node: Any) -> None:
    """``NO_NUL`` on every string ``node`` (a parameter's schema) may be that has no stricter
    rule (an enum, a format, a pattern)."""
    if not isinstance(node, dict):
        return
    for choice in (*node.get("anyOf", ()), *node.get("oneOf", ())):
        _no_nul(choice)
    if node.get("type") == "string" and not {"enum", "const", "format", "pattern"} & node.keys():
        node["pattern"] = NO_NUL


_DATA = frozenset({"enum", "const", "default", "example", "examples", "description", "title"})
"""Keywords whose values are data, not schemas."""


def _text_only(node: Any, schemas: dict[str, Any], seen: set[str]) -> None:
    """Put the text rule on every string ``node`` may hold that has no stricter rule (an enum,
    a format, a pattern), and on the keys of every object open to more keys; component
    schemas it refers to, once each."""
    if isinstance(node, list):
        for child in node:
            _text_only(child, schemas, seen)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        name = ref.removeprefix("#/components/schemas/")
        if name not in seen and name in schemas:
            seen.add(name)
            _text_only(schemas[name], schemas, seen)
        return
    kinds = node.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "string" in kinds and not {"enum", "const", "format", "pattern"} & node.keys():
        node["pattern"] = api_docs.TEXT_PATTERN
    if "object" in kinds and node.get("additionalProperties") is not False:
        node.setdefault("propertyNames", {"pattern": api_docs.TEXT_PATTERN})
    for key, child in node.items():
        if key in ("properties", "patternProperties") and isinstance(child, dict):
            for schema in child.values():  # keyed by names, which may be any word
                _text_only(schema, schemas, seen)
        elif key not in _DATA:
            _text_only(child, schemas, seen)


def _schemas(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON schema and those it refers to, as OpenAPI components."""
    found = model.model_json_schema(ref_template="#/components/schemas/{model}")
    defs: dict[str, Any] = found.pop("$defs", {})
    return {model.__name__: found, **defs}
