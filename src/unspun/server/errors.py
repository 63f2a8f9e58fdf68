"""How unspun's errors answer over HTTP: the status and error code of each, for the API and the web pages alike."""

from __future__ import annotations

from unspun.errors import InputDataError, TimeLimitError, UnspunError

# unspun errors → (HTTP status, code). A size-limit InputDataError becomes 413 (see status_for).
STATUS = {
    "bad_request": 400,
    "url_refused": 400,
    "input_missing": 400,
    "bad_input": 422,
    "url_unreachable": 502,
    "database_unreachable": 503,
    "model_error": 500,
    "output_error": 500,
    "internal_error": 500,
}
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type", 422: "validation_error",
              429: "too_many_requests", 500: "internal_error", 502: "bad_gateway", 503: "unavailable"}


def status_for(exc: UnspunError) -> tuple[int, str]:
    if isinstance(exc, TimeLimitError):
        return 422, "time_limit"
    if isinstance(exc, InputDataError) and "over the limit" in str(exc):
        return 413, "too_large"
    return STATUS.get(exc.code, 500), exc.code
